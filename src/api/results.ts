// What a vendor call decided for one user: the vocabulary the vendor boundary (src/vendors) speaks
// and the reconcile core (src/reconcile) records. It lives here, below both, so neither imports
// the other (docs/architecture.md#layers).

/**
 * What happened to one user:
 * - Removed: the vendor said success.
 * - AlreadyAbsent: the vendor says the room or the membership does not exist; the goal holds.
 * - Retryable: network, 5xx, vendor internal or rate-limit answers; try again later.
 * - Terminal: auth, permission, invalid parameters; nothing changes until a human acts.
 */
export type RemovalOutcome = 'Removed' | 'AlreadyAbsent' | 'Retryable' | 'Terminal';

export interface UserResult {
  userId: string;
  outcome: RemovalOutcome;
  /**
   * The vendor's code ("" for a plain success); "HTTP.<status>" when the answer carried none;
   * "Transport.*" when no answer was received. For people and metrics: nothing above the vendor
   * boundary decides by it.
   */
  code: string;
  /** Human-readable and free of secrets, at most MAX_USER_MESSAGE_CHARS (api/bounds.ts). */
  message: string;
  /** RequestId of the call that decided this outcome; "" when no vendor answer was received. */
  requestId: string;
  /**
   * Terminal only: the refusal is about the account (credentials, app, permissions, endpoint), not
   * this user, so every other Pending user of the ban would be refused alike.
   */
  accountWide?: boolean;
  /** Retryable only: the vendor asked us to slow down (a rate-limit answer, or a Retry-After). */
  throttled?: boolean;
  /** Retryable only: the earliest retry the vendor asked for, in ms (at most MAX_RETRY_AFTER_MS). */
  retryAfterMs?: number;
}
