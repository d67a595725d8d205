// The reconcile contract, after controller-runtime's pkg/reconcile: a Reconciler turns an object
// key into one Result, and the work queue (src/controller/work-queue.ts) does all the scheduling.
// nextStep decides that Result, once, from the facts the reconcile holds (docs/reconcile.md#contract).

import type { UserStatus } from '../api/types.ts';
import type { UserResult } from '../api/results.ts';
import type { BackoffPolicy } from '../common/backoff.ts';
import type { BlockReason } from './phase.ts';

/** What a reconcile asks of the work queue. */
export type Result =
  /** Nothing to do until an event (a spec, annotation, provider or Secret change): forget the key. */
  | { kind: 'done' }
  /**
   * More work and nothing failed (the reconcile stopped between calls), or a timed step ahead (a ban
   * expires, a drift check is due): run again after `afterMs`.
   */
  | { kind: 'requeue'; afterMs: number }
  /**
   * Something failed and may pass (a retryable vendor answer, an API error): count a failure and run
   * again after the key's backoff (RETRY_BACKOFF), never sooner than `retryAfterMs` when set.
   */
  | { kind: 'backoff'; retryAfterMs?: number };

/**
 * The one thing the work queue calls. `reconcile` resolves to a Result and does not reject: an
 * error thrown inside it is logged with the key and becomes a backoff. This is the only failure
 * channel; scheduling never depends on exceptions.
 */
export interface Reconciler {
  reconcile(key: string): Promise<Result>;
}

/** Per-key retries of a failing RoomBan: 1 s doubling to 5 min, full jitter (many bans of one quota). */
export const RETRY_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000, jitter: 'full' };

/** What a reconcile knows when it ends. */
export type Facts =
  /** No vendor call could be made; `poll` when the cause can pass without an event we watch (RBAC). */
  | { blocked: BlockReason; poll?: boolean }
  /**
   * Calls were planned: the ledger as last written, and every answer this reconcile got; and, for
   * bans, the milliseconds until the next timed step (a ban expiring, a drift check), if any.
   */
  | { users: readonly UserStatus[]; results: readonly UserResult[]; wakeAfterMs?: number };

export function nextStep(facts: Facts): Result {
  if ('blocked' in facts) return facts.poll === true ? { kind: 'backoff' } : { kind: 'done' };
  // Ready, or Stalled/VendorRejected: only an event (or, for bans, the clock) can change anything.
  if (!facts.users.some((user) => user.state === 'Pending' || user.state === 'Lifting')) {
    return facts.wakeAfterMs === undefined ? { kind: 'done' } : { kind: 'requeue', afterMs: Math.max(0, facts.wakeAfterMs) };
  }
  const retryable = facts.results.filter((result) => result.outcome === 'Retryable');
  if (retryable.length === 0) return { kind: 'requeue', afterMs: 0 };
  const asked = retryable.flatMap((result) => (result.retryAfterMs === undefined ? [] : [result.retryAfterMs]));
  return asked.length === 0 ? { kind: 'backoff' } : { kind: 'backoff', retryAfterMs: Math.max(...asked) };
}
