// Batching across RoomBans, end to end (docs/architecture.md#combining-calls): many single-user
// RoomBans on one room go out in few vendor calls, each RoomBan recording the RequestId of the
// call that took its user out; RoomBans of different namespaces never share a call.

import assert from 'node:assert/strict';
import type { RoomBan } from '../../src/api/types.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { isReady, providerSpec, secretData } from '../../support/fixtures.ts';
import { callsFor, startOperator, useOperatorEnv } from './support.ts';

describe('operator: batching across RoomBans', function () {
  this.timeout(180_000);
  const env = useOperatorEnv();

  async function sharedProvider(namespaces: string[]): Promise<string> {
    const secretNs = namespaces[0]!;
    const name = `shared-${secretNs}`;
    await env.fx.secret(secretNs, 'trtc-keys', secretData('tencentTRTC'));
    const spec = providerSpec('tencentTRTC', env.sims.trtc.url, 'trtc-keys');
    spec.credentialsSecretRef.namespace = secretNs;
    const body = { apiVersion: 'roomban.io/v1alpha1', kind: 'ClusterRoomProvider', metadata: { name }, spec };
    await env.fx.custom.createClusterCustomObject({ group: 'roomban.io', version: 'v1alpha1', plural: 'clusterroomproviders', body });
    return name;
  }

  async function allReady(ns: string, count: number): Promise<RoomBan[]> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const bans = await env.fx.listBans(ns);
      if (bans.length === count && bans.every(isReady)) return bans;
      if (Date.now() > deadline) assert.fail(`not all ${count} RoomBans in ${ns} Ready: ${bans.filter(isReady).length}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('30 single-user TRTC RoomBans on one room: a third of the calls or fewer, each RoomBan with the RequestId of the call that removed its user', async () => {
    const ns = await freshNamespace(env.cluster);
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', env.sims.trtc.url);
    const room = `hall-${ns}`;
    const users = Array.from({ length: 30 }, (_, i) => `raider${i}`);
    env.sims.trtc.addMembers(room, users);
    await Promise.all(users.map((user) => env.fx.ban(ns, `report-${user}`, { providerRef: { name: provider }, roomId: room, users: [user] })));
    await startOperator(env, { namespaces: [ns] });
    const bans = await allReady(ns, users.length);
    const calls = callsFor(env.sims.trtc, room);
    assert.ok(calls.length <= 10, `${calls.length} calls for 30 users (unbatched: 30)`);
    assert.ok(calls.every((call) => call.userIds.length <= 10 && call.code === ''));
    assert.deepEqual(calls.flatMap((call) => call.userIds).sort(), [...users].sort(), 'every user named exactly once');
    for (const ban of bans) {
      const user = ban.status?.users?.[0];
      const call = calls.find((candidate) => candidate.userIds.includes(user?.userId ?? ''));
      assert.equal(user?.requestId, call?.requestId, `RequestId of ${ban.metadata.name}`);
    }
    assert.deepEqual(env.sims.trtc.members(room), []);
  });

  it('RoomBans of two namespaces on one room and one ClusterRoomProvider never share a call', async () => {
    const nsA = await freshNamespace(env.cluster);
    const nsB = await freshNamespace(env.cluster);
    const provider = await sharedProvider([nsA, nsB]);
    const room = `shared-hall-${nsA}`;
    const usersA = Array.from({ length: 8 }, (_, i) => `a${i}`);
    const usersB = Array.from({ length: 8 }, (_, i) => `b${i}`);
    env.sims.trtc.addMembers(room, [...usersA, ...usersB]);
    const create = (ns: string, user: string) => env.fx.ban(ns, `report-${user}`, { providerRef: { kind: 'ClusterRoomProvider', name: provider }, roomId: room, users: [user] });
    await Promise.all([...usersA.map((user) => create(nsA, user)), ...usersB.map((user) => create(nsB, user))]);
    await startOperator(env, { namespaces: [nsA, nsB] });
    await allReady(nsA, usersA.length);
    await allReady(nsB, usersB.length);
    const calls = callsFor(env.sims.trtc, room);
    for (const call of calls) {
      const tenants = new Set(call.userIds.map((user) => user[0]));
      assert.equal(tenants.size, 1, `a call named users of both namespaces: ${call.userIds.join(',')}`);
    }
    assert.ok(calls.length < usersA.length + usersB.length, `still combined within each namespace: ${calls.length} calls`);
  });
});
