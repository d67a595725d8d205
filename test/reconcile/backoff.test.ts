import assert from 'node:assert/strict';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, MAX_RETRY_AFTER_MS, backoffCeiling, backoffDelay } from '../../src/reconcile/index.ts';
import { seededRng } from './fixtures.ts';

describe('backoffDelay', () => {
  it('ceiling: base after the first failure, doubling, capped at 5 minutes', () => {
    assert.equal(BACKOFF_BASE_MS, 1_000);
    assert.equal(BACKOFF_CAP_MS, 300_000);
    assert.deepEqual([1, 2, 3, 4, 9, 10, 50, 1e9].map(backoffCeiling), [1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('treats nonsense failure counts as the first failure', () => {
    for (const failures of [0, -3, Number.NaN, Number.NEGATIVE_INFINITY]) assert.equal(backoffCeiling(failures), 1_000, String(failures));
    assert.equal(backoffCeiling(Number.POSITIVE_INFINITY), 1_000);
  });

  it('full jitter: rng 0 gives 0, rng just below 1 gives just below the ceiling', () => {
    assert.equal(backoffDelay(5, () => 0), 0);
    assert.equal(backoffDelay(5, () => 0.999999), 15_999);
    assert.equal(backoffDelay(5, () => 0.5), 8_000);
  });

  it('property: 0 <= d <= min(cap, base * 2^n) for many seeded draws', () => {
    const rng = seededRng(20261121);
    for (let i = 0; i < 20_000; i++) {
      const failures = Math.floor(rng() * 40);
      const delay = backoffDelay(failures, rng);
      assert.ok(Number.isInteger(delay), `integer ms, got ${delay}`);
      assert.ok(delay >= 0 && delay <= Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failures), `failures=${failures} delay=${delay}`);
      assert.ok(delay < backoffCeiling(failures));
    }
  });

  it('property: jitter spreads delays over the whole range (not lockstep)', () => {
    const rng = seededRng(7);
    const delays = Array.from({ length: 2_000 }, () => backoffDelay(20, rng));
    assert.ok(Math.min(...delays) < BACKOFF_CAP_MS * 0.05);
    assert.ok(Math.max(...delays) > BACKOFF_CAP_MS * 0.95);
    assert.ok(new Set(delays).size > 1_900);
  });

  it('property: Retry-After is a floor', () => {
    const rng = seededRng(42);
    for (let i = 0; i < 10_000; i++) {
      const failures = Math.floor(rng() * 20);
      const retryAfterMs = Math.floor(rng() * 600_000);
      const delay = backoffDelay(failures, rng, retryAfterMs);
      assert.ok(delay >= retryAfterMs, `delay ${delay} < Retry-After ${retryAfterMs}`);
      assert.ok(delay <= Math.max(retryAfterMs, backoffCeiling(failures)));
    }
  });

  it('honours a Retry-After beyond the cap, up to a defensive bound', () => {
    assert.equal(backoffDelay(1, () => 0, 20 * 60_000), 20 * 60_000);
    assert.equal(backoffDelay(1, () => 0, 3 * 24 * 3_600_000), MAX_RETRY_AFTER_MS);
  });

  it('ignores a missing, zero, negative or NaN Retry-After, and rounds fractions up', () => {
    for (const retryAfterMs of [undefined, 0, -5, Number.NaN]) assert.equal(backoffDelay(1, () => 0, retryAfterMs), 0);
    assert.equal(backoffDelay(1, () => 0, 1.2), 2);
  });

  it('stays in range when the rng misbehaves', () => {
    for (const value of [1, 2, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const delay = backoffDelay(3, () => value);
      assert.ok(delay >= 0 && delay < backoffCeiling(3), `rng ${value} gave ${delay}`);
    }
  });
});
