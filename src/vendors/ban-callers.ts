// The callers of a vendor's ban API (docs/vendors.md#bans): one per action, each with its own bucket
// at that action's documented cap, so observations never delay a ban or a lift.

import type { BanRules } from '../api/vendor-rules.ts';
import type { VendorCaller } from './vendor-call.ts';

export class BanCallers {
  readonly ban: VendorCaller;
  readonly lift: VendorCaller;
  readonly observe: VendorCaller;

  /** `caller(action)` makes the caller of one wire action (the vendor's REST plumbing). */
  constructor(actions: BanRules['actions'], caller: (action: string) => VendorCaller) {
    this.ban = caller(actions.ban.name);
    this.lift = caller(actions.lift.name);
    this.observe = caller(actions.observe.name);
  }

  /** True while a ban, lift or observation of this provider is queued for a token. */
  get waitingForToken(): boolean {
    return this.ban.waitingForToken || this.lift.waitingForToken || this.observe.waitingForToken;
  }

  /** How long a ban or lift made now would wait for its token (VendorClient.estimatedWaitMs). */
  estimatedWaitMs(kind: 'ban' | 'lift'): number {
    return this[kind].estimatedWaitMs;
  }
}
