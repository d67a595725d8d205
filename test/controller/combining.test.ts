// Batching across RoomBans, end to end (docs/architecture.md#combining-calls): many single-user
// RoomBans on one room go out in few vendor calls, each RoomBan recording the RequestId of the
// call that took its user out; RoomBans of different namespaces never share a call; waiting
// RoomBans ride along with a call that has room, so calls are full even with a token for each.

import assert from 'node:assert/strict';
import type { RoomBan } from '../../src/api/types.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { isReady, providerSpec, secretData } from '../../support/fixtures.ts';
import { sumMetric } from '../../support/operator-process.ts';
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

  it('one worker, 45 waiting single-user Chat RoomBans, a token for every call: riders fill each call, so ceil(45/20) = 3 calls', async () => {
    // With --concurrency=1 only one RoomBan is ever at the combiner, and Chat's bucket (200/s) has
    // a token almost at once: without riders every RoomBan would be a call of its own (45 calls).
    const ns = await freshNamespace(env.cluster);
    const provider = await env.fx.vendorProvider(ns, 'tencentChat', env.sims.chat.url);
    const room = `chat-hall-${ns}`;
    const users = Array.from({ length: 45 }, (_, i) => `spammer${i}`);
    env.sims.chat.addMembers(room, users);
    for (const user of users) await env.fx.ban(ns, `report-${user}`, { providerRef: { name: provider }, roomId: room, users: [user], reason: 'spam' });
    const op = await startOperator(env, { namespaces: [ns], args: ['--concurrency=1'] });
    const bans = await allReady(ns, users.length);
    const calls = callsFor(env.sims.chat, room);
    assert.deepEqual(calls.map((call) => call.userIds.length), [20, 20, 5], 'full calls, in order');
    assert.deepEqual(calls.flatMap((call) => call.userIds).sort(), [...users].sort(), 'every user named exactly once');
    for (const ban of bans) {
      const user = ban.status?.users?.[0];
      assert.equal(user?.requestId, calls.find((call) => call.userIds.includes(user?.userId ?? ''))?.requestId, `RequestId of ${ban.metadata.name}`);
    }
    const metrics = await (await fetch(`${op.metricsUrl}/metrics`)).text();
    assert.equal(sumMetric(metrics, 'roomban_workqueue_riders_total'), 42, '19 + 19 + 4 rode along');
    assert.deepEqual(env.sims.chat.members(room), []);
  });

  it('a RoomBan with another reason, or with a duration, does not ride along with a Chat kick', async () => {
    const ns = await freshNamespace(env.cluster);
    const provider = await env.fx.vendorProvider(ns, 'tencentChat', env.sims.chat.url);
    const room = `chat-mixed-${ns}`;
    env.sims.chat.addMembers(room, ['k1', 'k2', 'other-reason', 'banned']);
    const spec = (user: string) => ({ providerRef: { name: provider }, roomId: room, users: [user], reason: 'spam' });
    await env.fx.ban(ns, 'k1', spec('k1'));
    await env.fx.ban(ns, 'k2', spec('k2'));
    await env.fx.ban(ns, 'other-reason', { ...spec('other-reason'), reason: 'abuse' });
    await env.fx.ban(ns, 'banned', { ...spec('banned'), duration: '1h' });
    await startOperator(env, { namespaces: [ns], args: ['--concurrency=1'] });
    await allReady(ns, 4);
    const calls = callsFor(env.sims.chat, room);
    const kicks = calls.filter((call) => call.action !== 'ban_room_member');
    assert.deepEqual(kicks.map((call) => [...call.userIds].sort()), [['k1', 'k2'], ['other-reason']], 'the same reason rides along; another reason is its own call');
    assert.deepEqual(calls.filter((call) => call.action === 'ban_room_member').map((call) => call.userIds), [['banned']]);
  });
});
