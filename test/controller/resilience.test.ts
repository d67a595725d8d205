// The operator survives what production throws at it: SIGKILL mid-run, a second replica, dropped
// watch connections, SIGTERM; and never leaks credentials into logs, Events or status.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { SANDBOX_ACCOUNTS } from '../../src/sandbox/index.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { condition, isReady } from '../../support/fixtures.ts';
import { namespaceWithOperator, startOperator, useOperatorEnv, users } from './support.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('operator: resilience', function () {
  this.timeout(240_000);
  const env = useOperatorEnv();

  it('SIGKILL in the middle of 50 RoomBans, then restart: all Ready, no recorded removal repeated, duplicates bounded', async () => {
    const ns = await freshNamespace(env.cluster);
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    sim.faults.set({ latencyMs: 30 });
    const concurrency = 5;
    for (let i = 0; i < 50; i++) {
      sim.addMembers(`r${i}-${ns}`, users(`k${i}_`, 10));
      await env.fx.ban(ns, `ban-${i}`, { providerRef: { name: provider }, roomId: `r${i}-${ns}`, users: users(`k${i}_`, 10) });
    }
    const first = await startOperator(env, { namespaces: [ns], args: [`--concurrency=${concurrency}`] });
    while ((await env.fx.listBans(ns)).filter(isReady).length < 10) await sleep(100);
    await first.stop('SIGKILL');
    const recorded = new Map<string, string>();
    for (const ban of await env.fx.listBans(ns)) {
      for (const u of ban.status?.users ?? []) if (u.state === 'Removed') recorded.set(`${ban.spec.roomId}/${u.userId}`, u.requestId ?? '');
    }
    const callsBefore = sim.calls.length;
    await startOperator(env, { namespaces: [ns], args: [`--concurrency=${concurrency}`] });
    for (let i = 0; i < 50; i++) await env.fx.waitForBan(ns, `ban-${i}`, isReady, 120_000);
    const later = sim.calls.slice(callsBefore);
    const repeated = later.flatMap((c) => c.userIds.map((u) => `${c.roomId}/${u}`)).filter((k) => recorded.has(k));
    assert.deepEqual(repeated, [], 'a user recorded as Removed was called again');
    // At-least-once: calls in flight when the process died (at most one per worker) are repeated
    // and find the users absent; every other user is called exactly once.
    const perUser = new Map<string, number>();
    for (const c of sim.calls.filter((c) => c.roomId.endsWith(ns) && c.code === '')) {
      for (const u of c.userIds) perUser.set(`${c.roomId}/${u}`, (perUser.get(`${c.roomId}/${u}`) ?? 0) + 1);
    }
    const duplicateCalls = [...perUser.values()].filter((n) => n > 1).length;
    assert.ok(duplicateCalls <= concurrency * 10, `duplicates ${duplicateCalls} exceed crashes x in-flight calls x batch`);
    for (let i = 0; i < 50; i++) assert.deepEqual(sim.members(`r${i}-${ns}`), []);
  });

  it('two replicas with --leader-elect: only the leader calls vendors; killing it hands over', async () => {
    const ns = await freshNamespace(env.cluster);
    const sim = env.sims.volcengine;
    const provider = await env.fx.vendorProvider(ns, 'volcengineRTC', sim.url);
    const args = ['--leader-elect', `--leader-election-namespace=${ns}`];
    const a = await startOperator(env, { namespaces: [ns], args });
    await a.waitForOutput(/became leader/);
    const b = await startOperator(env, { namespaces: [ns], args });
    sim.addMembers(`one-${ns}`, ['l1']);
    await env.fx.ban(ns, 'one', { providerRef: { name: provider }, roomId: `one-${ns}`, users: ['l1'] });
    await env.fx.waitForBan(ns, 'one', isReady);
    assert.doesNotMatch(b.output(), /became leader|vendor answered/, 'the follower called a vendor');
    await a.stop('SIGKILL');
    await b.waitForOutput(/became leader/, 60_000);
    sim.addMembers(`two-${ns}`, ['l2']);
    await env.fx.ban(ns, 'two', { providerRef: { name: provider }, roomId: `two-${ns}`, users: ['l2'] });
    await env.fx.waitForBan(ns, 'two', isReady);
    // The log line is written before the status, but the pipe may deliver it a little later.
    await b.waitForOutput(/vendor answered/, 10_000);
  });

  it('SIGTERM: exits 0 and releases the Lease for the next replica at once', async () => {
    const ns = await freshNamespace(env.cluster);
    const op = await startOperator(env, { namespaces: [ns], args: ['--leader-elect', `--leader-election-namespace=${ns}`] });
    await op.waitForOutput(/became leader/);
    assert.equal(await op.stop('SIGTERM'), 0);
    const lease = await env.cluster.admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: ns, name: 'roomban-operator' });
    assert.ok(!lease.spec?.holderIdentity, `lease still held by ${lease.spec?.holderIdentity}`);
  });

  it('SIGTERM during a vendor call: the call finishes and its result is recorded before exit 0', async () => {
    const ns = await freshNamespace(env.cluster);
    const sim = env.sims.chat;
    const provider = await env.fx.vendorProvider(ns, 'tencentChat', sim.url);
    sim.addMembers(`slow-${ns}`, ['t1']);
    sim.faults.set({ latencyMs: 1500 });
    const op = await startOperator(env, { namespaces: [ns] });
    await env.fx.ban(ns, 'slow', { providerRef: { name: provider }, roomId: `slow-${ns}`, users: ['t1'], reason: 'r' });
    await op.waitForOutput(/caches synced/);
    while (sim.calls.filter((c) => c.roomId === `slow-${ns}`).length === 0) await sleep(20);
    assert.equal(await op.stop('SIGTERM'), 0);
    const ban = await env.fx.getBan(ns, 'slow');
    const call = sim.calls.find((c) => c.roomId === `slow-${ns}`);
    assert.equal(ban.status?.users?.[0]?.state, 'Removed');
    assert.equal(ban.status?.users?.[0]?.requestId, call?.requestId);
  });

  it("the API server's watch connections dropped mid-run: recovers without a restart, /readyz reflects it", async () => {
    const ns = await freshNamespace(env.cluster);
    const url = new URL(env.cluster.server);
    const proxy = await startTcpProxy(url.hostname, Number(url.port));
    try {
      const config = parse(readFileSync(env.cluster.adminKubeconfigPath, 'utf8')) as { clusters: { cluster: { server: string } }[] };
      config.clusters[0]!.cluster.server = `https://127.0.0.1:${proxy.port}`;
      const kubeconfig = `${env.cluster.local.workDir}/proxy-${ns}.kubeconfig`;
      writeFileSync(kubeconfig, stringify(config));
      const op = await startOperator(env, { namespaces: [ns], kubeconfig });
      const sim = env.sims.trtc;
      const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
      sim.addMembers(`w1-${ns}`, ['d1']);
      await env.fx.ban(ns, 'w1', { providerRef: { name: provider }, roomId: `w1-${ns}`, users: ['d1'] });
      await env.fx.waitForBan(ns, 'w1', isReady);
      assert.ok(proxy.dropAll() > 0);
      sim.addMembers(`w2-${ns}`, ['d2']);
      await env.fx.ban(ns, 'w2', { providerRef: { name: provider }, roomId: `w2-${ns}`, users: ['d2'] });
      await env.fx.waitForBan(ns, 'w2', isReady, 90_000);
      // Every watch (not only the RoomBans') reconnects, each with its own jittered backoff.
      await waitFor(async () => (await fetch(`${op.healthUrl}/readyz`)).status === 200, 30_000);
      assert.equal(op.child.exitCode, null, 'the operator did not restart');
    } finally {
      await proxy.close();
    }
  });

  it('/readyz fails while the watches are down', async () => {
    const ns = await freshNamespace(env.cluster);
    const url = new URL(env.cluster.server);
    const proxy = await startTcpProxy(url.hostname, Number(url.port));
    const config = parse(readFileSync(env.cluster.adminKubeconfigPath, 'utf8')) as { clusters: { cluster: { server: string } }[] };
    config.clusters[0]!.cluster.server = `https://127.0.0.1:${proxy.port}`;
    const kubeconfig = `${env.cluster.local.workDir}/proxy2-${ns}.kubeconfig`;
    writeFileSync(kubeconfig, stringify(config));
    const op = await startOperator(env, { namespaces: [ns], kubeconfig });
    await waitFor(async () => (await fetch(`${op.healthUrl}/readyz`)).status === 200);
    await proxy.close();
    await waitFor(async () => (await fetch(`${op.healthUrl}/readyz`)).status === 500, 60_000);
    assert.equal((await fetch(`${op.healthUrl}/healthz`)).status, 200, 'liveness is not readiness');
  });

  it('credentials never appear in the logs, Events or status', async () => {
    const { ns, op } = await namespaceWithOperator(env);
    const secrets = [
      SANDBOX_ACCOUNTS.trtc.secretKey, SANDBOX_ACCOUNTS.chat.secretKey, SANDBOX_ACCOUNTS.volcengine.secretAccessKey,
      'wrong-key-that-is-also-secret',
    ];
    for (const [vendor, sim] of [['tencentTRTC', env.sims.trtc], ['tencentChat', env.sims.chat], ['volcengineRTC', env.sims.volcengine]] as const) {
      const provider = await env.fx.vendorProvider(ns, vendor, sim.url);
      sim.addMembers(`c-${vendor}-${ns}`, ['z1', 'z2']);
      sim.faults.next('reset', 1);
      await env.fx.ban(ns, `c-${vendor.toLowerCase()}`, { providerRef: { name: provider }, roomId: `c-${vendor}-${ns}`, users: ['z1', 'z2'], reason: 'r' });
    }
    for (const ban of ['c-tencenttrtc', 'c-tencentchat', 'c-volcenginertc']) await env.fx.waitForBan(ns, ban, isReady, 90_000);
    // And a failing one: a wrong key produces auth errors, whose messages must not echo it.
    await env.fx.secret(ns, 'bad', { secretId: SANDBOX_ACCOUNTS.trtc.secretId, secretKey: 'wrong-key-that-is-also-secret' });
    const { providerSpec } = await import('../../support/fixtures.ts');
    await env.fx.provider(ns, 'bad', providerSpec('tencentTRTC', env.sims.trtc.url, 'bad'));
    await env.fx.ban(ns, 'c-bad', { providerRef: { name: 'bad' }, roomId: `bad-${ns}`, users: ['z3'] });
    await env.fx.waitForBan(ns, 'c-bad', (b) => condition(b, 'Stalled')?.status === 'True');
    const status = JSON.stringify(await env.fx.listBans(ns));
    const events = JSON.stringify(await env.fx.events(ns));
    for (const secret of secrets) {
      assert.ok(!op.output().includes(secret), 'a credential in the logs');
      assert.ok(!status.includes(secret), 'a credential in status');
      assert.ok(!events.includes(secret), 'a credential in Events');
    }
    const leaks = op.output().split('\n').filter((l) => /usersig=(?!\[REDACTED\])|Signature=[0-9a-f]{16}|TC3-HMAC-SHA256 Credential/i.test(l));
    assert.deepEqual(leaks, [], 'signatures or UserSigs in the logs');
    assert.match(op.output(), /"requestId":"[^"]+"/, 'logs carry RequestIds');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error('condition not reached');
}
