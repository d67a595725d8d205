// A few large RoomBans cannot hold every worker, and a reconcile spends no calls it knows are
// wasted: it yields between calls while other bans wait (the queue serves namespaces in turn),
// stops at an account-wide refusal, and backs off after a retryable answer.

import assert from 'node:assert/strict';
import { SANDBOX_ACCOUNTS } from '../../src/sandbox/index.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { condition, isReady, providerSpec } from '../../support/fixtures.ts';
import { callsFor, startOperator, users, useOperatorEnv } from './support.ts';

describe('operator: fair workers and no wasted calls', function () {
  this.timeout(180_000);
  const env = useOperatorEnv();

  it("another tenant's one-call RoomBan is served within a turn of ten long ones, not after them", async () => {
    const a = await freshNamespace(env.cluster, 'flood');
    const b = await freshNamespace(env.cluster, 'quiet');
    const sim = env.sims.volcengine; // one user per call: a 20-user ban is 20 calls
    await startOperator(env, { namespaces: [a, b], args: ['--concurrency=2'] });
    const flood = await env.fx.vendorProvider(a, 'volcengineRTC', sim.url);
    const quiet = await env.fx.vendorProvider(b, 'volcengineRTC', sim.url);
    sim.faults.set({ latencyMs: 50 });
    for (let i = 0; i < 10; i++) {
      sim.addMembers(`flood-${i}-${a}`, users('f', 20));
      await env.fx.ban(a, `big-${i}`, { providerRef: { name: flood }, roomId: `flood-${i}-${a}`, users: users('f', 20) });
    }
    for (let i = 0; i < 100 && sim.calls.filter((c) => c.roomId.endsWith(a)).length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    const before = sim.calls.filter((c) => c.roomId.endsWith(a)).length;
    sim.addMembers(`quiet-${b}`, ['q1']);
    await env.fx.ban(b, 'small', { providerRef: { name: quiet }, roomId: `quiet-${b}`, users: ['q1'] });
    await env.fx.waitForBan(b, 'small', isReady);
    const quietAt = sim.calls.findIndex((c) => c.roomId === `quiet-${b}`);
    const floodCallsBefore = sim.calls.slice(0, quietAt).filter((c) => c.roomId.endsWith(a)).length;
    // 200 calls are queued for the flood; with 2 workers the quiet ban waits for about one call
    // per worker after it is created, not for the flood to finish.
    assert.ok(floodCallsBefore - before <= 10, `the quiet ban waited behind ${floodCallsBefore - before} flood calls`);
    sim.faults.clear();
    for (let i = 0; i < 10; i++) await env.fx.waitForBan(a, `big-${i}`, isReady, 120_000);
  });

  it("a raid's riders do not hold another tenant's RoomBan: its status write comes within a few of the raid's, not after them", async () => {
    const a = await freshNamespace(env.cluster, 'raid');
    const b = await freshNamespace(env.cluster, 'quiet');
    const sim = env.sims.chat; // 20 a call at 200/s: each call takes 19 waiting RoomBans along
    const raider = await env.fx.vendorProvider(a, 'tencentChat', sim.url);
    const quiet = await env.fx.vendorProvider(b, 'tencentChat', sim.url);
    const room = `raided-${a}`;
    const raid = users('r', 200);
    sim.addMembers(room, raid);
    sim.addMembers(`calm-${b}`, ['q1']);
    for (let i = 0; i < raid.length; i += 20) {
      await Promise.all(raid.slice(i, i + 20).map((user) => env.fx.ban(a, `report-${user}`, { providerRef: { name: raider }, roomId: room, users: [user] })));
    }
    await startOperator(env, { namespaces: [a, b], args: ['--concurrency=2'] });
    for (let i = 0; i < 2000 && callsFor(sim, room).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const created = await env.fx.ban(b, 'small', { providerRef: { name: quiet }, roomId: `calm-${b}`, users: ['q1'] });
    const ready = await env.fx.waitForBan(b, 'small', isReady);
    const rv = (ban: { metadata: { resourceVersion?: string } }) => Number(ban.metadata.resourceVersion);
    const raidWritesBetween = (await env.fx.listBans(a)).filter((ban) => rv(ban) > rv(created) && rv(ban) < rv(ready)).length;
    // Riders are on top of the two workers and the API requests go namespace by namespace in turn:
    // the quiet RoomBan waits for a worker's own write and a few turns, not for the 38 riders the
    // first two calls took along (nor for the raid to finish).
    assert.ok(raidWritesBetween < 15, `the quiet RoomBan's write came after ${raidWritesBetween} of the raid's`);
    for (const user of raid) await env.fx.waitForBan(a, `report-${user}`, isReady, 60_000);
    assert.ok(callsFor(sim, room).length <= 20, `the raid still rode along: ${callsFor(sim, room).length} calls for 200 users (200 alone)`);
  });

  it('stops at an account-wide refusal: one call, every user Failed with its answer, Stalled', async () => {
    const ns = await freshNamespace(env.cluster);
    await startOperator(env, { namespaces: [ns] });
    await env.fx.secret(ns, 'wrong-keys', { secretId: SANDBOX_ACCOUNTS.trtc.secretId, secretKey: 'not-the-sandbox-key' });
    await env.fx.provider(ns, 'wrong', providerSpec('tencentTRTC', env.sims.trtc.url, 'wrong-keys'));
    const members = users('w', 25); // three calls of 10, 10 and 5 if nothing stopped it
    env.sims.trtc.addMembers(`wrong-${ns}`, members);
    await env.fx.ban(ns, 'refused', { providerRef: { name: 'wrong' }, roomId: `wrong-${ns}`, users: members });
    const ban = await env.fx.waitForBan(ns, 'refused', (b) => condition(b, 'Stalled')?.reason === 'VendorRejected');
    assert.equal(condition(ban, 'Stalled')?.reason, 'VendorRejected');
    assert.ok(ban.status?.users?.every((u) => u.state === 'Failed' && u.vendorCode?.startsWith('AuthFailure.')), JSON.stringify(ban.status?.users?.slice(0, 2)));
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(callsFor(env.sims.trtc, `wrong-${ns}`).length, 1, 'the other batches were not sent to certain refusal');
  });

  it('backs off after a retryable answer: the next call re-asks that batch, not the next one', async () => {
    const ns = await freshNamespace(env.cluster);
    await startOperator(env, { namespaces: [ns] });
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', env.sims.trtc.url);
    const members = users('r', 25);
    env.sims.trtc.addMembers(`retry-${ns}`, members);
    env.sims.trtc.faults.next('internalError');
    await env.fx.ban(ns, 'retry', { providerRef: { name: provider }, roomId: `retry-${ns}`, users: members });
    await env.fx.waitForBan(ns, 'retry', isReady);
    const calls = callsFor(env.sims.trtc, `retry-${ns}`);
    assert.equal(calls[0]?.code, 'InternalError');
    assert.deepEqual(calls[1]?.userIds, calls[0]?.userIds, `second call: ${calls[1]?.userIds.join(',')}`);
    assert.equal(calls.length, 4, 'the failed batch once more, then the other two');
  });
});
