// What the controller does after a reconcile: the controller-runtime Result of the core. Scheduling
// lives in the work queue (design.md §9); this only says which kind of scheduling.

import type { RoomBanStatus } from '../api/types.ts';
import type { UserResult } from '../vendors/types.ts';
import { findCondition, isTrue, READY, RECONCILING, STALLED } from './conditions.ts';

export type ReconcileOutcome =
  /** Ready: every user is out. Forget the key; no requeue. */
  | { kind: 'done' }
  /**
   * Nothing to do until something else changes; no requeue. Stalled and WaitingForProvider are woken
   * by a change to the spec, the provider or its Secret; Paused by the annotation's removal.
   */
  | { kind: 'wait'; reason: 'Stalled' | 'Paused' | 'WaitingForProvider' }
  /** Users remain Pending and no call failed (e.g. the reconcile stopped between batches): requeue now. */
  | { kind: 'continue' }
  /**
   * A call failed retryably: requeue with backoffDelay(failures, rng, retryAfterMs); retryAfterMs is
   * the largest Retry-After among the results, when any asked for one.
   */
  | { kind: 'retry'; retryAfterMs?: number };

/** The next step for a ban whose status is `status` after a reconcile that got `results` (all calls). */
export function reconcileOutcome(status: RoomBanStatus, results: readonly UserResult[] = []): ReconcileOutcome {
  const conditions = status.conditions;
  if (isTrue(conditions, STALLED)) return { kind: 'wait', reason: 'Stalled' };
  if (isTrue(conditions, READY)) return { kind: 'done' };
  const reconciling = findCondition(conditions, RECONCILING);
  if (reconciling?.reason === 'Paused') return { kind: 'wait', reason: 'Paused' };
  if (reconciling?.reason === 'WaitingForProvider') return { kind: 'wait', reason: 'WaitingForProvider' };
  return retryOrContinue(results);
}

function retryOrContinue(results: readonly UserResult[]): ReconcileOutcome {
  const retryable = results.filter((result) => result.outcome === 'Retryable');
  if (retryable.length === 0) return { kind: 'continue' };
  const asked = retryable.flatMap((result) => (result.retryAfterMs === undefined ? [] : [result.retryAfterMs]));
  return asked.length === 0 ? { kind: 'retry' } : { kind: 'retry', retryAfterMs: Math.max(...asked) };
}
