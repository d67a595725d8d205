// The one state a RoomBan is in, from which all three kstatus conditions follow (conditions.ts),
// and the message that tells a person running `kubectl describe rb` or reading a Flux alert what
// happens next. Deriving Ready, Reconciling and Stalled from a single value keeps them consistent:
// exactly one of them is True, or none (Paused). Messages are built only from the ledger, so an
// unchanged ledger gives an unchanged message and a no-op reconcile writes nothing.

import type { UserStatus } from '../api/types.ts';
import type { UserResult } from '../api/results.ts';
import { countOf, listWithMore } from '../common/text.ts';
import { progressOf, summarize } from './ledger.ts';

export type ReadyReason = 'AllUsersRemoved' | 'AllUsersBanned' | 'BansExpired';
export type ReconcilingReason = 'Progressing' | 'Throttled' | 'RetryingAfterError' | 'WaitingForProvider' | 'LiftingBans';
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
export function workPhase(users: readonly UserStatus[], pace: WorkPace, roomId: string | undefined, lifecycle: Lifecycle = KICK): Phase {
  const summary = summarize(users);
  if (summary.pending > 0) {
    const onlyLifts = !users.some((user) => user.state === 'Pending');
    const reason = pace === 'WaitingForRateLimit' ? 'Throttled' : pace === 'Progressing' && onlyLifts ? 'LiftingBans' : pace;
    return { kind: 'Reconciling', reason, message: workMessage(pace, users, lifecycle) };
  }
  if (summary.failed > 0) return { kind: 'Stalled', reason: 'VendorRejected', message: rejectedMessage(users, lifecycle) };
  if (lifecycle.banning && lifecycle.expiresAt !== undefined) {
    return { kind: 'Ready', reason: 'AllUsersBanned', message: bannedMessage(users, roomId, lifecycle.expiresAt) };
  }
  if (lifecycle.banning) return { kind: 'Ready', reason: 'BansExpired', message: expiredMessage(users, roomId) };
  return { kind: 'Ready', reason: 'AllUsersRemoved', message: allOutMessage(users, roomId) };
}

/** What the RoomBan is doing with its users beyond a kick (docs/reconcile.md#bans). */
export interface Lifecycle {
  /** spec.duration is set (and the RoomBan is not being deleted). */
  banning: boolean;
  /** metadata.deletionTimestamp is set: only lifts remain. */
  deleting: boolean;
  /** The latest bannedUntil among the Banned users, when a ban is in force. */
  expiresAt?: string;
}

export const KICK: Lifecycle = { banning: false, deleting: false };

/** How to let a Terminating RoomBan go when its bans cannot be lifted. */
export const ORPHAN_HINT =
  'to delete it without lifting, set spec.deletionPolicy to Orphan (kubectl patch roomban <name> --type merge -p \'{"spec":{"deletionPolicy":"Orphan"}}\')';

/** The phase of a ban the controller cannot work on, for `reason`; `cause` says why, for people. */
export function blockedPhase(reason: BlockReason, cause: string, users: readonly UserStatus[], lifecycle: Lifecycle = KICK): Phase {
  const lifting = users.filter((user) => user.state === 'Lifting' || user.state === 'Failed').length;
  const message = lifecycle.deleting
    ? `Cannot lift the bans of ${countOf(lifting, 'user')} before deletion: ${cause}; ${ORPHAN_HINT}`
    : `${cause} (${progressOf(summarize(users))} users removed)`;
  if (lifecycle.deleting && reason !== 'Paused') return { kind: 'Stalled', reason: reason === 'WaitingForProvider' ? 'ProviderNotFound' : reason, message };
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

/** "2/2 users banned from room abcd until 2026-12-02T10:00:00Z (1 expired)". */
function bannedMessage(users: readonly UserStatus[], roomId: string | undefined, until: string): string {
  const expired = users.filter((user) => user.state === 'Expired').length;
  const room = roomId === undefined ? '' : ` from room ${roomId}`;
  const banned = `${users.length}/${users.length} users banned${room} until ${until}`;
  return expired === 0 ? banned : `${banned} (${expired} expired)`;
}

/** "2/2 bans in room abcd expired". */
function expiredMessage(users: readonly UserStatus[], roomId: string | undefined): string {
  const room = roomId === undefined ? '' : ` in room ${roomId}`;
  return `${users.length}/${users.length} bans${room} expired`;
}

/** "3/10 users removed, 7 pending", with the retry cause and any failures. */
function workMessage(pace: WorkPace, users: readonly UserStatus[], lifecycle: Lifecycle): string {
  const summary = summarize(users);
  const lifting = users.filter((user) => user.state === 'Lifting').length;
  const liftNote = lifting === 0 ? '' : `, lifting ${countOf(lifting, 'ban')}`;
  const progress = lifecycle.deleting
    ? `lifting ${countOf(lifting, 'ban')} before deletion`
    : `${progressOf(summary)} users ${lifecycle.banning ? 'banned' : 'removed'}, ${summary.pending - lifting} pending${liftNote}`;
  const failures = summary.failed > 0 ? `; ${rejectedMessage(users, lifecycle)}` : '';
  const codes = codeCounts(users.filter((user) => user.state === 'Pending'));
  if (pace === 'Throttled') return `Vendor rate limit reached: ${codes}; ${progress}${failures}`;
  if (pace === 'WaitingForRateLimit') return `Queued for the vendor rate limit, shared by all RoomBans of this account; ${progress}${failures}`;
  if (pace === 'RetryingAfterError') return `Retrying after errors: ${codes}; ${progress}${failures}`;
  return `${progress}${failures}`;
}

/** "2 users failed: AuthFailure.SignatureFailure (2 users: a, b): <vendor message>". */
function rejectedMessage(users: readonly UserStatus[], lifecycle: Lifecycle = KICK): string {
  const failed = users.filter((user) => user.state === 'Failed');
  const groups = [...groupByCode(failed)].map(([code, group]) => describeGroup(code, group));
  const rejected = `${countOf(failed.length, 'user')} failed: ${listWithMore(groups, CODES_SHOWN, '; ')}`;
  return lifecycle.deleting ? `The vendor refused to lift bans before deletion: ${rejected}; ${ORPHAN_HINT}` : rejected;
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
