// Argo CD for real: argocd-repo-server and argocd-application-controller v3.6.1 (one binary built
// by tools/argocd/build.sh) with redis-server from Debian, run against the test API server once per
// suite, each in its own process group. argocd-cm carries the chart's health.lua, exactly as the
// chart README tells users to install it.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';
import type { TestCluster } from '../harness/cluster.ts';
import { argoCd, systemProgram } from './binaries.ts';
import { freePorts, type GroupProcess, startGroupProcess } from './processes.ts';

export const ARGOCD_NAMESPACE = 'argocd';
export const APPLICATIONS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications' } as const;
export const HEALTH_LUA_PATH = join(PROJECT_ROOT, 'charts', 'roomban-operator', 'argocd', 'health.lua');
export const HEALTH_KEY = 'resource.customizations.health.roomban.io_RoomBan';

export interface HealthStatus {
  status: string;
  message?: string;
}

export interface ApplicationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
  status?: string;
  health?: HealthStatus;
}

export interface Application {
  metadata: { name: string; namespace: string };
  status?: {
    health?: HealthStatus;
    sync?: { status: string; revision?: string };
    resources?: ApplicationResource[];
    conditions?: { type: string; message: string }[];
    operationState?: { phase: string; message?: string };
  };
}

export interface ArgoCdRun {
  version: string;
  /** The destination cluster's server URL, as registered in the cluster Secret. */
  server: string;
  processes: GroupProcess[];
  stop(): Promise<void>;
}

export async function startArgoCd(cluster: TestCluster): Promise<ArgoCdRun> {
  const argo = argoCd();
  const redisServer = systemProgram('redis-server');
  const apply = await cluster.kubectl(['apply', '--server-side', '-f', argo.crdDir]);
  if (apply.code !== 0) throw new Error(`applying ${argo.crdDir} failed: ${apply.stderr}`);
  const wait = await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', argo.crdDir]);
  if (wait.code !== 0) throw new Error(`${argo.crdDir} not Established: ${wait.stderr}`);
  await installSettings(cluster);

  const workDir = mkdtempSync(join(tmpdir(), 'roomban-argocd-'));
  const [redisPort, repoPort, repoMetrics, controllerMetrics] = await freePorts(4);
  const redis = `127.0.0.1:${redisPort}`;
  const env = {
    // hack/git-verify-wrapper.sh is run from PATH; there is no GPG keyring here.
    PATH: `${argo.binDir}:${process.env.PATH ?? ''}`,
    ARGOCD_GPG_ENABLED: 'false',
    TMPDIR: workDir,
    HOME: workDir,
  };
  const processes: GroupProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const redisProcess = startGroupProcess('redis-server', redisServer,
      ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', workDir], workDir);
    processes.push(redisProcess);
    await redisProcess.waitLog(/Ready to accept connections/);
    const repoServer = startGroupProcess('argocd-repo-server', join(argo.binDir, 'argocd-repo-server'), [
      '--address=127.0.0.1', `--port=${repoPort}`, '--metrics-address=127.0.0.1', `--metrics-port=${repoMetrics}`,
      // Plain gRPC on loopback: --disable-tls, and no client CA (its default path would be checked).
      '--disable-tls', '--client-ca-path=', `--redis=${redis}`, '--loglevel=debug', '--logformat=text',
    ], workDir, { env });
    processes.push(repoServer);
    const controller = startGroupProcess('argocd-application-controller', join(argo.binDir, 'argocd-application-controller'), [
      `--kubeconfig=${cluster.adminKubeconfigPath}`, `--namespace=${ARGOCD_NAMESPACE}`,
      `--repo-server=127.0.0.1:${repoPort}`, '--repo-server-plaintext', `--redis=${redis}`, `--metrics-port=${controllerMetrics}`,
      '--status-processors=2', '--operation-processors=2', '--app-resync=10', '--self-heal-timeout-seconds=1',
      // Keep each resource's health in the Application's status, where the tests (and kubectl users) read it.
      '--persist-resource-health', '--loglevel=debug', '--logformat=text',
    ], workDir, { env });
    processes.push(controller);
    await repoServer.waitHttpOk(`http://127.0.0.1:${repoMetrics}/healthz`);
    await controller.waitHttpOk(`http://127.0.0.1:${controllerMetrics}/healthz`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { version: argo.version, server: cluster.server, processes, stop };
}

/** The namespace, argocd-cm with the chart's health.lua, argocd-rbac-cm, argocd-secret, the default AppProject and the cluster Secret. */
async function installSettings(cluster: TestCluster): Promise<void> {
  const core = cluster.admin.makeApiClient(CoreV1Api);
  const custom = cluster.admin.makeApiClient(CustomObjectsApi);
  const namespace = ARGOCD_NAMESPACE;
  const partOf = { 'app.kubernetes.io/part-of': 'argocd' };
  const token = cluster.admin.getCurrentUser()?.token;
  if (!token) throw new Error('the admin kubeconfig has no token');
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await core.createNamespacedConfigMap({ namespace, body: {
    metadata: { name: 'argocd-cm', labels: partOf },
    data: { [HEALTH_KEY]: readFileSync(HEALTH_LUA_PATH, 'utf8'), 'timeout.reconciliation': '10s' },
  } });
  await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'argocd-rbac-cm', labels: partOf }, data: {} } });
  await core.createNamespacedSecret({ namespace, body: {
    metadata: { name: 'argocd-secret', labels: partOf },
    stringData: { 'server.secretkey': randomBytes(24).toString('hex') },
  } });
  // The destination: this API server by URL (the in-cluster default needs KUBERNETES_SERVICE_HOST).
  await core.createNamespacedSecret({ namespace, body: {
    metadata: { name: 'test-cluster', labels: { ...partOf, 'argocd.argoproj.io/secret-type': 'cluster' } },
    stringData: {
      name: 'test', server: cluster.server,
      config: JSON.stringify({ bearerToken: token, tlsClientConfig: { caData: readFileSync(cluster.local.caFile).toString('base64') } }),
    },
  } });
  await custom.createNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', plural: 'appprojects', namespace, body: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default' },
    spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
  } });
}

export class Applications {
  private readonly custom: CustomObjectsApi;

  constructor(cluster: TestCluster) {
    this.custom = cluster.admin.makeApiClient(CustomObjectsApi);
  }

  /** An Application syncing `path` of `repoUrl` (main) into `namespace`, automated with prune and self-heal. */
  async create(name: string, repoUrl: string, path: string, server: string, namespace: string): Promise<void> {
    const body = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: ARGOCD_NAMESPACE },
      spec: {
        project: 'default',
        source: { repoURL: repoUrl, targetRevision: 'main', path },
        destination: { server, namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    };
    await this.custom.createNamespacedCustomObject({ ...APPLICATIONS, namespace: ARGOCD_NAMESPACE, body });
  }

  async get(name: string): Promise<Application> {
    return (await this.custom.getNamespacedCustomObject({ ...APPLICATIONS, namespace: ARGOCD_NAMESPACE, name })) as Application;
  }
}

/** The health Argo CD recorded for RoomBan `name` in the Application's status. */
export function roomBanHealth(app: Application, name: string): HealthStatus | undefined {
  return app.status?.resources?.find((r) => r.group === 'roomban.io' && r.kind === 'RoomBan' && r.name === name)?.health;
}
