// Per vendor: a RoomBan reaches Ready against the real API server, every user Removed with the
// RequestId the simulator logged for the call that removed them, in the documented batches.

import assert from 'node:assert/strict';
import type { VendorName } from '../../src/api/types.ts';
import { condition, isReady, waitForEvents } from '../../support/fixtures.ts';
import { callsFor, namespaceWithOperator, simulatorFor, useOperatorEnv, users } from './support.ts';

const CASES: { vendor: VendorName; users: number; calls: number; maxPerCall: number }[] = [
  { vendor: 'tencentTRTC', users: 25, calls: 3, maxPerCall: 10 },
  { vendor: 'tencentChat', users: 45, calls: 3, maxPerCall: 20 },
  { vendor: 'volcengineRTC', users: 7, calls: 7, maxPerCall: 1 },
];

describe('operator: the vendor happy path', function () {
  this.timeout(180_000);
  const env = useOperatorEnv();

  for (const c of CASES) {
    it(`${c.vendor}: ${c.users} users removed in ${c.calls} calls, each with the RequestId of its call; kubectl wait returns`, async () => {
      const { ns } = await namespaceWithOperator(env);
      const sim = simulatorFor(env, c.vendor);
      const provider = await env.fx.vendorProvider(ns, c.vendor, sim.url);
      const room = `room-${ns}`;
      const members = users('u', c.users);
      sim.addMembers(room, members);
      await env.fx.ban(ns, 'raid', { providerRef: { name: provider }, roomId: room, users: members, reason: 'spam wave' });

      const wait = await env.cluster.kubectl(['wait', '-n', ns, '--for=condition=Ready', 'roomban/raid', '--timeout=90s']);
      assert.equal(wait.code, 0, wait.stderr);

      const ban = await env.fx.getBan(ns, 'raid');
      assert.ok(isReady(ban));
      const calls = callsFor(sim, room);
      assert.equal(calls.length, c.calls, 'vendor calls');
      assert.ok(calls.every((call) => call.userIds.length <= c.maxPerCall && call.code === ''));
      assert.deepEqual(sim.members(room), []);
      for (const user of ban.status?.users ?? []) {
        const call = calls.find((x) => x.userIds.includes(user.userId));
        assert.equal(user.state, 'Removed', user.userId);
        assert.equal(user.requestId, call?.requestId, `RequestId of ${user.userId}`);
        assert.equal(user.attempts, 1);
      }
      assert.deepEqual(ban.status?.summary, { total: c.users, removed: c.users, pending: 0, failed: 0 });
      assert.equal(ban.status?.progress, `${c.users}/${c.users}`);
      assert.equal(condition(ban, 'Reconciling')?.status, 'False');
      assert.equal(condition(ban, 'Stalled')?.status, 'False');
      // The last call's UsersRemoved event also says the ban became Ready (one event, not two).
      const events = await waitForEvents(env.fx, ns, (list) => list.some((e) => e.reason === 'UsersRemoved' && e.message.includes('. Ready: ')));
      assert.ok(events.some((e) => e.reason === 'UsersRemoved' && e.message.includes(calls[0]!.requestId)), JSON.stringify(events));
      assert.equal(events.filter((e) => e.reason === 'UsersRemoved').length, calls.length, 'one event per call');
    });
  }

  it('a ClusterRoomProvider with its Secret in another namespace works too', async () => {
    const { ns } = await namespaceWithOperator(env);
    const secretNs = `${ns}-keys`;
    await env.cluster.kubectl(['create', 'namespace', secretNs]);
    const sim = env.sims.trtc;
    const { secretData, providerSpec } = await import('../../support/fixtures.ts');
    await env.fx.secret(secretNs, 'shared', secretData('tencentTRTC'));
    const spec = providerSpec('tencentTRTC', sim.url, 'shared');
    spec.credentialsSecretRef.namespace = secretNs;
    const body = { apiVersion: 'roomban.io/v1alpha1', kind: 'ClusterRoomProvider', metadata: { name: `shared-${ns}` }, spec };
    await env.fx.custom.createClusterCustomObject({ group: 'roomban.io', version: 'v1alpha1', plural: 'clusterroomproviders', body });
    sim.addMembers(`hall-${ns}`, ['a', 'b']);
    await env.fx.ban(ns, 'shared', { providerRef: { kind: 'ClusterRoomProvider', name: `shared-${ns}` }, roomId: `hall-${ns}`, users: ['a', 'b'] });
    const ban = await env.fx.waitForBan(ns, 'shared', isReady);
    assert.deepEqual(ban.status?.users?.map((u) => u.state), ['Removed', 'Removed']);
  });
});
