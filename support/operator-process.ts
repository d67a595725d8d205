// Runs `roomban operator` as a real child process (SIGTERM/SIGKILL, two replicas, captured logs), for the
// integration tests and the benchmark.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../src/devcluster/binaries.ts';

export interface OperatorProcessOptions {
  kubeconfig: string;
  /** The CLI entry point; default the TypeScript source (dist/cli/main.js is what the image runs). */
  entry?: string;
  namespaces?: string[];
  args?: string[];
  /** Default true: the providers point at the simulators. */
  allowCustomEndpoints?: boolean;
  env?: Record<string, string>;
}

export interface OperatorProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  healthUrl: string;
  metricsUrl: string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends a signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The sum of the samples of `name` in a Prometheus text exposition (all label sets, or those whose
 * line contains `labelMatch`, e.g. 'result="ok"').
 */
export function sumMetric(exposition: string, name: string, labelMatch = ''): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labelMatch))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** The V8 settings the image runs the operator with (operator/Dockerfile's NODE_OPTIONS). */
export function imageNodeOptions(): string {
  const dockerfile = readFileSync(join(PROJECT_ROOT, 'operator', 'Dockerfile'), 'utf8');
  const options = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1];
  if (options === undefined) throw new Error('operator/Dockerfile sets no NODE_OPTIONS="..."');
  return options;
}

/**
 * The V8 settings the Helm chart runs the operator with (values.yaml `nodeOptions`, set as the
 * container's NODE_OPTIONS, which replaces the image's).
 */
export function chartNodeOptions(): string {
  const values = parse(readFileSync(join(PROJECT_ROOT, 'charts', 'roomban-operator', 'values.yaml'), 'utf8')) as { nodeOptions?: unknown };
  if (typeof values.nodeOptions !== 'string' || values.nodeOptions === '') throw new Error('charts/roomban-operator/values.yaml sets no nodeOptions');
  return values.nodeOptions;
}

/** The resident set size of a running process, from /proc (Linux), in bytes. */
export function residentBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export async function startOperatorProcess(options: OperatorProcessOptions): Promise<OperatorProcess> {
  const args = [
    options.entry ?? join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), 'operator',
    `--kubeconfig=${options.kubeconfig}`, '--log-level=debug',
    ...(options.allowCustomEndpoints === false ? [] : ['--allow-custom-endpoints']),
    '--metrics-bind-address=127.0.0.1:0', '--health-probe-bind-address=127.0.0.1:0',
    ...(options.namespaces ? [`--namespaces=${options.namespaces.join(',')}`] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const waitForOutput = async (pattern: RegExp, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (child.exitCode !== null) throw new Error(`operator exited (${child.exitCode}) before ${pattern}:\n${output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`operator did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitForOutput(/"msg":"operator started"/);
  const started = output.split('\n').find((line) => line.includes('"msg":"operator started"')) ?? '{}';
  const { metrics, health } = JSON.parse(started) as { metrics: string; health: string };
  return {
    child,
    output: () => output,
    healthUrl: health,
    metricsUrl: metrics,
    waitForOutput,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
