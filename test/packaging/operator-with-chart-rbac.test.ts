// The real operator, run as a local process with the token of the chart's ServiceAccount: the
// chart's RBAC is sufficient for the vendor happy path of every vendor, and in namespace-scoped
// mode it is tight (Secrets outside the list are refused, and the operator says so in status).

import assert from 'node:assert/strict';
import type { RoomProvider, VendorName } from '../../src/api/types.ts';
import { condition, Fixtures, isReady, providerSpec, secretData } from '../../support/fixtures.ts';
import { simulatorFor, startOperator, useOperatorEnv } from '../controller/support.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { installChartRbac } from './chart-rbac.ts';

const VENDORS: VendorName[] = ['tencentTRTC', 'tencentChat', 'volcengineRTC'];

describe("operator with exactly the Helm chart's RBAC", function () {
  this.timeout(180_000);
  const env = useOperatorEnv();

  async function waitForClusterProvider(name: string, predicate: (provider: RoomProvider) => boolean): Promise<RoomProvider> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const provider = (await env.fx.custom.getClusterCustomObject({ group: 'roomban.io', version: 'v1alpha1', plural: 'clusterroomproviders', name })) as RoomProvider;
      if (predicate(provider)) return provider;
      if (Date.now() > deadline) assert.fail(`ClusterRoomProvider ${name}: ${JSON.stringify(provider.status)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('cluster-wide mode: every vendor happy path completes, with leader election, using the ServiceAccount token', async () => {
    const release = await freshNamespace(env.cluster, 'rel');
    const work = await freshNamespace(env.cluster);
    const rbac = await installChartRbac(env.cluster, { namespace: release, leaderElection: true });
    const op = await startOperator(env, {
      kubeconfig: rbac.kubeconfigPath, namespaces: [work],
      args: ['--leader-elect', `--leader-election-namespace=${release}`, `--leader-election-id=${rbac.leaseName}`],
    });
    await op.waitForOutput(/became leader/);
    for (const vendor of VENDORS) {
      const sim = simulatorFor(env, vendor);
      const provider = await env.fx.vendorProvider(work, vendor, sim.url);
      sim.addMembers(`rbac-${work}`, ['m1', 'm2']);
      await env.fx.ban(work, provider, { providerRef: { name: provider }, roomId: `rbac-${work}`, users: ['m1', 'm2'], reason: 'r' });
    }
    for (const vendor of VENDORS) {
      const ban = await env.fx.waitForBan(work, vendor.toLowerCase(), isReady);
      assert.deepEqual(ban.status?.users?.map((u) => u.state), ['Removed', 'Removed'], vendor);
    }
    assert.doesNotMatch(op.output(), /forbidden|"code":403/i);
  });

  it('namespace-scoped mode: works in its namespaces, and is refused a Secret outside its list', async () => {
    const release = await freshNamespace(env.cluster, 'rel');
    const work = await freshNamespace(env.cluster);
    const elsewhere = await freshNamespace(env.cluster, 'keys');
    const rbac = await installChartRbac(env.cluster, { namespace: release, watchNamespaces: [work] });
    await startOperator(env, { kubeconfig: rbac.kubeconfigPath, namespaces: [work] });
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(work, 'tencentTRTC', sim.url);
    sim.addMembers(`ns-${work}`, ['n1']);
    await env.fx.ban(work, 'inside', { providerRef: { name: provider }, roomId: `ns-${work}`, users: ['n1'] });
    await env.fx.waitForBan(work, 'inside', isReady);

    // A ClusterRoomProvider whose Secret lives in a namespace the chart granted nothing in.
    await env.fx.secret(elsewhere, 'keys', secretData('tencentTRTC'));
    const spec = providerSpec('tencentTRTC', sim.url, 'keys');
    spec.credentialsSecretRef.namespace = elsewhere;
    await new Fixtures(env.cluster.admin).custom.createClusterCustomObject({
      group: 'roomban.io', version: 'v1alpha1', plural: 'clusterroomproviders',
      body: { apiVersion: 'roomban.io/v1alpha1', kind: 'ClusterRoomProvider', metadata: { name: `outside-${work}` }, spec },
    });
    sim.addMembers(`out-${work}`, ['n2']);
    await env.fx.ban(work, 'outside', { providerRef: { kind: 'ClusterRoomProvider', name: `outside-${work}` }, roomId: `out-${work}`, users: ['n2'] });
    const refused = await env.fx.waitForBan(work, 'outside', (b) => condition(b, 'Reconciling')?.reason === 'WaitingForProvider');
    // The tenant is told to ask the provider's owner, not which Secret (nor why); the owner reads it in the provider's status.
    assert.match(condition(refused, 'Reconciling')?.message ?? '', new RegExp(`^the credentials of ClusterRoomProvider "outside-${work}" are missing, unreadable or invalid; ask the provider's owner`));
    assert.doesNotMatch(JSON.stringify(refused.status?.conditions), new RegExp(`${elsewhere}|keys`));
    const owner = await waitForClusterProvider(`outside-${work}`, (p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.reason === 'SecretNotReadable');
    assert.match(owner.status?.conditions?.find((c) => c.type === 'Ready')?.message ?? '', new RegExp(`not allowed to read Secret ${elsewhere}/keys`));
    assert.deepEqual(sim.members(`out-${work}`), ['n2'], 'no vendor call without credentials');
    const canI = await env.cluster.kubectl(['auth', 'can-i', 'get', 'secrets', '-n', elsewhere], { kubeconfig: rbac.kubeconfigPath });
    assert.equal(canI.stdout.trim(), 'no');
  });
});
