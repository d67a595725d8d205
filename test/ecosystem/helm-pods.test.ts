// charts/roomban-operator installed by Helm on a control plane that runs pods: kube-apiserver,
// kube-controller-manager and kube-scheduler (all three from the k8s.io/kubernetes module) and a
// KWOK node. `helm install --wait` returns only once the Deployment is available with Ready pods;
// upgrades roll new ReplicaSets; uninstall leaves nothing; the PodDisruptionBudget is computed by
// the disruption controller and enforced by the eviction API. KWOK pods run no container, so probes
// and the security context are the image tier's job (image-operator.test.ts).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AppsV1Api, CoreV1Api, NetworkingV1Api, PatchStrategy, PolicyV1Api, setHeaderOptions, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { CHART_DIR } from '../packaging/chart.ts';
import { cannotRunPods, FAKE_NODE, FAKE_NODE_TAINT, type PodCluster, podCluster, stopPodCluster } from './pod-cluster.ts';
import { eventually } from './support.ts';

const SELECTOR = (release: string) => `app.kubernetes.io/instance=${release}`;

describe('Helm chart with real pods (kube-controller-manager, kube-scheduler, KWOK)', function () {
  this.timeout(180_000);
  let c: PodCluster;
  let apps: AppsV1Api;
  let core: CoreV1Api;

  before(async function () {
    this.timeout(240_000);
    const why = cannotRunPods();
    if (why) throw new Error(`the Helm pod tier cannot run here: ${why}`);
    c = await podCluster();
    apps = c.admin.makeApiClient(AppsV1Api);
    core = c.admin.makeApiClient(CoreV1Api);
  });
  after(async () => {
    await stopPodCluster();
  });

  const namespace = async (): Promise<string> => {
    const name = `helm-${randomBytes(4).toString('hex')}`;
    await core.createNamespace({ body: { metadata: { name } } });
    return name;
  };

  /** helm install/upgrade --wait with the values every release here needs (the KWOK toleration). */
  const helmWait = async (verb: 'install' | 'upgrade', release: string, ns: string, values: Record<string, unknown> = {}): Promise<void> => {
    const args = [verb, release, CHART_DIR, '--namespace', ns, '--wait', '--timeout=90s',
      '--set-json', `tolerations=${JSON.stringify([{ ...FAKE_NODE_TAINT, operator: 'Equal' }])}`,
      '--set', 'image.repository=localhost/roomban-operator'];
    for (const [key, value] of Object.entries(values)) args.push('--set-json', `${key}=${JSON.stringify(value)}`);
    const result = await c.helm(args);
    assert.equal(result.code, 0, `helm ${verb} ${release}:\n${result.stdout}${result.stderr}\n${await diagnose(ns)}`);
  };

  const diagnose = async (ns: string): Promise<string> => {
    const get = await c.kubectl(['get', 'deploy,rs,pods,events', '-n', ns, '-o', 'wide']);
    return `${get.stdout}${get.stderr}\n--- kube-controller-manager:\n${c.daemons[0]?.log(1500)}\n--- kube-scheduler:\n${c.daemons[1]?.log(1500)}`;
  };

  const deployment = async (ns: string, release: string): Promise<V1Deployment> =>
    apps.readNamespacedDeployment({ name: `${release}-roomban-operator`, namespace: ns });

  const pods = async (ns: string, release: string): Promise<V1Pod[]> =>
    (await core.listNamespacedPod({ namespace: ns, labelSelector: SELECTOR(release) })).items.filter((p) => !p.metadata?.deletionTimestamp);

  const assertAvailable = async (ns: string, release: string, replicas: number): Promise<V1Pod[]> => {
    const d = await deployment(ns, release);
    assert.equal(d.status?.availableReplicas, replicas, `available replicas:\n${JSON.stringify(d.status, null, 1)}`);
    assert.equal(d.status?.readyReplicas, replicas);
    assert.equal(d.status?.conditions?.find((cond) => cond.type === 'Available')?.status, 'True');
    const running = await pods(ns, release);
    assert.equal(running.length, replicas, running.map((p) => p.metadata?.name).join(', '));
    for (const p of running) {
      assert.equal(p.spec?.nodeName, FAKE_NODE, 'scheduled onto the KWOK node by kube-scheduler');
      assert.equal(p.status?.phase, 'Running');
      assert.equal(p.status?.conditions?.find((cond) => cond.type === 'Ready')?.status, 'True');
    }
    return running;
  };

  it('helm install --wait: one replica, available with a Ready pod, Recreate strategy; a Pod without the toleration stays Pending', async () => {
    const ns = await namespace();
    await helmWait('install', 'one', ns);
    const [p] = await assertAvailable(ns, 'one', 1);
    assert.deepEqual(p?.spec?.containers.map((ct) => ct.image), ['localhost/roomban-operator:0.1.0']);
    assert.equal((await deployment(ns, 'one')).spec?.strategy?.type, 'Recreate');
    // The scheduler really decides: without the toleration nothing fits the tainted node.
    await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'untolerated' }, spec: { containers: [{ name: 'c', image: 'x' }] } } });
    const pending = await eventually('the untolerated pod marked unschedulable', async () => {
      const pod = await core.readNamespacedPod({ name: 'untolerated', namespace: ns });
      return pod.status?.conditions?.find((cond) => cond.type === 'PodScheduled' && cond.reason === 'Unschedulable') ? pod : undefined;
    }, 30_000);
    assert.equal(pending.spec?.nodeName, undefined);
  });

  it('one replica with leader election: a Ready pod, rolling updates that surge instead of going down', async () => {
    const ns = await namespace();
    await helmWait('install', 'le', ns, { 'leaderElection.enabled': true });
    await assertAvailable(ns, 'le', 1);
    const d = await deployment(ns, 'le');
    assert.equal(d.spec?.strategy?.type, 'RollingUpdate');
    assert.deepEqual([d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable], [1, 0]);
    assert.ok(d.spec?.template.spec?.containers[0]?.args?.includes('--leader-elect'));
  });

  it('two replicas with leader election: both pods Ready, rolling updates; helm upgrade rolls a new ReplicaSet', async () => {
    const ns = await namespace();
    await helmWait('install', 'two', ns, { replicaCount: 2 });
    await assertAvailable(ns, 'two', 2);
    const d = await deployment(ns, 'two');
    assert.equal(d.spec?.strategy?.type, 'RollingUpdate');
    assert.ok(d.spec?.template.spec?.containers[0]?.args?.includes('--leader-elect'));
    const before = (await apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: SELECTOR('two') })).items;
    assert.equal(before.length, 1);
    const oldHash = before[0]?.metadata?.labels?.['pod-template-hash'];

    await helmWait('upgrade', 'two', ns, { replicaCount: 2, logLevel: 'debug' });
    const running = await assertAvailable(ns, 'two', 2);
    const sets = (await apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: SELECTOR('two') })).items;
    assert.equal(sets.length, 2, 'the old ReplicaSet is kept for rollback (revisionHistoryLimit)');
    const current = sets.find((rs) => rs.metadata?.labels?.['pod-template-hash'] !== oldHash);
    assert.ok(current, 'a new ReplicaSet');
    assert.equal(current.status?.readyReplicas, 2);
    assert.equal(sets.find((rs) => rs.metadata?.labels?.['pod-template-hash'] === oldHash)?.status?.replicas ?? 0, 0, 'the old ReplicaSet is scaled to 0');
    for (const p of running) {
      assert.equal(p.metadata?.labels?.['pod-template-hash'], current.metadata?.labels?.['pod-template-hash']);
      assert.ok(p.spec?.containers[0]?.args?.includes('--log-level=debug'));
    }
    assert.equal((await deployment(ns, 'two')).metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  });

  it('helm uninstall leaves nothing: the release\'s objects, ReplicaSets and pods are gone, and the namespace can be deleted', async () => {
    const ns = await namespace();
    await helmWait('install', 'gone', ns, { replicaCount: 2, 'podDisruptionBudget.enabled': true, 'networkPolicy.enabled': true });
    await assertAvailable(ns, 'gone', 2);
    const uninstall = await c.helm(['uninstall', 'gone', '--namespace', ns, '--wait', '--timeout=90s']);
    assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
    await eventually('no object of the release left', async () => {
      const left = await c.kubectl(['get', 'all,serviceaccounts,roles,rolebindings,leases,poddisruptionbudgets,networkpolicies,secrets', '-n', ns, '-l', SELECTOR('gone'), '-o', 'name']);
      const cluster = await c.kubectl(['get', 'clusterroles,clusterrolebindings', '-l', SELECTOR('gone'), '-o', 'name']);
      const remaining = (left.stdout + cluster.stdout).trim();
      if (left.code !== 0 || cluster.code !== 0) throw new Error(left.stderr + cluster.stderr);
      return remaining === '' ? true : undefined;
    }, 60_000);
    assert.equal((await core.listNamespacedPod({ namespace: ns })).items.length, 0, 'the garbage collector removed the ReplicaSets\' pods');
    const secrets = (await core.listNamespacedSecret({ namespace: ns })).items.filter((s) => s.type === 'helm.sh/release.v1');
    assert.deepEqual(secrets.map((s) => s.metadata?.name), [], 'no Helm release record');
    await core.deleteNamespace({ name: ns });
    await eventually('the namespace deleted by the namespace controller', async () => {
      const list = await core.listNamespace();
      return list.items.some((n) => n.metadata?.name === ns) ? undefined : true;
    }, 60_000);
  });

  it('PodDisruptionBudget: the disruption controller computes it, and the eviction API enforces it', async () => {
    const ns = await namespace();
    await helmWait('install', 'pdb', ns, { replicaCount: 2, 'podDisruptionBudget.enabled': true });
    await assertAvailable(ns, 'pdb', 2);
    const policy = c.admin.makeApiClient(PolicyV1Api);
    const name = 'pdb-roomban-operator';
    const status = await eventually('the PDB status from the disruption controller', async () => {
      const pdb = await policy.readNamespacedPodDisruptionBudget({ name, namespace: ns });
      return pdb.status?.expectedPods === 2 && pdb.status.currentHealthy === 2 ? pdb.status : undefined;
    });
    assert.deepEqual({ desired: status.desiredHealthy, allowed: status.disruptionsAllowed }, { desired: 1, allowed: 1 });
    const [first, second] = await pods(ns, 'pdb');
    // The node is cordoned while evicting, so the evicted pod's replacement stays Pending: else it
    // can turn Ready (KWOK is instant) and be counted before the second eviction, which is then
    // rightly allowed, and the test would race the disruption controller.
    const cordon = (unschedulable: boolean) =>
      core.patchNode({ name: FAKE_NODE, body: { spec: { unschedulable } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await cordon(true);
    await core.createNamespacedPodEviction({ name: first!.metadata!.name!, namespace: ns, body: { metadata: { name: first!.metadata!.name!, namespace: ns } } });
    await assert.rejects(
      core.createNamespacedPodEviction({ name: second!.metadata!.name!, namespace: ns, body: { metadata: { name: second!.metadata!.name!, namespace: ns } } }),
      (error: unknown) => {
        const code = (error as { code?: number }).code;
        assert.equal(code, 429, `a second eviction while one pod is down is refused: ${String(error)}`);
        return true;
      },
    );
    await cordon(false);
    // The ReplicaSet replaces the evicted pod and the budget allows a disruption again.
    await eventually('two healthy pods and one allowed disruption again', async () => {
      const pdb = await policy.readNamespacedPodDisruptionBudget({ name, namespace: ns });
      return pdb.status?.currentHealthy === 2 && pdb.status.disruptionsAllowed === 1 ? true : undefined;
    }, 60_000);

    // One replica: maxUnavailable 1, so a node drain is never blocked.
    await helmWait('upgrade', 'pdb', ns, { replicaCount: 1, 'podDisruptionBudget.enabled': true });
    const single = await eventually('the one-replica PDB status', async () => {
      const pdb = await policy.readNamespacedPodDisruptionBudget({ name, namespace: ns });
      return pdb.spec?.maxUnavailable === 1 && pdb.status?.expectedPods === 1 && pdb.status.currentHealthy === 1 ? pdb.status : undefined;
    });
    assert.equal(single.disruptionsAllowed, 1);
  });

  it('NetworkPolicy: accepted by the API server and selects exactly the release\'s pods (no CNI here enforces traffic rules)', async () => {
    // kube-controller-manager has no NetworkPolicy controller: enforcement is the network plugin's,
    // and no network plugin runs here (KWOK pods have no network). What can be checked is that the
    // API server accepts each rendering and that its podSelector picks the operator's pods only.
    const ns = await namespace();
    await helmWait('install', 'np', ns, {
      'networkPolicy.enabled': true,
      'networkPolicy.ingressFrom': [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      'networkPolicy.egress.allowAll': false,
      'networkPolicy.egress.apiServerCIDRs': ['10.0.0.1/32'],
      'networkPolicy.egress.extraRules': [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 9000, protocol: 'TCP' }] }],
    });
    await assertAvailable(ns, 'np', 1);
    await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'bystander', labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'x' }], tolerations: [{ ...FAKE_NODE_TAINT, operator: 'Equal' }] } } });
    const policy = await c.admin.makeApiClient(NetworkingV1Api).readNamespacedNetworkPolicy({ name: 'np-roomban-operator', namespace: ns });
    assert.deepEqual(policy.spec?.policyTypes, ['Ingress', 'Egress']);
    assert.equal(policy.spec?.egress?.length, 4, 'DNS, HTTPS to the vendors, the API server, the extra rule');
    const selector = Object.entries(policy.spec?.podSelector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const selected = (await core.listNamespacedPod({ namespace: ns, labelSelector: selector })).items.map((p) => p.metadata?.name ?? '');
    const operatorPods = (await pods(ns, 'np')).map((p) => p.metadata?.name ?? '');
    assert.deepEqual(selected.sort(), operatorPods.sort());
    assert.ok(!selected.includes('bystander'));
  });
});
