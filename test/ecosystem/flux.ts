// Flux for real: source-controller and kustomize-controller (built by tools/flux/build.sh) run
// against the test API server, once per suite, each in its own process group.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { TestCluster } from '../harness/cluster.ts';
import { fluxController } from './binaries.ts';
import { freePorts, type GroupProcess, startGroupProcess } from './processes.ts';

export const FLUX_NAMESPACE = 'flux-system';
export const SOURCE = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories' } as const;
export const KUSTOMIZE = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations' } as const;

export interface FluxCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface FluxObject {
  metadata: { name: string; namespace: string; generation?: number };
  status?: { conditions?: FluxCondition[]; lastAppliedRevision?: string; lastAttemptedRevision?: string; artifact?: { revision: string } };
}

export interface Flux {
  versions: { sourceController: string; kustomizeController: string };
  processes: GroupProcess[];
  stop(): Promise<void>;
}

export async function startFlux(cluster: TestCluster): Promise<Flux> {
  const source = fluxController('source-controller');
  const kustomize = fluxController('kustomize-controller');
  for (const crds of [source.crdDir, kustomize.crdDir]) {
    const apply = await cluster.kubectl(['apply', '--server-side', '-f', crds]);
    if (apply.code !== 0) throw new Error(`applying ${crds} failed: ${apply.stderr}`);
    const wait = await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', crds]);
    if (wait.code !== 0) throw new Error(`${crds} not Established: ${wait.stderr}`);
  }
  await cluster.admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: FLUX_NAMESPACE } } }).catch((error: { code?: number }) => {
    if (error.code !== 409) throw error;
  });
  const workDir = mkdtempSync(join(tmpdir(), 'roomban-flux-'));
  mkdirSync(join(workDir, 'artifacts')); // source-controller fails with "invalid dir path" otherwise
  const [scMetrics, scHealth, scStorage, kcMetrics, kcHealth] = await freePorts(5);
  // Neither controller has a --kubeconfig flag: controller-runtime reads KUBECONFIG.
  const env = { KUBECONFIG: cluster.adminKubeconfigPath, RUNTIME_NAMESPACE: FLUX_NAMESPACE };
  const common = ['--enable-leader-election=false', '--log-level=debug', '--watch-all-namespaces=true'];
  const processes: GroupProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    processes.push(startGroupProcess('source-controller', source.binary, [
      ...common, `--metrics-addr=127.0.0.1:${scMetrics}`, `--health-addr=127.0.0.1:${scHealth}`,
      `--storage-path=${join(workDir, 'artifacts')}`, `--storage-addr=127.0.0.1:${scStorage}`, `--storage-adv-addr=127.0.0.1:${scStorage}`,
    ], workDir, { env }));
    processes.push(startGroupProcess('kustomize-controller', kustomize.binary, [
      ...common, `--metrics-addr=127.0.0.1:${kcMetrics}`, `--health-addr=127.0.0.1:${kcHealth}`,
    ], workDir, { env }));
    await processes[0]!.waitHttpOk(`http://127.0.0.1:${scHealth}/readyz`);
    await processes[1]!.waitHttpOk(`http://127.0.0.1:${kcHealth}/readyz`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { versions: { sourceController: source.version, kustomizeController: kustomize.version }, processes, stop };
}

export function condition(object: FluxObject | undefined, type = 'Ready'): FluxCondition | undefined {
  return object?.status?.conditions?.find((c) => c.type === type);
}

export class FluxObjects {
  private readonly custom: CustomObjectsApi;

  constructor(cluster: TestCluster) {
    this.custom = cluster.admin.makeApiClient(CustomObjectsApi);
  }

  async gitRepository(namespace: string, name: string, url: string): Promise<void> {
    const body = {
      apiVersion: `${SOURCE.group}/${SOURCE.version}`, kind: 'GitRepository', metadata: { name, namespace },
      spec: { url, interval: '5s', timeout: '20s', ref: { branch: 'main' } },
    };
    await this.custom.createNamespacedCustomObject({ ...SOURCE, namespace, body });
  }

  /** A Kustomization of the whole repository into `targetNamespace`, with `wait: true` (health checks of everything it applies). */
  async kustomization(namespace: string, name: string, targetNamespace: string, timeout = '90s'): Promise<void> {
    const body = {
      apiVersion: `${KUSTOMIZE.group}/${KUSTOMIZE.version}`, kind: 'Kustomization', metadata: { name, namespace },
      spec: {
        interval: '10m', retryInterval: '5s', timeout, path: './', prune: true, wait: true, targetNamespace,
        sourceRef: { kind: 'GitRepository', name },
      },
    };
    await this.custom.createNamespacedCustomObject({ ...KUSTOMIZE, namespace, body });
  }

  async getKustomization(namespace: string, name: string): Promise<FluxObject> {
    return (await this.custom.getNamespacedCustomObject({ ...KUSTOMIZE, namespace, name })) as FluxObject;
  }

  async getGitRepository(namespace: string, name: string): Promise<FluxObject> {
    return (await this.custom.getNamespacedCustomObject({ ...SOURCE, namespace, name })) as FluxObject;
  }
}
