// A real kube-apiserver + etcd on loopback, started the way controller-runtime's envtest does
// (docs/testing.md#control-plane): RBAC on, static-token authentication, a self-signed serving cert.
// Used by the test harness and by `roomban demo`. It stops only the processes it started, also
// when the parent dies (a watchdog per child), and a startup failure names the log to read.

import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { type ControlPlaneBinaries, controlPlaneBinaries } from './binaries.ts';

/** Users with no RBAC grants at all; tests grant them what they need. */
export const RESTRICTED_USERS = ['dev', 'dev2', 'dev3'] as const;
export type ClusterUser = 'admin' | (typeof RESTRICTED_USERS)[number];

export interface LocalClusterOptions {
  binaries?: ControlPlaneBinaries;
  /** Defaults to a fresh temporary directory, removed on stop. */
  workDir?: string;
  startTimeoutMs?: number;
}

export interface LocalCluster {
  readonly server: string;
  readonly workDir: string;
  readonly caFile: string;
  readonly etcdUrl: string;
  /** Process ids, for benchmarks that account CPU per component. */
  readonly pids: { etcd: number | undefined; kubeApiserver: number | undefined };
  kubeconfigPath(user: ClusterUser): string;
  kubeConfig(user: ClusterUser): KubeConfig;
  /** A kubeconfig file for any bearer token (e.g. a ServiceAccount's, from TokenRequest). */
  writeTokenKubeconfig(name: string, token: string): string;
  stop(): Promise<void>;
}

interface Managed {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const binaries = options.binaries ?? controlPlaneBinaries();
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'roomban-cluster-'));
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const [etcdPort, peerPort, apiPort] = await freePorts(3);
  const tokens = writeAuthFiles(workDir);
  const processes: Managed[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(processes.reverse().map(stopProcess));
    if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = startProcess('etcd', binaries.etcd, etcdArgs(workDir, etcdUrl, peerPort!), workDir);
    processes.push(etcd);
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startProcess('kube-apiserver', binaries.kubeApiserver, apiserverArgs(workDir, etcdUrl, apiPort!), workDir);
    processes.push(apiserver);
    const caFile = join(workDir, 'certs', 'apiserver.crt');
    await waitReady(server, caFile, tokens.get('admin')!, processes, timeoutMs);
    const kubeconfigs = writeKubeconfigs(workDir, server, caFile, tokens);
    return {
      server,
      workDir,
      caFile,
      etcdUrl,
      pids: { etcd: etcd.child.pid, kubeApiserver: apiserver.child.pid },
      kubeconfigPath: (user) => kubeconfigs.get(user)!,
      kubeConfig: (user) => loadKubeConfig(kubeconfigs.get(user)!),
      writeTokenKubeconfig: (name, token) => writeKubeconfig(workDir, name, server, caFile, token),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function etcdArgs(workDir: string, url: string, peerPort: number): string[] {
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    '--name=roomban-test', `--data-dir=${join(workDir, 'etcd-data')}`,
    `--listen-client-urls=${url}`, `--advertise-client-urls=${url}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=roomban-test=${peer}`, '--unsafe-no-fsync', '--log-level=warn',
  ];
}

function apiserverArgs(workDir: string, etcdUrl: string, port: number): string[] {
  const saKey = join(workDir, 'sa.key');
  return [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1', `--secure-port=${port}`,
    // No default route in sandboxes: advertise loopback, and skip the Endpoints reconciler that
    // rejects loopback addresses (docs/testing.md#control-plane).
    '--advertise-address=127.0.0.1', '--endpoint-reconciler-type=none',
    `--cert-dir=${join(workDir, 'certs')}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=https://127.0.0.1:${port}`,
    `--service-account-key-file=${saKey}`, `--service-account-signing-key-file=${saKey}`,
    `--token-auth-file=${join(workDir, 'tokens.csv')}`,
    '--authorization-mode=RBAC', '--allow-privileged=true',
    // The default ServiceAccount is made by kube-controller-manager, which does not run here.
    '--disable-admission-plugins=ServiceAccount', '--profiling=false',
  ];
}

function writeAuthFiles(workDir: string): Map<ClusterUser, string> {
  const tokens = new Map<ClusterUser, string>();
  const rows: string[] = [];
  for (const user of ['admin', ...RESTRICTED_USERS] as const) {
    const token = randomBytes(24).toString('hex');
    tokens.set(user, token);
    const groups = user === 'admin' ? 'system:masters' : 'roomban:test-users';
    rows.push(`${token},${user},${user}-uid,"${groups}"`);
  }
  writeFileSync(join(workDir, 'tokens.csv'), rows.join('\n') + '\n', { mode: 0o600 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(workDir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return tokens;
}

function writeKubeconfigs(workDir: string, server: string, caFile: string, tokens: Map<ClusterUser, string>) {
  const paths = new Map<ClusterUser, string>();
  for (const [user, token] of tokens) paths.set(user, writeKubeconfig(workDir, user, server, caFile, token));
  return paths;
}

function writeKubeconfig(workDir: string, name: string, server: string, caFile: string, token: string): string {
  const dir = join(workDir, 'kubeconfigs');
  mkdirSync(dir, { recursive: true });
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server, 'certificate-authority-data': readFileSync(caFile).toString('base64') } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: 'local', user: name, namespace: 'default' } }],
    'current-context': name,
  };
  const path = join(dir, `${name}.kubeconfig`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

function startProcess(name: string, binary: string, args: string[], workDir: string): Managed {
  const logFile = join(workDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', log, log] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  startWatchdog(child);
  return { name, child, logFile, exited };
}

/** Kills the child if this Node process dies without stopping it (SIGKILL, crash). */
function startWatchdog(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -9 ${child.pid} 2>/dev/null`;
  spawn('sh', ['-c', script], { stdio: 'ignore', detached: true }).unref();
}

async function stopProcess(p: Managed): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await p.exited;
  clearTimeout(timer);
}

async function waitReady(server: string, caFile: string, token: string, processes: Managed[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const dead = processes.find((p) => p.child.exitCode !== null);
    if (dead) throw startupError(`${dead.name} exited with code ${dead.child.exitCode}`, dead);
    if (existsSync(caFile)) {
      last = await probe(`${server}/readyz`, readFileSync(caFile), token);
      if (last === '200') return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw startupError(`kube-apiserver not ready within ${timeoutMs} ms (last /readyz: ${last})`, processes[processes.length - 1]!);
}

function startupError(what: string, p: Managed): Error {
  const tail = existsSync(p.logFile) ? readFileSync(p.logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  return new Error(`local control plane failed to start: ${what}. Log: ${p.logFile}\n${tail}`);
}

function probe(url: string, ca: Buffer, token: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${token}` }, timeout: 2000 }, (res) => {
      res.resume();
      resolve(String(res.statusCode));
    });
    req.on('error', (error) => resolve(error.message));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
