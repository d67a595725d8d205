// A token bucket (docs/vendors.md#rate-limits): calls wait for a token instead of being sent to be
// rejected. It starts empty, because a fresh process (a restart, a leader handover) cannot know how
// many calls its predecessor made in the vendor's current window. Waiters are served round-robin
// across owners (common/turn-queue.ts), first come first served within one.

import type { Clock } from './clock.ts';
import { TurnQueue } from '../common/turn-queue.ts';

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
  private readonly waiters = new TurnQueue<() => void>();
  private pumping = false;

  constructor(options: TokenBucketOptions) {
    assertPositiveRate(options.ratePerSecond);
    this.clock = options.clock;
    this.baseRate = options.ratePerSecond;
    this.burst = options.burst ?? defaultBurst(options.ratePerSecond);
    this.tokens = 0;
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

  /** Callers of `owner` queued for a token. */
  queuedFor(owner: string): number {
    return this.waiters.lengthOf(owner);
  }

  setRate(ratePerSecond: number, burst?: number): void {
    assertPositiveRate(ratePerSecond);
    this.refill();
    this.baseRate = ratePerSecond;
    this.burst = burst ?? defaultBurst(ratePerSecond);
    this.tokens = Math.min(this.tokens, this.burst);
  }

  /**
   * Waits for one token: owners with waiters take turns, and one owner's callers are served first
   * come first served. Resolves with the milliseconds waited.
   */
  async take(owner = ''): Promise<number> {
    const startedAt = this.clock.now();
    if (this.waiters.length === 0 && this.tryTake()) return 0;
    await new Promise<void>((resolve) => {
      this.waiters.push(owner, resolve);
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

  /**
   * How long a take() made now would wait, in ms (0: a token is ready and nobody queues ahead). An
   * estimate: owners' turns can reorder the queue. For gathering callers into one call while they
   * would wait anyway (docs/architecture.md#combining-calls).
   */
  estimatedWaitMs(): number {
    this.refill();
    const deficit = this.waiters.length + 1 - this.tokens;
    if (deficit <= 0) return 0;
    const pausedFor = Math.max(0, this.accruesFrom - this.clock.now());
    return Math.ceil(pausedFor + (deficit / this.ratePerSecond) * 1000);
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

  /** One loop hands out tokens to waiters in turn, sleeping until the next token is due. */
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
