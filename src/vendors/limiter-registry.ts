// Every bucket of the process (docs/vendors.md#rate-limits): one shared bucket per (vendor,
// action, account) at the documented cap, and under it one bucket per provider that set a lower
// `rateLimit`. A provider's setting only ever changes its own bucket.

import type { VendorName } from '../api/types.ts';
import type { Clock } from './clock.ts';
import { ProviderQuota } from './provider-quota.ts';
import { TokenBucket } from './token-bucket.ts';

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

export interface QuotaRequest {
  /** The provider asking (its key); clients that name none share the owner "". */
  owner: string;
  /** The account's documented cap: the shared bucket's rate. */
  capPerSecond: number;
  /** The provider's `rateLimit`; undefined, or not below the cap, for none. */
  ownPerSecond?: number;
}

export class LimiterRegistry {
  private readonly clock: Clock;
  private readonly throttle: ThrottlePolicy;
  private readonly sharedBuckets = new Map<string, TokenBucket>();
  private readonly ownBuckets = new Map<string, TokenBucket>();

  constructor(options: LimiterRegistryOptions) {
    this.clock = options.clock;
    this.throttle = options.throttle ?? DEFAULT_THROTTLE_POLICY;
  }

  /** The account's bucket, created at `capPerSecond` on first use and never re-rated. */
  shared(key: LimiterKey, capPerSecond: number): TokenBucket {
    const id = keyId(key);
    const existing = this.sharedBuckets.get(id);
    if (existing !== undefined) return existing;
    const created = new TokenBucket({ ratePerSecond: capPerSecond, clock: this.clock });
    this.sharedBuckets.set(id, created);
    return created;
  }

  /** The way `request.owner`'s calls go through the account's quota. */
  quota(key: LimiterKey, request: QuotaRequest): ProviderQuota {
    const shared = this.shared(key, request.capPerSecond);
    const { owner, ownPerSecond } = request;
    if (ownPerSecond === undefined || !(ownPerSecond < request.capPerSecond)) return new ProviderQuota({ owner, shared });
    return new ProviderQuota({ owner, shared, own: this.own(key, owner, ownPerSecond) });
  }

  /** Applies the throttle policy to the account's bucket after a vendor rate-limit answer. */
  throttled(bucket: TokenBucket, retryAfterMs: number | undefined): void {
    bucket.slowDown(this.throttle.factor, this.throttle.durationMs);
    if (retryAfterMs !== undefined) bucket.pauseUntil(this.clock.now() + retryAfterMs);
  }

  /** The provider's own bucket; an edited `rateLimit` re-rates it (it is the provider's alone). */
  private own(key: LimiterKey, owner: string, ratePerSecond: number): TokenBucket {
    const id = `${keyId(key)}\u0000${owner}`;
    const existing = this.ownBuckets.get(id);
    if (existing !== undefined) {
      if (existing.configuredRatePerSecond !== ratePerSecond) existing.setRate(ratePerSecond);
      return existing;
    }
    const created = new TokenBucket({ ratePerSecond, clock: this.clock });
    this.ownBuckets.set(id, created);
    return created;
  }
}

function keyId(key: LimiterKey): string {
  return `${key.vendor}\u0000${key.action}\u0000${key.account}`;
}
