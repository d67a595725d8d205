// TokenBucket and LimiterRegistry on a virtual clock: sleeping advances time instantly, so rates
// are asserted exactly without depending on wall-clock time.

import assert from 'node:assert/strict';
import type { Clock } from '../../src/vendors/clock.ts';
import { LimiterRegistry, TokenBucket } from '../../src/vendors/token-bucket.ts';

function virtualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      await Promise.resolve();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('hands out tokens at the configured rate', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 20, clock });
    const start = clock.now();
    for (let i = 0; i < 41; i += 1) await bucket.take();
    // Burst of 1 at 20/s: the 41st token is due 2 s after the first.
    assert.equal(clock.now() - start, 2000);
  });

  it('serves concurrent waiters first come, first served', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, clock });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => bucket.take().then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
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

describe('LimiterRegistry', () => {
  it('shares one bucket per (vendor, action, account)', () => {
    const registry = new LimiterRegistry({ clock: virtualClock() });
    const a = registry.bucket({ vendor: 'tencentTRTC', action: 'RemoveUser', account: '1' }, 20);
    const b = registry.bucket({ vendor: 'tencentTRTC', action: 'RemoveUser', account: '1' }, 20);
    const c = registry.bucket({ vendor: 'tencentTRTC', action: 'RemoveUserByStrRoomId', account: '1' }, 20);
    const d = registry.bucket({ vendor: 'tencentTRTC', action: 'RemoveUser', account: '2' }, 20);
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.notEqual(a, d);
  });

  it('applies the latest configured rate to the shared bucket', () => {
    const registry = new LimiterRegistry({ clock: virtualClock() });
    const key = { vendor: 'tencentChat' as const, action: 'kick_user_out', account: '1' };
    registry.bucket(key, 200);
    assert.equal(registry.bucket(key, 50).configuredRatePerSecond, 50);
  });

  it('throttled() halves the rate for the policy duration and honours Retry-After', async () => {
    const clock = virtualClock();
    const registry = new LimiterRegistry({ clock, throttle: { factor: 0.5, durationMs: 10_000 } });
    const bucket = registry.bucket({ vendor: 'volcengineRTC', action: 'KickUser', account: 'a' }, 60);
    registry.throttled(bucket, 2000);
    assert.equal(bucket.ratePerSecond, 30);
    const start = clock.now();
    await bucket.take();
    assert.ok(clock.now() - start >= 2000);
  });
});
