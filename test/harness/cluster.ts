// The test harness's control plane: one real kube-apiserver + etcd per mocha run, started on first
// use (unit-only runs never start it) and stopped by the root hook, also on failures and Ctrl-C.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { kubeTools, PROJECT_ROOT } from '../../src/devcluster/binaries.ts';
import { type ClusterUser, type LocalCluster, startLocalCluster } from '../../src/devcluster/local-cluster.ts';
import { type CommandResult, type RunOptions, runCommand } from '../../support/run-command.ts';

export interface TestCluster {
  server: string;
  admin: KubeConfig;
  adminKubeconfigPath: string;
  local: LocalCluster;
  userKubeConfig(user: Exclude<ClusterUser, 'admin'>): KubeConfig;
  userKubeconfigPath(user: Exclude<ClusterUser, 'admin'>): string;
  kubectl(args: string[], options?: RunOptions): Promise<CommandResult>;
  helm(args: string[], options?: RunOptions): Promise<CommandResult>;
}

let started: Promise<TestCluster> | undefined;

export function testCluster(): Promise<TestCluster> {
  started ??= startLocalCluster().then(wrap);
  return started;
}

/** Stops the control plane if this run started one. */
export async function stopTestCluster(): Promise<void> {
  if (!started) return;
  const cluster = await started.catch(() => undefined);
  started = undefined;
  await cluster?.local.stop();
}

function wrap(local: LocalCluster): TestCluster {
  const tools = kubeTools();
  const adminKubeconfigPath = local.kubeconfigPath('admin');
  const run = (binary: string) => (args: string[], options: RunOptions = {}) =>
    runCommand(binary, args, { ...options, kubeconfig: options.kubeconfig ?? adminKubeconfigPath });
  return {
    server: local.server,
    admin: local.kubeConfig('admin'),
    adminKubeconfigPath,
    local,
    userKubeConfig: (user) => local.kubeConfig(user),
    userKubeconfigPath: (user) => local.kubeconfigPath(user),
    kubectl: run(tools.kubectl),
    helm: run(tools.helm),
  };
}

let crdsInstalled: Promise<void> | undefined;

/** Applies crds/ and waits until every CRD is Established; once per run. */
export function installCrds(cluster: TestCluster): Promise<void> {
  crdsInstalled ??= (async () => {
    const apply = await cluster.kubectl(['apply', '--server-side', '-f', join(PROJECT_ROOT, 'crds')]);
    if (apply.code !== 0) throw new Error(`installing crds/ failed: ${apply.stderr}`);
    const wait = await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', join(PROJECT_ROOT, 'crds')]);
    if (wait.code !== 0) throw new Error(`crds/ not Established: ${wait.stderr}`);
  })();
  return crdsInstalled;
}

/** A new namespace for one test (namespaces never finish deleting without a controller-manager). */
export async function freshNamespace(cluster: TestCluster, prefix = 't'): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  await cluster.admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}

export { KubeConfig };
