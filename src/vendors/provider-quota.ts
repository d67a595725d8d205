// One provider's way through an account's quota (docs/vendors.md#rate-limits): a call first takes
// a token from the provider's own bucket (its `rateLimit`, when it set one), then waits for its
// provider's turn at the account's shared bucket. The provider's own bucket never changes the
// shared one, so no provider can slow another down.

import type { TokenBucket } from './token-bucket.ts';

export interface ProviderQuotaOptions {
  /** Who is asking: the provider's key. Callers of one owner queue together and take turns with other owners. */
  owner: string;
  /** The account's bucket at the documented cap, shared by every provider of the account. */
  shared: TokenBucket;
  /** The provider's own bucket at its `rateLimit`; undefined when it set none. */
  own?: TokenBucket;
}

export class ProviderQuota {
  readonly owner: string;
  readonly shared: TokenBucket;
  readonly own: TokenBucket | undefined;

  constructor(options: ProviderQuotaOptions) {
    this.owner = options.owner;
    this.shared = options.shared;
    this.own = options.own;
  }

  /** True while calls of this owner are queued at either bucket. */
  get waiting(): boolean {
    return (this.own?.queuedFor(this.owner) ?? 0) > 0 || this.shared.queuedFor(this.owner) > 0;
  }

  /** How long a take() made now would wait, in ms (an estimate: TokenBucket.estimatedWaitMs). */
  estimatedWaitMs(): number {
    return Math.max(this.own?.estimatedWaitMs() ?? 0, this.shared.estimatedWaitMs());
  }

  /** Waits for the provider's own token, then for the shared one. Resolves with the milliseconds waited. */
  async take(): Promise<number> {
    const ownWait = this.own === undefined ? 0 : await this.own.take(this.owner);
    return ownWait + (await this.shared.take(this.owner));
  }
}
