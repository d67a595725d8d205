// The rate limiter on a virtual clock: timers fire in due order as soon as nothing else can run, so
// rates, nesting and turn order are asserted exactly without depending on wall-clock time.

import assert from 'node:assert/strict';
import type { Clock } from '../../src/vendors/clock.ts';
import { TurnQueue } from '../../src/common/turn-queue.ts';
import { LimiterRegistry } from '../../src/vendors/limiter-registry.ts';
import { SecretScrubber } from '../../src/vendors/redact.ts';
import { createVendorRuntime, type VendorRuntime } from '../../src/vendors/runtime.ts';
import { TokenBucket } from '../../src/vendors/token-bucket.ts';
import { createQuotaCaller, type CallAnswer, type VendorCaller } from '../../src/vendors/vendor-call.ts';

/** Sleepers wake in due order, one at a time, once every promise chain has settled (setImmediate). */
function virtualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  let sequence = 0;
  const timers: { due: number; sequence: number; wake: () => void }[] = [];
  let scheduled = false;
  const schedule = (): void => {
    if (scheduled || timers.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      timers.sort((a, b) => a.due - b.due || a.sequence - b.sequence);
      const next = timers.shift();
      if (next === undefined) return;
      now = Math.max(now, next.due);
      next.wake();
      schedule();
    });
  };
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => {
      timers.push({ due: now + ms, sequence: sequence++, wake });
      schedule();
    }),
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('estimates the wait of a take() made now: the refill time, plus a token per caller queued ahead; 0 once one is ready', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 20, clock });
    assert.equal(bucket.estimatedWaitMs(), 50, 'starts empty: one token is 50 ms away');
    const queued = [bucket.take(), bucket.take()];
    assert.equal(bucket.estimatedWaitMs(), 150, 'two callers ahead');
    await Promise.all(queued);
    clock.advance(1000);
    assert.equal(bucket.estimatedWaitMs(), 0);
  });

  it('hands out tokens at the configured rate', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 20, clock });
    const start = clock.now();
    for (let i = 0; i < 41; i += 1) await bucket.take();
    // Burst of 1 at 20/s, starting empty: the first token is due at 50 ms, the 41st 2 s later.
    assert.equal(clock.now() - start, 2050);
  });

  it('starts empty: no token before 1/rate after creation, and its first second holds at most the rate', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 200, clock }); // a burst of 4 once it has idled
    const created = clock.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 400 }, () => bucket.take().then(() => times.push(clock.now() - created))));
    assert.equal(times[0], 5, 'the first token accrues after creation');
    assert.ok(times.filter((t) => t < 1000).length <= 200, `${times.filter((t) => t < 1000).length} tokens in the first second`);
  });

  it('serves concurrent waiters first come, first served', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, clock });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => bucket.take().then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });

  it('serves owners in turn, and each owner first come, first served', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, clock });
    const order: string[] = [];
    const flood = Array.from({ length: 6 }, (_, i) => bucket.take('a').then(() => order.push(`a${i}`)));
    const few = Array.from({ length: 2 }, (_, i) => bucket.take('b').then(() => order.push(`b${i}`)));
    assert.equal(bucket.queuedFor('a'), 6);
    assert.equal(bucket.queuedFor('b'), 2);
    await Promise.all([...flood, ...few]);
    assert.deepEqual(order, ['a0', 'b0', 'a1', 'b1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('never lets more than the rate through in any one-second window', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 200, clock });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 1000 }, () => bucket.take().then(() => times.push(clock.now()))));
    for (let i = 0; i < times.length; i += 1) {
      const windowEnd = (times[i] as number) + 1000;
      const inWindow = times.filter((t) => t >= (times[i] as number) && t < windowEnd).length;
      assert.ok(inWindow <= 200 + bucket.configuredRatePerSecond / 50, `window at ${i} held ${inWindow}`);
    }
  });

  it('counts queued callers until each is served', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, clock });
    await bucket.take();
    const waiting = [bucket.take(), bucket.take(), bucket.take()];
    assert.equal(bucket.queued, 3);
    await Promise.all(waiting);
    assert.equal(bucket.queued, 0);
  });

  it('resolves with the milliseconds waited: 0 when a token is ready, the refill time otherwise', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 4, clock });
    clock.advance(250); // one token accrued
    assert.equal(await bucket.take(), 0);
    assert.equal(await bucket.take(), 250);
  });

  it('slows down after a rate-limit answer and recovers afterwards', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 20, clock });
    await bucket.take();
    bucket.slowDown(0.5, 10_000);
    assert.equal(bucket.ratePerSecond, 10);
    const start = clock.now();
    for (let i = 0; i < 10; i += 1) await bucket.take();
    assert.equal(clock.now() - start, 1000);
    clock.advance(10_000);
    assert.equal(bucket.ratePerSecond, 20);
  });

  it('pauses until a Retry-After time', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 100, clock });
    bucket.pauseUntil(clock.now() + 3000);
    const start = clock.now();
    await bucket.take();
    assert.ok(clock.now() - start >= 3000);
  });

  it('refuses a non-positive rate', () => {
    assert.throws(() => new TokenBucket({ ratePerSecond: 0, clock: virtualClock() }), RangeError);
  });
});

describe('TurnQueue', () => {
  it('takes one item per owner in turn; an owner that empties leaves the rotation', () => {
    const queue = new TurnQueue<string>();
    for (const item of ['a1', 'a2', 'a3', 'b1', 'c1', 'c2']) queue.push(item[0] as string, item);
    assert.equal(queue.length, 6);
    assert.equal(queue.lengthOf('a'), 3);
    const order: (string | undefined)[] = [];
    while (queue.length > 0) order.push(queue.shift());
    assert.deepEqual(order, ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    assert.equal(queue.shift(), undefined);
  });
});

describe('LimiterRegistry', () => {
  it('shares one account bucket per (vendor, action, account)', () => {
    const registry = new LimiterRegistry({ clock: virtualClock() });
    const a = registry.shared({ vendor: 'tencentTRTC', action: 'RemoveUser', account: '1' }, 20);
    const b = registry.quota({ vendor: 'tencentTRTC', action: 'RemoveUser', account: '1' }, { owner: 'p', capPerSecond: 20, ownPerSecond: 5 }).shared;
    const c = registry.shared({ vendor: 'tencentTRTC', action: 'RemoveUserByStrRoomId', account: '1' }, 20);
    const d = registry.shared({ vendor: 'tencentTRTC', action: 'RemoveUser', account: '2' }, 20);
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.notEqual(a, d);
    assert.equal(a.configuredRatePerSecond, 20, 'a rateLimit never re-rates the account bucket');
  });

  it('throttled() halves the rate for the policy duration and honours Retry-After', async () => {
    const clock = virtualClock();
    const registry = new LimiterRegistry({ clock, throttle: { factor: 0.5, durationMs: 10_000 } });
    const bucket = registry.shared({ vendor: 'volcengineRTC', action: 'KickUser', account: 'a' }, 60);
    registry.throttled(bucket, 2000);
    assert.equal(bucket.ratePerSecond, 30);
    const start = clock.now();
    await bucket.take();
    assert.ok(clock.now() - start >= 2000);
  });
});

// Providers of one TRTC account as the clients use them: one caller per provider, through
// createQuotaCaller, at the documented cap of 20/s. Each call records when it was sent.
describe('one account, several providers (createQuotaCaller)', () => {
  const OK: CallAnswer = { outcome: 'Removed', code: '', message: '', requestId: 'req' };
  let clock: ReturnType<typeof virtualClock>;
  let runtime: VendorRuntime;
  let sent: { owner: string; at: number }[];
  let start: number;

  beforeEach(() => {
    clock = virtualClock();
    runtime = createVendorRuntime({ clock });
    sent = [];
    start = clock.now();
  });
  afterEach(() => runtime.close());

  const provider = (owner: string, requestsPerSecond?: number): VendorCaller => createQuotaCaller({
    vendor: 'tencentTRTC', action: 'RemoveUser', account: '1400000001', requestsPerSecond, quotaOwner: owner, runtime, scrubber: new SecretScrubber(),
  });
  const calls = (caller: VendorCaller, owner: string, count: number, answer: CallAnswer = OK): Promise<CallAnswer[]> =>
    Promise.all(Array.from({ length: count }, () => caller.call(1, async () => {
      sent.push({ owner, at: clock.now() - start });
      return answer;
    })));
  const times = (owner: string): number[] => sent.filter((s) => s.owner === owner).map((s) => s.at);
  /** The k-th call of a provider at `perSecond` (its own bucket starts empty) is sent no earlier than its k-th token. */
  const keepsTo = (ts: number[], perSecond: number): boolean => ts.every((t, k) => t >= ((k + 1) * 1000) / perSecond);

  it("a provider's rateLimit is a bucket of its own: its calls keep to it, the others' go at the account's cap", async () => {
    const others = provider('b');
    const limited = provider('a', 2);
    await Promise.all([calls(limited, 'a', 4), calls(others, 'b', 20)]);
    assert.ok(keepsTo(times('a'), 2), `a at 2/s: ${times('a')}`);
    // 24 calls through one 20/s account bucket: the last is sent at 1.2 s (at 1/s it would take 20 s).
    assert.ok(Math.max(...times('b')) <= 1200, `b at the cap: ${times('b')}`);
    const all = sent.map((s) => s.at);
    assert.ok(all.every((t) => all.filter((u) => u >= t && u < t + 1000).length <= 20), 'never above the cap in any second');
  });

  it("a rateLimit of 1 with junk credentials does not slow another provider's calls", async () => {
    const victim = provider('victim');
    const junk = provider('junk', 1);
    const rejected: CallAnswer = { outcome: 'Terminal', code: 'AuthFailure.SecretIdNotFound', message: 'no such key', requestId: 'r' };
    await Promise.all([calls(junk, 'junk', 3, rejected), calls(victim, 'victim', 10)]);
    assert.ok(Math.max(...times('victim')) <= 600, `victim at the cap: ${times('victim')}`);
    assert.ok(keepsTo(times('junk'), 1), `junk at 1/s: ${times('junk')}`);
  });

  it("a provider without rateLimit does not raise another provider's lowered rate", async () => {
    const lowered = provider('lowered', 5);
    const unset = provider('unset');
    await Promise.all([calls(lowered, 'lowered', 6), calls(unset, 'unset', 10)]);
    assert.ok(keepsTo(times('lowered'), 5), `lowered stays at 5/s: ${times('lowered')}`);
  });

  it("waiting callers take turns across providers: a flood of one does not delay another's calls", async () => {
    const flood = provider('flood');
    const victim = provider('victim');
    const flooding = calls(flood, 'flood', 100);
    await new Promise((resolve) => setImmediate(resolve));
    const victims = calls(victim, 'victim', 10);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(victim.waitingForToken, true);
    await victims;
    // Turns alternate from the victim's first call on: its 10 calls are among the first 21.
    const position = sent.map((s) => s.owner).lastIndexOf('victim');
    assert.ok(position < 21, `the victim's last call was call ${position + 1} of ${sent.length}`);
    assert.equal(flood.waitingForToken, true);
    assert.equal(victim.waitingForToken, false, 'only the flood is queued; the victim is not waiting for a token');
    await flooding;
  });

  it("a fresh process that takes over at the cap keeps the vendor's window at the cap: its buckets start empty", async () => {
    // Tencent Chat: 200/s, so a full bucket would hold a burst of 4. The predecessor runs at the cap
    // for 2 s and dies; its successor starts at that instant, under a vendor window full of its calls.
    const chat = (rt: VendorRuntime): VendorCaller => createQuotaCaller({
      vendor: 'tencentChat', action: 'kick_user_out', account: '1400000002', requestsPerSecond: undefined, quotaOwner: 'p', runtime: rt, scrubber: new SecretScrubber(),
    });
    const send = (caller: VendorCaller, owner: string, count: number): Promise<CallAnswer[]> =>
      Promise.all(Array.from({ length: count }, () => caller.call(1, async () => {
        sent.push({ owner, at: clock.now() - start });
        return OK;
      })));
    await send(chat(runtime), 'first process', 400);
    const successor = createVendorRuntime({ clock });
    try {
      await send(chat(successor), 'successor', 200);
    } finally {
      await successor.close();
    }
    const all = sent.map((s) => s.at);
    const busiest = Math.max(...all.map((t) => all.filter((u) => u >= t && u < t + 1000).length));
    assert.ok(busiest <= 200, `${busiest} calls in one second`);
  });

  it("a vendor rate-limit answer slows the account's bucket for every provider", async () => {
    const a = provider('a');
    const b = provider('b');
    await calls(a, 'a', 1, { outcome: 'Retryable', code: 'RequestLimitExceeded', message: 'slow down', requestId: 'r', throttle: true });
    const after = clock.now() - start;
    await calls(b, 'b', 10);
    // Halved to 10/s: 10 tokens take 1 s (at 20/s they would take 0.5 s).
    assert.ok(Math.max(...times('b')) - after >= 1000, `b after the throttle: ${times('b')}`);
  });
});
