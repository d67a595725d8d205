// Runs a command line tool (kubectl, helm, tsc) from the repository root and collects its output;
// shared by the test harness and the benchmark.

import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../src/devcluster/binaries.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  kubeconfig?: string;
  input?: string;
  env?: Record<string, string>;
}

export function runCommand(binary: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
    const child = spawn(binary, args, { env, cwd: PROJECT_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
