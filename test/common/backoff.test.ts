import assert from 'node:assert/strict';
import { type BackoffPolicy, backoffCeiling, backoffDelay, jittered, MAX_RETRY_AFTER_MS } from '../../src/common/backoff.ts';
import { RETRY_BACKOFF } from '../../src/reconcile/index.ts';
import { mulberry32 as seededRng } from '../../src/sandbox/prng.ts';

const ceiling = (failures: number): number => backoffCeiling(RETRY_BACKOFF, failures);
const delay = (failures: number, random: () => number, floorMs?: number): number =>
  backoffDelay(RETRY_BACKOFF, { failures, random, ...(floorMs === undefined ? {} : { floorMs }) });

describe('backoffDelay (RoomBan retries: RETRY_BACKOFF)', () => {
  it('ceiling: base after the first failure, doubling, capped at 5 minutes', () => {
    assert.equal(RETRY_BACKOFF.baseMs, 1_000);
    assert.equal(RETRY_BACKOFF.capMs, 300_000);
    assert.deepEqual([1, 2, 3, 4, 9, 10, 50, 1e9].map(ceiling), [1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('treats nonsense failure counts as the first failure', () => {
    for (const failures of [0, -3, Number.NaN, Number.NEGATIVE_INFINITY]) assert.equal(ceiling(failures), 1_000, String(failures));
    assert.equal(ceiling(Number.POSITIVE_INFINITY), 1_000);
  });

  it('full jitter: rng 0 gives 0, rng just below 1 gives just below the ceiling', () => {
    assert.equal(delay(5, () => 0), 0);
    assert.equal(delay(5, () => 0.999999), 15_999);
    assert.equal(delay(5, () => 0.5), 8_000);
  });

  it('property: 0 <= d <= min(cap, base * 2^n) for many seeded draws', () => {
    const rng = seededRng(20261121);
    for (let i = 0; i < 20_000; i++) {
      const failures = Math.floor(rng() * 40);
      const d = delay(failures, rng);
      assert.ok(Number.isInteger(d), `integer ms, got ${d}`);
      assert.ok(d >= 0 && d <= Math.min(RETRY_BACKOFF.capMs, RETRY_BACKOFF.baseMs * 2 ** failures), `failures=${failures} delay=${d}`);
      assert.ok(d < ceiling(failures));
    }
  });

  it('property: jitter spreads delays over the whole range (not lockstep)', () => {
    const rng = seededRng(7);
    const delays = Array.from({ length: 2_000 }, () => delay(20, rng));
    assert.ok(Math.min(...delays) < RETRY_BACKOFF.capMs * 0.05);
    assert.ok(Math.max(...delays) > RETRY_BACKOFF.capMs * 0.95);
    assert.ok(new Set(delays).size > 1_900);
  });

  it('property: Retry-After is a floor', () => {
    const rng = seededRng(42);
    for (let i = 0; i < 10_000; i++) {
      const failures = Math.floor(rng() * 20);
      const retryAfterMs = Math.floor(rng() * 600_000);
      const d = delay(failures, rng, retryAfterMs);
      assert.ok(d >= retryAfterMs, `delay ${d} < Retry-After ${retryAfterMs}`);
      assert.ok(d <= Math.max(retryAfterMs, ceiling(failures)));
    }
  });

  it('honours a Retry-After beyond the cap, up to a defensive bound of one hour', () => {
    assert.equal(MAX_RETRY_AFTER_MS, 3_600_000);
    assert.equal(delay(1, () => 0, 20 * 60_000), 20 * 60_000);
    assert.equal(delay(1, () => 0, 3 * 24 * 3_600_000), MAX_RETRY_AFTER_MS);
  });

  it('ignores a missing, zero, negative or NaN Retry-After, and rounds fractions up', () => {
    for (const retryAfterMs of [undefined, 0, -5, Number.NaN]) assert.equal(delay(1, () => 0, retryAfterMs), 0);
    assert.equal(delay(1, () => 0, 1.2), 2);
  });

  it('stays in range when the rng misbehaves', () => {
    for (const value of [1, 2, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const d = delay(3, () => value);
      assert.ok(d >= 0 && d < ceiling(3), `rng ${value} gave ${d}`);
    }
  });
});

describe('backoffDelay with equal jitter (watch reconnects)', () => {
  const policy: BackoffPolicy = { baseMs: 800, capMs: 30_000, jitter: 'equal' };

  it('draws from [ceiling/2, ceiling): never much sooner than the ceiling', () => {
    assert.equal(backoffDelay(policy, { failures: 1, random: () => 0 }), 400);
    assert.equal(backoffDelay(policy, { failures: 1, random: () => 0.999999 }), 799);
    assert.equal(backoffDelay(policy, { failures: 10, random: () => 0 }), 15_000);
    const rng = seededRng(3);
    for (let i = 0; i < 5_000; i++) {
      const failures = 1 + Math.floor(rng() * 12);
      const d = backoffDelay(policy, { failures, random: rng });
      const top = backoffCeiling(policy, failures);
      assert.ok(d >= top / 2 && d < top, `failures=${failures} delay=${d} ceiling=${top}`);
    }
  });
});

describe('jittered (client-go wait.Jitter)', () => {
  it('stretches a period by up to maxFactor, never shrinks it', () => {
    assert.equal(jittered(2_000, 1.2, () => 0), 2_000);
    assert.equal(jittered(2_000, 1.2, () => 0.5), 3_200);
    assert.ok(jittered(2_000, 1.2, () => 1) < 4_400);
    assert.equal(jittered(2_000, 1.2, () => Number.NaN), 2_000);
  });
});
