// Reconcile semantics end to end (docs/reconcile.md#contract): absent users, terminal and retryable vendor
// answers, missing providers and Secrets, rotation, spec changes and pause.

import assert from 'node:assert/strict';
import { Watch } from '@kubernetes/client-node';
import { GROUP, type RoomBan, VERSION } from '../../src/api/types.ts';
import { condition, isReady, providerSpec, secretData } from '../../support/fixtures.ts';
import { callsFor, type Env, namespaceWithOperator, useOperatorEnv, users } from './support.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('operator: reconcile semantics', function () {
  this.timeout(180_000);
  const env = useOperatorEnv();

  it('users not in the room end AlreadyAbsent with the vendor code and RequestId', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.chat;
    const provider = await env.fx.vendorProvider(ns, 'tencentChat', sim.url);
    const room = `room-${ns}`;
    sim.addMembers(room, ['present']);
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: room, users: ['present', 'gone1', 'gone2'], reason: 'r' });
    const ban = await env.fx.waitForBan(ns, 'b', isReady);
    const byUser = new Map(ban.status?.users?.map((u) => [u.userId, u]));
    assert.equal(byUser.get('present')?.state, 'Removed');
    for (const id of ['gone1', 'gone2']) {
      const user = byUser.get(id);
      assert.equal(user?.state, 'AlreadyAbsent');
      // 100005 "not a room member", or 100004 "room does not exist" once its last member left.
      assert.match(user?.vendorCode ?? '', /^10000[45]$/);
      const call = callsFor(sim, room).find((c) => c.userIds.length === 1 && c.userIds[0] === id);
      assert.equal(user?.requestId, call?.requestId, 'the single-user re-ask decided it');
    }
  });

  it('a terminal vendor error stalls with the code; no calls until the Secret changes; the rotated Secret is used', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.trtc;
    const room = `room-${ns}`;
    sim.addMembers(room, ['x1', 'x2']);
    await env.fx.secret(ns, 'creds', { ...secretData('tencentTRTC'), secretKey: 'wrong-key' });
    await env.fx.provider(ns, 'trtc', providerSpec('tencentTRTC', sim.url, 'creds'));
    await env.fx.ban(ns, 'b', { providerRef: { name: 'trtc' }, roomId: room, users: ['x1', 'x2'] });
    // Until the provider's watch event arrives the ban may be Stalled/ProviderNotFound first.
    const stalled = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Stalled')?.reason === 'VendorRejected');
    assert.equal(condition(stalled, 'Stalled')?.status, 'True');
    assert.match(condition(stalled, 'Stalled')?.message ?? '', /AuthFailure\.SignatureFailure/);
    assert.ok(stalled.status?.users?.every((u) => u.state === 'Failed' && u.vendorCode === 'AuthFailure.SignatureFailure'));
    const callsAtStall = callsFor(sim, room).length;
    await sleep(3000);
    assert.equal(callsFor(sim, room).length, callsAtStall, 'no hot loop on a terminal answer');
    await env.fx.replaceSecret(ns, 'creds', secretData('tencentTRTC'));
    const ready = await env.fx.waitForBan(ns, 'b', isReady);
    assert.deepEqual(ready.status?.users?.map((u) => u.state), ['Removed', 'Removed']);
    assert.deepEqual(sim.members(room), []);
  });

  it('retryable faults (30% 5xx, resets, timeouts, rate-limit answers) still end Ready with no user lost', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    const room = `room-${ns}`;
    const members = users('f', 40);
    sim.addMembers(room, members);
    sim.faults.set({ probabilities: { serverError: 0.1, reset: 0.08, timeout: 0.04, rateLimit: 0.08 } });
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: room, users: members });
    const ban = await env.fx.waitForBan(ns, 'b', isReady, 150_000);
    assert.ok(sim.faults.injected > 0, 'faults were injected');
    assert.deepEqual(sim.members(room), []);
    assert.equal(ban.status?.summary?.removed, 40);
    assert.ok(ban.status?.users?.every((u) => u.state === 'Removed' || u.state === 'AlreadyAbsent'));
  });

  it('a vendor that keeps failing is retried with backoff, not in a loop (our own status writes do not requeue)', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.volcengine;
    const provider = await env.fx.vendorProvider(ns, 'volcengineRTC', sim.url);
    sim.faults.set({ probabilities: { serverError: 1 } });
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: `room-${ns}`, users: ['v1'] });
    const retrying = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Reconciling')?.reason === 'RetryingAfterError');
    assert.equal(retrying.status?.users?.[0]?.vendorCode, 'HTTP.503');
    await sleep(6000);
    const calls = callsFor(sim, `room-${ns}`).length;
    // Exponential backoff from 1 s with full jitter allows ~3-8 calls in 6 s; a requeue loop
    // bounded only by the 60 req/s limiter would make hundreds.
    assert.ok(calls >= 2 && calls <= 12, `${calls} calls in 6 s`);
    sim.faults.clear();
  });

  it('a quick first answer is recorded in one status write; a slow one shows Reconciling while it waits', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    const seen = await watchStatuses(env, ns);
    try {
      sim.addMembers(`quick-${ns}`, ['q1']);
      await env.fx.ban(ns, 'quick', { providerRef: { name: provider }, roomId: `quick-${ns}`, users: ['q1'] });
      await env.fx.waitForBan(ns, 'quick', isReady);
      // Before the operator's write the API server's default makes the new ban read as not yet observed.
      assert.deepEqual(seen.get('quick')?.map(describeStatus), ['observedGeneration=0', 'observedGeneration=1 Ready']);

      sim.addMembers(`slow-${ns}`, ['s1']);
      sim.faults.set({ latencyMs: 2500 });
      await env.fx.ban(ns, 'slow', { providerRef: { name: provider }, roomId: `slow-${ns}`, users: ['s1'] });
      await env.fx.waitForBan(ns, 'slow', isReady);
      assert.deepEqual(seen.get('slow')?.map(describeStatus), ['observedGeneration=0', 'observedGeneration=1 Reconciling/Progressing s1=Pending', 'observedGeneration=1 Ready']);
    } finally {
      seen.stop();
    }
  });

  it('a first call queued behind the rate limit shows Reconciling/Throttled, saying so, while it waits', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.trtc;
    await env.fx.secret(ns, 'creds', secretData('tencentTRTC'));
    await env.fx.provider(ns, 'slow', { ...providerSpec('tencentTRTC', sim.url, 'creds'), rateLimit: { requestsPerSecond: 1 } });
    const seen = await watchStatuses(env, ns);
    try {
      const names = ['q1', 'q2', 'q3', 'q4'];
      for (const name of names) sim.addMembers(`${name}-${ns}`, ['u']);
      await Promise.all(names.map((name) => env.fx.ban(ns, name, { providerRef: { name: 'slow' }, roomId: `${name}-${ns}`, users: ['u'] })));
      for (const name of names) await env.fx.waitForBan(ns, name, isReady);
      // Four calls at 1 per second: the last ones wait well past the 1 s after which the ban says why.
      const queued = names.flatMap((name) => seen.get(name) ?? []).filter((ban) => condition(ban, 'Reconciling')?.reason === 'Throttled');
      assert.ok(queued.length >= 1, JSON.stringify(names.map((name) => seen.get(name)?.map(describeStatus))));
      assert.match(condition(queued[0]!, 'Reconciling')?.message ?? '', /^Queued for the vendor rate limit, shared by all RoomBans of this account; 0\/1 users removed, 1 pending$/);
    } finally {
      seen.stop();
    }
  });

  it('a missing provider stalls (ProviderNotFound) and recovers when it appears', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.volcengine;
    const room = `room-${ns}`;
    sim.addMembers(room, ['p1']);
    await env.fx.ban(ns, 'b', { providerRef: { name: 'later' }, roomId: room, users: ['p1'] });
    const stalled = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Stalled')?.reason === 'ProviderNotFound');
    assert.equal(condition(stalled, 'Stalled')?.status, 'True');
    await env.fx.vendorProvider(ns, 'volcengineRTC', sim.url, 'later');
    await env.fx.waitForBan(ns, 'b', isReady);
  });

  it('a missing Secret waits (WaitingForProvider) and recovers when it is created', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.trtc;
    const room = `room-${ns}`;
    sim.addMembers(room, ['s1']);
    await env.fx.provider(ns, 'trtc', providerSpec('tencentTRTC', sim.url, 'not-yet'));
    await env.fx.ban(ns, 'b', { providerRef: { name: 'trtc' }, roomId: room, users: ['s1'] });
    const waiting = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Reconciling')?.reason === 'WaitingForProvider');
    assert.equal(condition(waiting, 'Stalled')?.status, 'False');
    await env.fx.secret(ns, 'not-yet', secretData('tencentTRTC'));
    await env.fx.waitForBan(ns, 'b', isReady);
  });

  it('adding users to a Ready RoomBan calls the vendor for the new users only; a new room resets', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    const room = `room-${ns}`;
    sim.addMembers(room, ['a1', 'a2', 'a3']);
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: room, users: ['a1', 'a2'] });
    await env.fx.waitForBan(ns, 'b', isReady);
    const before = callsFor(sim, room).length;
    await env.fx.updateBan(ns, 'b', (b) => b.spec.users.push('a3'));
    await env.fx.waitForBan(ns, 'b', (b) => isReady(b) && b.status?.summary?.total === 3);
    const added = callsFor(sim, room).slice(before);
    assert.deepEqual(added.map((c) => c.userIds), [['a3']]);

    const room2 = `room2-${ns}`;
    sim.addMembers(room2, ['a1', 'a2', 'a3']);
    await env.fx.updateBan(ns, 'b', (b) => (b.spec.roomId = room2));
    const moved = await env.fx.waitForBan(ns, 'b', (b) => isReady(b) && b.status?.target?.roomId === room2);
    assert.deepEqual(callsFor(sim, room2).flatMap((c) => c.userIds).sort(), ['a1', 'a2', 'a3']);
    assert.ok(moved.status?.users?.every((u) => u.state === 'Removed' && u.attempts === 1));
  });

  it('the pause annotation stops vendor calls; removing it resumes', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.chat;
    const provider = await env.fx.vendorProvider(ns, 'tencentChat', sim.url);
    const room = `room-${ns}`;
    sim.addMembers(room, ['q1']);
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: room, users: ['q1'], reason: 'r' }, { 'roomban.io/paused': 'true' });
    const paused = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Reconciling')?.reason === 'Paused');
    assert.equal(condition(paused, 'Reconciling')?.status, 'False');
    await sleep(2000);
    assert.equal(callsFor(sim, room).length, 0);
    await env.fx.updateBan(ns, 'b', (b) => {
      delete b.metadata.annotations?.['roomban.io/paused'];
    });
    await env.fx.waitForBan(ns, 'b', isReady);
    assert.equal(callsFor(sim, room).length, 1);
  });

  it('an endpoint is refused without --allow-custom-endpoints (InvalidSpec naming the field)', async () => {
    const { ns } = await namespaceWithOperator(env, { allowCustomEndpoints: false });
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', env.sims.trtc.url);
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: `room-${ns}`, users: ['e1'] });
    const ban = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Stalled')?.status === 'True');
    assert.equal(condition(ban, 'Stalled')?.reason, 'InvalidSpec');
    assert.match(condition(ban, 'Stalled')?.message ?? '', /spec\.tencentTRTC\.endpoint/);
    assert.equal(callsFor(env.sims.trtc, `room-${ns}`).length, 0);
  });

  it('--allowed-endpoint-hosts honours only the hosts it names (host:port), and says which was refused', async () => {
    const trtcHost = new URL(env.sims.trtc.url).host;
    const { ns } = await namespaceWithOperator(env, { allowCustomEndpoints: false, args: [`--allowed-endpoint-hosts=${trtcHost}`] });
    const trtc = await env.fx.vendorProvider(ns, 'tencentTRTC', env.sims.trtc.url);
    const chat = await env.fx.vendorProvider(ns, 'tencentChat', env.sims.chat.url);
    env.sims.trtc.addMembers(`allowed-${ns}`, ['a1']);
    env.sims.chat.addMembers(`refused-${ns}`, ['c1']);
    await env.fx.ban(ns, 'allowed', { providerRef: { name: trtc }, roomId: `allowed-${ns}`, users: ['a1'] });
    await env.fx.ban(ns, 'refused', { providerRef: { name: chat }, roomId: `refused-${ns}`, users: ['c1'], reason: 'r' });
    await env.fx.waitForBan(ns, 'allowed', isReady);
    const refused = await env.fx.waitForBan(ns, 'refused', (b) => condition(b, 'Stalled')?.status === 'True');
    assert.equal(condition(refused, 'Stalled')?.reason, 'InvalidSpec');
    assert.match(condition(refused, 'Stalled')?.message ?? '', new RegExp(`spec\\.tencentChat\\.endpoint is refused: the endpoint host ${new URL(env.sims.chat.url).host} is not in --allowed-endpoint-hosts`));
    assert.equal(callsFor(env.sims.chat, `refused-${ns}`).length, 0);
  });

  it('a link-local (cloud metadata) endpoint is refused even with --allow-custom-endpoints', async () => {
    const { ns } = await namespaceWithOperator(env);
    await env.fx.vendorProvider(ns, 'tencentTRTC', 'http://169.254.169.254/latest/', 'metadata');
    await env.fx.ban(ns, 'b', { providerRef: { name: 'metadata' }, roomId: `md-${ns}`, users: ['m1'] });
    const ban = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Stalled')?.status === 'True');
    assert.equal(condition(ban, 'Stalled')?.reason, 'InvalidSpec');
    assert.match(condition(ban, 'Stalled')?.message ?? '', /169\.254\.169\.254 is a link-local or cloud metadata address/);
  });
});

/** Every status each ban of `ns` is seen with, through a watch, in order. */
async function watchStatuses(env: Env, ns: string) {
  const seen = new Map<string, RoomBan[]>();
  const abort = await new Watch(env.cluster.admin).watch(`/apis/${GROUP}/${VERSION}/namespaces/${ns}/roombans`, {}, (_type, ban: RoomBan) => {
    seen.set(ban.metadata.name, [...(seen.get(ban.metadata.name) ?? []), ban]);
  }, () => undefined);
  return Object.assign(seen, { stop: () => abort.abort() });
}

function describeStatus(ban: RoomBan): string {
  const trueConditions = ['Ready', 'Reconciling', 'Stalled'].flatMap((type) => {
    const found = condition(ban, type);
    if (found?.status !== 'True') return [];
    return [type === 'Ready' ? type : `${type}/${found.reason}`];
  });
  const pending = (ban.status?.users ?? []).filter((u) => u.state === 'Pending').map((u) => `${u.userId}=Pending`);
  return [`observedGeneration=${ban.status?.observedGeneration}`, ...trueConditions, ...pending].join(' ');
}
