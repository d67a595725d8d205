// Client-side rate limiting (docs/vendors.md#rate-limits): one token bucket per (vendor, action, account), shared
// by every client in the process, so calls wait for a token instead of being sent to be rejected.

import type { VendorName } from '../api/types.ts';
import type { Clock } from './clock.ts';

export interface TokenBucketOptions {
  ratePerSecond: number;
  /**
   * Tokens that may accumulate while idle. Defaults to 20 ms worth of tokens (at least 1): timers
   * fire with millisecond granularity, so a burst of 1 would cap very high rates at ~1000/s,
   * while a full second's burst would let a client send twice its rate in one second.
   */
  burst?: number;
  clock: Clock;
}

export function defaultBurst(ratePerSecond: number): number {
  return Math.max(1, Math.ceil(ratePerSecond / 50));
}

export class TokenBucket {
  private readonly clock: Clock;
  private baseRate: number;
  private burst: number;
  private tokens: number;
  /** Tokens accrue from this time on; in the future while paused (Retry-After). */
  private accruesFrom: number;
  private slowFactor = 1;
  private slowUntil = 0;
  private readonly waiters: Array<() => void> = [];
  private pumping = false;

  constructor(options: TokenBucketOptions) {
    assertPositiveRate(options.ratePerSecond);
    this.clock = options.clock;
    this.baseRate = options.ratePerSecond;
    this.burst = options.burst ?? defaultBurst(options.ratePerSecond);
    this.tokens = this.burst;
    this.accruesFrom = options.clock.now();
  }

  /** The rate in force now (lower while slowed down after a vendor rate-limit answer). */
  get ratePerSecond(): number {
    return this.clock.now() < this.slowUntil ? this.baseRate * this.slowFactor : this.baseRate;
  }

  /** The configured rate, ignoring any temporary slow-down. */
  get configuredRatePerSecond(): number {
    return this.baseRate;
  }

  get queued(): number {
    return this.waiters.length;
  }

  setRate(ratePerSecond: number, burst?: number): void {
    assertPositiveRate(ratePerSecond);
    this.refill();
    this.baseRate = ratePerSecond;
    this.burst = burst ?? defaultBurst(ratePerSecond);
    this.tokens = Math.min(this.tokens, this.burst);
  }

  /** Waits for one token, first come first served. Resolves with the milliseconds waited. */
  async take(): Promise<number> {
    const startedAt = this.clock.now();
    if (this.waiters.length === 0 && this.tryTake()) return 0;
    await new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      void this.pump();
    });
    return this.clock.now() - startedAt;
  }

  /** Multiplies the rate by `factor` for `durationMs` (a vendor said we were too fast). */
  slowDown(factor: number, durationMs: number): void {
    this.refill();
    this.slowFactor = factor;
    this.slowUntil = this.clock.now() + durationMs;
    this.tokens = Math.min(this.tokens, 1);
  }

  /** No tokens until `timeMs` (a vendor's Retry-After on a rate-limit answer). */
  pauseUntil(timeMs: number): void {
    this.refill();
    if (timeMs <= this.accruesFrom) return;
    this.tokens = 0;
    this.accruesFrom = timeMs;
  }

  private tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.clock.now();
    if (now <= this.accruesFrom) return;
    const elapsedSeconds = (now - this.accruesFrom) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.accruesFrom = now;
  }

  /** One loop hands out tokens to waiters in order, sleeping until the next token is due. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        while (this.waiters.length > 0 && this.tryTake()) {
          this.waiters.shift()?.();
        }
        if (this.waiters.length === 0) break;
        await this.clock.sleep(this.msUntilNextToken());
      }
    } finally {
      this.pumping = false;
    }
  }

  private msUntilNextToken(): number {
    const now = this.clock.now();
    const pausedFor = Math.max(0, this.accruesFrom - now);
    const refillFor = ((1 - this.tokens) / this.ratePerSecond) * 1000;
    return Math.max(1, Math.ceil(pausedFor + Math.max(0, refillFor)));
  }
}

function assertPositiveRate(rate: number): void {
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new RangeError(`rate must be a positive finite number, got ${rate}`);
  }
}

export interface LimiterKey {
  vendor: VendorName;
  action: string;
  /** The quota holder: SdkAppId for Tencent, the Volcengine account for Volcengine. */
  account: string;
}

export interface ThrottlePolicy {
  /** Rate multiplier after a vendor rate-limit answer. */
  factor: number;
  /** How long the slower rate holds. */
  durationMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { factor: 0.5, durationMs: 10_000 };

export interface LimiterRegistryOptions {
  clock: Clock;
  throttle?: ThrottlePolicy;
}

/** Every bucket of the process, keyed by (vendor, action, account). */
export class LimiterRegistry {
  private readonly clock: Clock;
  private readonly throttle: ThrottlePolicy;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(options: LimiterRegistryOptions) {
    this.clock = options.clock;
    this.throttle = options.throttle ?? DEFAULT_THROTTLE_POLICY;
  }

  /**
   * The bucket for `key`, created at `ratePerSecond` on first use. A later call with a different
   * rate (a provider's rateLimit was edited) updates the shared bucket: the latest setting wins.
   */
  bucket(key: LimiterKey, ratePerSecond: number): TokenBucket {
    const id = `${key.vendor}\u0000${key.action}\u0000${key.account}`;
    const existing = this.buckets.get(id);
    if (existing !== undefined) {
      if (existing.configuredRatePerSecond !== ratePerSecond) existing.setRate(ratePerSecond);
      return existing;
    }
    const created = new TokenBucket({ ratePerSecond, clock: this.clock });
    this.buckets.set(id, created);
    return created;
  }

  /** Applies the throttle policy to a bucket after a vendor rate-limit answer. */
  throttled(bucket: TokenBucket, retryAfterMs: number | undefined): void {
    bucket.slowDown(this.throttle.factor, this.throttle.durationMs);
    if (retryAfterMs !== undefined) bucket.pauseUntil(this.clock.now() + retryAfterMs);
  }
}
