// The simulators' per-second caps. The vendors do not document their algorithm (UNCONFIRMED);
// we model "N requests per second" as a token bucket per quota key refilled at N/s that holds
// `burst` tokens (default N). A client pacing itself at N/s never hits it, whatever the network
// jitter; a client that bursts beyond N (or sustains more than N/s) does. Each action's key may
// have its own documented N (docs/vendors.md#bans); a rate set by the simulator's options or by
// setRequestsPerSecond holds for every key instead.

export interface RateCapOptions {
  /** The rate for keys admitted without one of their own (the removal action's documented cap). */
  requestsPerSecond: number;
  /** The rate was set by the simulator's user: it holds for every key, whatever the key's own rate. */
  overridden?: boolean;
  burst?: number;
  now: () => number;
}

export class RateCap {
  private ratePerSecond: number;
  private overridden: boolean;
  private burst: number | undefined;
  private readonly now: () => number;
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private rejected = 0;

  constructor(options: RateCapOptions) {
    this.ratePerSecond = options.requestsPerSecond;
    this.overridden = options.overridden ?? false;
    this.burst = options.burst;
    this.now = options.now;
  }

  get rejections(): number {
    return this.rejected;
  }

  /** Sets the rate of every key (Infinity lifts the cap). */
  setRequestsPerSecond(requestsPerSecond: number): void {
    this.ratePerSecond = requestsPerSecond;
    this.overridden = true;
    this.buckets.clear();
  }

  /**
   * Takes a token for `key`, refilled at `documentedPerSecond` (the key's action's documented cap)
   * unless the rate was overridden; false (and counted) when the cap is exceeded.
   */
  admit(key: string, documentedPerSecond?: number): boolean {
    const rate = this.overridden ? this.ratePerSecond : (documentedPerSecond ?? this.ratePerSecond);
    if (rate === Infinity) return true;
    const capacity = this.burst ?? rate;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.rejected += 1;
    return false;
  }
}
