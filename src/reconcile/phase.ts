// The one state a RoomBan is in, from which all three kstatus conditions follow (conditions.ts),
// and the message that tells a person running `kubectl describe rb` or reading a Flux alert what
// happens next. Deriving Ready, Reconciling and Stalled from a single value keeps them consistent:
// exactly one of them is True, or none (Paused). Messages are built only from the ledger, so an
// unchanged ledger gives an unchanged message and a no-op reconcile writes nothing.

import type { UserStatus } from '../api/types.ts';
import type { UserResult } from '../api/results.ts';
import { countOf, listWithMore } from '../common/text.ts';
import { progressOf, summarize } from './ledger.ts';

export type ReadyReason = 'AllUsersRemoved';
export type ReconcilingReason = 'Progressing' | 'Throttled' | 'RetryingAfterError' | 'WaitingForProvider';
export type StalledReason = 'InvalidSpec' | 'ProviderNotFound' | 'ProviderNotAllowed' | 'CredentialsInvalid' | 'VendorRejected';

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
   * nothing is wrong). Argo CD's health check maps the annotation to Suspended.
   */
  | { kind: 'Paused'; reason: 'Paused'; message: string };

/**
 * How the last vendor call went, for the Reconciling reason while users remain Pending; or, for
 * WaitingForRateLimit, that the call in flight is queued behind the operator's own rate limit
 * (reason Throttled, like a vendor's rate-limit answer).
 */
export type WorkPace = 'Progressing' | 'Throttled' | 'RetryingAfterError' | 'WaitingForRateLimit';

/** Why the controller cannot work on a ban right now (see blockedStatus). */
export type BlockReason = 'ProviderNotFound' | 'ProviderNotAllowed' | 'WaitingForProvider' | 'CredentialsInvalid' | 'InvalidSpec' | 'Paused';

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

/** The phase of a ban the controller cannot work on, for `reason`; `cause` says why, for people. */
export function blockedPhase(reason: BlockReason, cause: string, users: readonly UserStatus[]): Phase {
  const message = `${cause} (${progressOf(summarize(users))} users removed)`;
  switch (reason) {
    case 'WaitingForProvider':
      return { kind: 'Reconciling', reason, message };
    case 'Paused':
      return { kind: 'Paused', reason, message };
    default:
      return { kind: 'Stalled', reason, message };
  }
}

/** A call the vendor asked us to slow down makes the ban Throttled; any other retryable answer, RetryingAfterError. */
export function paceOf(results: readonly UserResult[]): WorkPace {
  if (results.some((result) => result.outcome === 'Retryable' && result.throttled === true)) return 'Throttled';
  if (results.some((result) => result.outcome === 'Retryable')) return 'RetryingAfterError';
  return 'Progressing';
}

// ------------------------------------------------------------------------------------- messages

const USERS_SHOWN = 3;
const CODES_SHOWN = 5;

/** "3/3 users removed from room abcd (1 already absent)". */
function allOutMessage(users: readonly UserStatus[], roomId: string | undefined): string {
  const absent = users.filter((user) => user.state === 'AlreadyAbsent').length;
  const room = roomId === undefined ? '' : ` from room ${roomId}`;
  const removed = `${users.length}/${users.length} users removed${room}`;
  return absent === 0 ? removed : `${removed} (${absent} already absent)`;
}

/** "3/10 users removed, 7 pending", with the retry cause and any failures. */
function workMessage(pace: WorkPace, users: readonly UserStatus[]): string {
  const summary = summarize(users);
  const progress = `${progressOf(summary)} users removed, ${summary.pending} pending`;
  const failures = summary.failed > 0 ? `; ${rejectedMessage(users)}` : '';
  const codes = codeCounts(users.filter((user) => user.state === 'Pending'));
  if (pace === 'Throttled') return `Vendor rate limit reached: ${codes}; ${progress}${failures}`;
  if (pace === 'WaitingForRateLimit') return `Queued for the vendor rate limit, shared by all RoomBans of this account; ${progress}${failures}`;
  if (pace === 'RetryingAfterError') return `Retrying after errors: ${codes}; ${progress}${failures}`;
  return `${progress}${failures}`;
}

/** "2 users failed: AuthFailure.SignatureFailure (2 users: a, b): <vendor message>". */
function rejectedMessage(users: readonly UserStatus[]): string {
  const failed = users.filter((user) => user.state === 'Failed');
  const groups = [...groupByCode(failed)].map(([code, group]) => describeGroup(code, group));
  return `${countOf(failed.length, 'user')} failed: ${listWithMore(groups, CODES_SHOWN, '; ')}`;
}

function describeGroup(code: string, group: readonly UserStatus[]): string {
  const who = `${countOf(group.length, 'user')}: ${listWithMore(group.map((user) => user.userId), USERS_SHOWN)}`;
  const message = group[0]?.message ?? '';
  return `${code === '' ? 'no vendor code' : code} (${who})${message === '' ? '' : `: ${message}`}`;
}

/** "InternalError (3), Transport.Timeout (1)" over the users that carry a vendor code. */
function codeCounts(users: readonly UserStatus[]): string {
  const counts = [...groupByCode(users.filter((user) => (user.vendorCode ?? '') !== ''))];
  if (counts.length === 0) return 'no vendor code';
  return listWithMore(counts.map(([code, group]) => `${code} (${group.length})`), CODES_SHOWN);
}

/** Users grouped by vendor code, groups in order of first appearance (stable messages). */
function groupByCode(users: readonly UserStatus[]): Map<string, UserStatus[]> {
  const groups = new Map<string, UserStatus[]>();
  for (const user of users) {
    const code = user.vendorCode ?? '';
    groups.set(code, [...(groups.get(code) ?? []), user]);
  }
  return groups;
}
