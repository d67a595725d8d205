// Long-running helper processes for the ecosystem tiers (Flux and Argo CD controllers, redis): each
// in its own process group, logging to a file, stopped with its whole group by the suite that
// started it, also when a test fails, the run is interrupted, or this Node process dies.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface GroupProcess {
  readonly name: string;
  readonly logFile: string;
  /** The last `lines` lines of its log, for failure messages. */
  logTail(lines?: number): string;
  /** Resolves once `url` answers 200 (fails early, with the log, if the process exits). */
  waitHttpOk(url: string, timeoutMs?: number): Promise<void>;
  /** Resolves once its log matches `pattern` (fails early, with the log, if the process exits). */
  waitLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  cwd?: string;
}

const groups = new Set<number>();
process.once('exit', () => groups.forEach((pgid) => killGroup(pgid, 'SIGKILL')));

export function startGroupProcess(name: string, binary: string, args: string[], logDir: string, options: StartOptions = {}): GroupProcess {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/setup.sh`);
  const logFile = join(logDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(binary, args, {
    detached: true, // a new process group: stop() and the watchdog take its children with it
    stdio: ['ignore', log, log],
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`${name} did not start (${binary})`);
  groups.add(pgid);
  startWatchdog(pgid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const logTail = (lines = 25): string =>
    existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : '';
  return {
    name,
    logFile,
    logTail,
    async waitHttpOk(url, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer yet';
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before ${url} answered. Log ${logFile}:\n${logTail()}`);
        }
        last = await httpStatus(url);
        if (last === '200') return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`${name}: ${url} not 200 within ${timeoutMs} ms (last: ${last}). Log ${logFile}:\n${logTail()}`);
    },
    async waitLog(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before logging ${pattern}. Log ${logFile}:\n${logTail()}`);
        }
        if (Date.now() > deadline) throw new Error(`${name} did not log ${pattern} within ${timeoutMs} ms. Log ${logFile}:\n${logTail()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(pgid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      killGroup(pgid, 'SIGKILL'); // anything the leader left behind in its group
      groups.delete(pgid);
    },
  };
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** Kills the group if this Node process dies without stopping it (SIGKILL, crash). */
function startWatchdog(pgid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 -${pgid} 2>/dev/null; do sleep 1; done; kill -9 -${pgid} 2>/dev/null`;
  spawn('sh', ['-c', script], { stdio: 'ignore', detached: true }).unref();
}

function httpStatus(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(String(res.statusCode));
    });
    req.on('error', (error) => resolve(error.message));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** `count` distinct free TCP ports on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Polls `check` until it returns a value (not undefined); fails with `describe()` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, describe: () => Promise<string> | string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
