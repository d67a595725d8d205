// The one state a RoomBan is in, from which all three kstatus conditions follow. Deriving Ready,
// Reconciling and Stalled from a single value keeps them consistent: exactly one of them is True,
// or none (Paused).

import type { UserStatus } from '../api/types.ts';
import { allOutMessage, blockedMessage, rejectedMessage, workMessage } from './messages.ts';
import { summarize } from './summary.ts';

export type ReadyReason = 'AllUsersRemoved';
export type ReconcilingReason = 'Progressing' | 'Throttled' | 'RetryingAfterError' | 'WaitingForProvider';
export type StalledReason = 'InvalidSpec' | 'ProviderNotFound' | 'CredentialsInvalid' | 'VendorRejected';

export type Phase =
  /** Every user is Removed/AlreadyAbsent: Ready=True. */
  | { kind: 'Ready'; reason: ReadyReason; message: string }
  /** Work remains and the controller keeps at it: Reconciling=True. */
  | { kind: 'Reconciling'; reason: ReconcilingReason; message: string }
  /** Nothing changes without a human: Stalled=True. */
  | { kind: 'Stalled'; reason: StalledReason; message: string }
  /**
   * Work remains but a human said stop: all three False, observedGeneration current. kstatus then
   * falls back to Ready=False and reads InProgress (not Current: the ban is not done; not Failed:
   * nothing is wrong). Argo CD's health check can map the annotation to Suspended.
   */
  | { kind: 'Paused'; reason: 'Paused'; message: string };

/**
 * How the last vendor call went, for the Reconciling reason while users remain Pending; or, for
 * WaitingForRateLimit, that the call in flight is queued behind the operator's own rate limit
 * (reason Throttled, like a vendor's rate-limit answer).
 */
export type WorkPace = 'Progressing' | 'Throttled' | 'RetryingAfterError' | 'WaitingForRateLimit';

/** Why the controller cannot work on a ban right now (see blockedStatus). */
export type BlockReason = 'ProviderNotFound' | 'WaitingForProvider' | 'CredentialsInvalid' | 'InvalidSpec' | 'Paused';

/**
 * The phase of a ban the controller can work on. Failed users do not stall the ban while others are
 * still Pending: kstatus would report Failed ("will not progress") while the operator is in fact still
 * removing people. Stalled/VendorRejected comes once nothing Pending remains.
 */
export function workPhase(users: readonly UserStatus[], pace: WorkPace, roomId: string | undefined): Phase {
  const summary = summarize(users);
  if (summary.pending > 0) {
    return { kind: 'Reconciling', reason: pace === 'WaitingForRateLimit' ? 'Throttled' : pace, message: workMessage(pace, users) };
  }
  if (summary.failed > 0) return { kind: 'Stalled', reason: 'VendorRejected', message: rejectedMessage(users) };
  return { kind: 'Ready', reason: 'AllUsersRemoved', message: allOutMessage(users, roomId) };
}

/** The phase of a ban the controller cannot work on, for `reason`. */
export function blockedPhase(reason: BlockReason, cause: string, users: readonly UserStatus[]): Phase {
  const message = blockedMessage(cause, users);
  switch (reason) {
    case 'WaitingForProvider':
      return { kind: 'Reconciling', reason, message };
    case 'Paused':
      return { kind: 'Paused', reason, message };
    default:
      return { kind: 'Stalled', reason, message };
  }
}
