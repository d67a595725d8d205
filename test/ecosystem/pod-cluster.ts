// A control plane that runs pods, for the Helm tier: its own kube-apiserver + etcd (so the
// controllers never touch the shared test cluster's objects), kube-controller-manager and
// kube-scheduler built from the same k8s.io/kubernetes module, and KWOK faking one node and the
// kubelet's pod lifecycle (pods are scheduled, become Running and Ready, and terminate; no container
// runs — the image tier covers that). Started once per test run on first use and stopped by the
// suite's after hook, or at process exit at the latest.

import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeTools } from '../../src/devcluster/binaries.ts';
import { type LocalCluster, startLocalCluster } from '../../src/devcluster/local-cluster.ts';
import { type CommandResult, runCommand } from '../../support/run-command.ts';
import { controllerBinary, type Daemon, eventually, freePort, kwokDir, startDaemon } from './support.ts';

export const FAKE_NODE = 'kwok-node-0';
/** The taint KWOK's node carries, so only pods that tolerate it land there. */
export const FAKE_NODE_TAINT = { key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' } as const;

export interface PodCluster {
  local: LocalCluster;
  admin: KubeConfig;
  kubeconfig: string;
  helm(args: string[]): Promise<CommandResult>;
  kubectl(args: string[], input?: string): Promise<CommandResult>;
  daemons: Daemon[];
  stop(): Promise<void>;
}

let started: Promise<PodCluster> | undefined;

/** Why the Helm tier cannot run here, or undefined. */
export function cannotRunPods(): string | undefined {
  try {
    controllerBinary('kube-controller-manager');
    controllerBinary('kube-scheduler');
    kwokDir();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function podCluster(): Promise<PodCluster> {
  started ??= start();
  return started;
}

export async function stopPodCluster(): Promise<void> {
  if (!started) return;
  const cluster = await started.catch(() => undefined);
  started = undefined;
  await cluster?.stop();
}

async function start(): Promise<PodCluster> {
  const local = await startLocalCluster();
  const daemons: Daemon[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(daemons.splice(0).reverse().map((d) => d.stop()));
    await local.stop();
  };
  try {
    const kubeconfig = local.kubeconfigPath('admin');
    const log = (name: string) => join(local.workDir, `${name}.log`);
    daemons.push(startDaemon('kube-controller-manager', controllerBinary('kube-controller-manager'), [
      `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
      `--service-account-private-key-file=${join(local.workDir, 'sa.key')}`, `--root-ca-file=${local.caFile}`,
      '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${await freePort()}`, '--controllers=*',
      // Pods are fake: reconcile quickly rather than politely.
      '--concurrent-deployment-syncs=5', '--concurrent-replicaset-syncs=5', '--concurrent-gc-syncs=10', '--v=1',
    ], log('kube-controller-manager')));
    daemons.push(startDaemon('kube-scheduler', controllerBinary('kube-scheduler'), [
      `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
      '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${await freePort()}`, '--v=1',
    ], log('kube-scheduler')));
    const kwok = kwokDir();
    daemons.push(startDaemon('kwok', join(kwok, 'kwok'), [
      `--kubeconfig=${kubeconfig}`, `--config=${join(kwok, 'stages.yaml')}`,
      `--manage-nodes-with-annotation-selector=${FAKE_NODE_TAINT.key}=${FAKE_NODE_TAINT.value}`,
      '--cidr=10.244.0.0/24', '--node-ip=127.0.0.1', `--server-address=127.0.0.1:${await freePort()}`,
    ], log('kwok')));

    const admin = local.kubeConfig('admin');
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNode({
      body: {
        metadata: { name: FAKE_NODE, annotations: { [FAKE_NODE_TAINT.key]: FAKE_NODE_TAINT.value }, labels: { type: 'kwok', 'kubernetes.io/hostname': FAKE_NODE } },
        spec: { taints: [{ ...FAKE_NODE_TAINT }] },
      },
    });
    const alive = (): void => {
      for (const d of daemons) if (d.child.exitCode !== null) throw new Error(`${d.name} exited ${d.child.exitCode}:\n${d.log()}`);
    };
    await eventually('the KWOK node Ready', async () => {
      alive();
      const node = await core.readNode({ name: FAKE_NODE });
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? node : undefined;
    }, 60_000);
    // kube-controller-manager's serviceaccount controller gives every namespace its default ServiceAccount.
    await eventually('kube-controller-manager running (the default ServiceAccount in default)', async () => {
      alive();
      return (await core.listNamespacedServiceAccount({ namespace: 'default' })).items.find((sa) => sa.metadata?.name === 'default');
    }, 90_000);

    const tools = kubeTools();
    const env = { KUBECONFIG: kubeconfig };
    return {
      local,
      admin,
      kubeconfig,
      helm: (args) => runCommand(tools.helm, args, { env }),
      kubectl: (args, input) => runCommand(tools.kubectl, args, { env, ...(input === undefined ? {} : { input }) }),
      daemons,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
