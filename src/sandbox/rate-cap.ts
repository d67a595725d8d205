// The simulators' per-second caps. The vendors do not document their algorithm (UNCONFIRMED);
// we model "N requests per second" as a token bucket per quota key refilled at N/s that holds
// `burst` tokens (default N). A client pacing itself at N/s never hits it, whatever the network
// jitter; a client that bursts beyond N (or sustains more than N/s) does.

export class RateCap {
  private ratePerSecond: number;
  private burst: number | undefined;
  private readonly now: () => number;
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private rejected = 0;

  constructor(options: { requestsPerSecond: number; burst?: number; now: () => number }) {
    this.ratePerSecond = options.requestsPerSecond;
    this.burst = options.burst;
    this.now = options.now;
  }

  get rejections(): number {
    return this.rejected;
  }

  setRequestsPerSecond(requestsPerSecond: number): void {
    this.ratePerSecond = requestsPerSecond;
    this.buckets.clear();
  }

  /** Takes a token for `key`; false (and counted) when the cap is exceeded. */
  admit(key: string): boolean {
    if (this.ratePerSecond === Infinity) return true;
    const capacity = this.burst ?? this.ratePerSecond;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond);
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
