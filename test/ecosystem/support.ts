// Shared by the ecosystem tiers (image, Helm with real pods, Prometheus): the binaries
// scripts/setup.sh builds into the cache, and long-running processes that a test run starts once
// and stops by process group, also when tests fail or the run is interrupted.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cacheRoot, kubernetesVersion, PROJECT_ROOT } from '../../src/devcluster/binaries.ts';

/** The version of `module` that tools/<tool>/go.mod requires. */
export function toolVersion(tool: string, module: string): string {
  const goMod = readFileSync(join(PROJECT_ROOT, 'tools', tool, 'go.mod'), 'utf8');
  const match = new RegExp(`^\\s*(?:require\\s+)?${module.replaceAll('.', '\\.')} (v\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) throw new Error(`tools/${tool}/go.mod does not require ${module}`);
  return match[1];
}

/** `path`, or an error saying which build makes it. */
export function cached(path: string, how: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup.sh (${how})`);
  return path;
}

export function promtoolBinary(): string {
  return cached(join(cacheRoot(), 'promtool', toolVersion('promtool', 'github.com/prometheus/prometheus'), 'promtool'), 'tools/promtool/build.sh');
}

export function kwokDir(): string {
  const dir = join(cacheRoot(), 'kwok', toolVersion('kwok', 'sigs.k8s.io/kwok'));
  cached(join(dir, 'kwok'), 'tools/kwok/build.sh');
  cached(join(dir, 'stages.yaml'), 'tools/kwok/build.sh');
  return dir;
}

/** kube-controller-manager or kube-scheduler, built from the same k8s.io/kubernetes module as kube-apiserver. */
export function controllerBinary(name: 'kube-controller-manager' | 'kube-scheduler'): string {
  return cached(join(cacheRoot(), 'controlplane', kubernetesVersion(), name), 'tools/controlplane/build.sh --with-controllers');
}

export interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** The last `chars` characters of its log. */
  log(chars?: number): string;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves with the exit code (null: killed by a signal). */
  stop(graceMs?: number): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

const daemons = new Set<Daemon>();
process.once('exit', () => {
  for (const daemon of daemons) killGroup(daemon.child, 'SIGKILL');
});

/** Starts a long-running process in its own process group, logging to `logFile`. */
export function startDaemon(name: string, binary: string, args: string[], logFile: string, env: Record<string, string> = {}): Daemon {
  const log = openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', log, log], detached: true, env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  watchdog(child);
  const daemon: Daemon = {
    name,
    child,
    logFile,
    exited,
    log: (chars = 3000) => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-chars) : ''),
    stop: async (graceMs = 10_000) => {
      daemons.delete(daemon);
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
  daemons.add(daemon);
  return daemon;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Kills the process group if this Node process dies without stopping it (SIGKILL, crash). */
function watchdog(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -9 -${child.pid} 2>/dev/null`;
  spawn('sh', ['-c', script], { stdio: 'ignore', detached: true }).unref();
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
