// The account's rate limit in a shared cluster (docs/vendors.md#rate-limits), against the real API
// server and the TRTC simulator. Two namespaces use one TRTC account (the same, public, SdkAppId):
// whatever tenant A does, tenant B's bans get at least B's fair share of the account's calls. And a
// process killed and restarted at the cap never takes the vendor over its cap.
//
// The assertions count and order the simulator's call log; none compares a duration with a
// threshold. The operator runs with enough workers for every ban at once, so what is measured is
// the limiter's turn order, not the work queue's.

import assert from 'node:assert/strict';
import { VENDOR_RULES } from '../../src/api/vendor-rules.ts';
import type { SimulatorCall } from '../../src/sandbox/index.ts';
import { isReady, providerSpec, secretData } from '../../support/fixtures.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { type Env, startOperator, useOperatorEnv, users } from './support.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CAP = VENDOR_RULES.tencentTRTC.requestsPerSecond;

/** Creates `count` RoomBans in `ns`, each over its own room of `perBan` members, ten at a time. */
async function bans(env: Env, ns: string, provider: string, count: number, perBan: number, prefix = 'ban'): Promise<void> {
  for (let from = 0; from < count; from += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - from) }, async (_, offset) => {
      const i = from + offset;
      const room = `${prefix}${i}-${ns}`;
      const members = users(`${prefix}${i}_`, perBan);
      env.sims.trtc.addMembers(room, members);
      await env.fx.ban(ns, `${prefix}-${i}`, { providerRef: { name: provider }, roomId: room, users: members });
    }));
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const of = (ns: string) => (call: SimulatorCall): boolean => call.roomId.endsWith(`-${ns}`);

/** The most calls the log holds in any one-second window (the vendor's sliding window). */
/**
 * The most calls that arrived within one second, less `jitterMs`: a client paced at exactly the cap
 * puts cap + 1 arrivals 1000 ms apart, so a window a few ms shorter than a second tells pacing at the
 * cap (which the vendor admits) from a burst above it (which a bucket starting full would send).
 */
function maxInAnySecond(calls: readonly SimulatorCall[], jitterMs = 0): number {
  const times = calls.map((c) => c.time).sort((a, b) => a - b);
  let max = 0;
  for (let first = 0, last = 0; first < times.length; first += 1) {
    while (last < times.length && (times[last] as number) < (times[first] as number) + 1000 - jitterMs) last += 1;
    max = Math.max(max, last - first);
  }
  return max;
}

describe('operator: one vendor account, several tenants', function () {
  this.timeout(300_000);
  const env = useOperatorEnv();

  it("a tenant's provider with the account's SdkAppId, junk credentials and rateLimit 1 leaves another tenant's 30 bans their fair share", async () => {
    const sim = env.sims.trtc;
    const [a, b] = [await freshNamespace(env.cluster, 'ta'), await freshNamespace(env.cluster, 'tb')];
    await startOperator(env, { namespaces: [a, b], args: ['--concurrency=100'] });
    const victim = await env.fx.vendorProvider(b, 'tencentTRTC', sim.url);
    await bans(env, b, victim, 1, 1, 'warmup');
    await env.fx.waitForBan(b, 'warmup-0', isReady);

    // A: same SdkAppId, a key the vendor does not know, the lowest rateLimit the CRD allows.
    await env.fx.secret(a, 'junk', { ...secretData('tencentTRTC'), secretId: 'AKIDjunk', secretKey: 'junk' });
    await env.fx.provider(a, 'junk', { ...providerSpec('tencentTRTC', sim.url, 'junk'), rateLimit: { requestsPerSecond: 1 } });
    await bans(env, a, 'junk', 40, 1);
    await until(() => sim.calls.some(of(a)), 60_000, "A's first call");

    const mark = sim.calls.length;
    await bans(env, b, victim, 30, 1);
    const since = () => sim.calls.slice(mark);
    // A's own bucket lets one call through a second: B's 30 calls must not queue behind A's.
    await until(() => since().filter(of(b)).length >= 30 || since().filter(of(a)).length > 30, 120_000, "B's 30 calls");
    const byB = since().filter(of(b)).length;
    const byA = since().filter(of(a)).length;
    assert.equal(byB, 30, `B's bans made ${byB} calls while A made ${byA}`);
    assert.ok(byA <= byB, `A made ${byA} calls while B's 30 bans made theirs: B got less than half of the account`);
    for (let i = 0; i < 30; i += 1) await env.fx.waitForBan(b, `ban-${i}`, isReady);
    assert.ok(since().filter(of(a)).every((call) => call.code.startsWith('AuthFailure')), "A's junk key is refused");
  });

  it("while tenant A floods the account from 140 RoomBans, B's 30 RoomBans take turns with them, not a place in line behind them", async () => {
    const sim = env.sims.trtc;
    const [a, b] = [await freshNamespace(env.cluster, 'ta'), await freshNamespace(env.cluster, 'tb')];
    const rejections = sim.rateLimitRejections;
    await startOperator(env, { namespaces: [a, b], args: ['--concurrency=200'] });
    const flood = await env.fx.vendorProvider(a, 'tencentTRTC', sim.url);
    const victim = await env.fx.vendorProvider(b, 'tencentTRTC', sim.url);
    await bans(env, a, flood, 140, 100); // 1,400 calls: 70 s at the cap
    await until(() => sim.calls.filter(of(a)).length >= 3 * CAP, 120_000, "A's flood at the cap");

    // The mark comes first: B's first bans call while the later ones are still being created.
    const mark = sim.calls.length;
    await bans(env, b, victim, 30, 50); // 5 calls each
    await until(() => sim.calls.slice(mark).filter(of(b)).length >= 150, 180_000, "B's 150 calls");
    const calls = sim.calls.slice(mark);
    const firstB = calls.findIndex(of(b));
    const lastB = calls.length - 1 - [...calls].reverse().findIndex(of(b));
    const window = calls.slice(firstB, lastB + 1);
    const byB = window.filter(of(b)).length;
    const byA = window.filter(of(a)).length;
    // While both wait, the providers take turns: B gets one call in two, so each of B's 30 bans gets
    // more calls than each of A's 140. First come first served per call treats every waiting ban
    // alike (measured: B's bans got 1.09 times A's calls each). How often B's bans are back in the
    // queue after each status write is the machine's business, so B's share of all calls is not
    // asserted (measured 0.28 to 0.45; at most 0.18 first come first served).
    const perBanRatio = (byB / 30) / (byA / 140);
    assert.ok(perBanRatio >= 1.5, `each of B's bans got ${perBanRatio.toFixed(2)} times the calls of each of A's (B ${byB}, A ${byA})`);
    for (let i = 0; i < 30; i += 1) await env.fx.waitForBan(b, `ban-${i}`, isReady);
    assert.equal(sim.rateLimitRejections - rejections, 0, 'never above the cap');
  });

  // A guard at the process level. On a loaded 2-core machine a restart takes 5-10 s, longer than the
  // vendor's one-second window, and TRTC's burst is one token, so buckets that started full passed
  // this too (measured: at most 19 a second, no refusals). The takeover with no gap, where a full
  // start does exceed the cap, is pinned on a virtual clock in test/vendors/token-bucket.test.ts.
  it("SIGKILL and restart at the cap, four times: the vendor's sliding window never holds more than the cap", async () => {
    const sim = env.sims.trtc;
    const ns = await freshNamespace(env.cluster);
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    await bans(env, ns, provider, 30, 100); // 300 calls, more than four runs make
    const mark = sim.calls.length;
    const rejections = sim.rateLimitRejections;
    for (let run = 0; run < 4; run += 1) {
      const op = await startOperator(env, { namespaces: [ns], args: ['--concurrency=30'] });
      const from = sim.calls.length;
      // Two seconds' worth at the cap, then the process dies with its calls in the vendor's window.
      await until(() => sim.calls.length - from >= 2 * CAP, 120_000, `run ${run} at the cap`);
      await op.stop('SIGKILL');
    }
    const calls = sim.calls.slice(mark);
    assert.ok(calls.length >= 8 * CAP, `${calls.length} calls`);
    // 25 ms of arrival jitter allowed (half a token's interval at 20/s); a full start would be 2 x CAP.
    assert.ok(maxInAnySecond(calls, 25) <= CAP, `${maxInAnySecond(calls, 25)} calls in one second (less 25 ms)`);
    assert.equal(sim.rateLimitRejections - rejections, 0, 'the vendor refused none');
  });
});
