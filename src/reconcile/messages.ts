// Condition messages: what a person running `kubectl describe rb` or reading a Flux alert needs to
// know next. Built only from the user ledger, so an unchanged ledger gives an unchanged message and
// a no-op reconcile writes nothing.

import type { UserStatus } from '../api/types.ts';
import type { WorkPace } from './phase.ts';
import { progressOf, summarize } from './summary.ts';
import { countOf, listWithMore } from './text.ts';

const USERS_SHOWN = 3;
const CODES_SHOWN = 5;

/** "3/3 users removed from room abcd (1 already absent)". */
export function allOutMessage(users: readonly UserStatus[], roomId: string | undefined): string {
  const absent = users.filter((user) => user.state === 'AlreadyAbsent').length;
  const room = roomId === undefined ? '' : ` from room ${roomId}`;
  const removed = `${users.length}/${users.length} users removed${room}`;
  return absent === 0 ? removed : `${removed} (${absent} already absent)`;
}

/** "3/10 users removed, 7 pending", with the retry cause and any failures. */
export function workMessage(pace: WorkPace, users: readonly UserStatus[]): string {
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
export function rejectedMessage(users: readonly UserStatus[]): string {
  const failed = users.filter((user) => user.state === 'Failed');
  const groups = [...groupByCode(failed)].map(([code, group]) => describeGroup(code, group));
  return `${countOf(failed.length, 'user')} failed: ${listWithMore(groups, CODES_SHOWN, '; ')}`;
}

/** The driver's cause, then where the ledger stands. */
export function blockedMessage(cause: string, users: readonly UserStatus[]): string {
  const summary = summarize(users);
  return `${cause} (${progressOf(summary)} users removed)`;
}

function describeGroup(code: string, group: readonly UserStatus[]): string {
  const who = `${countOf(group.length, 'user')}: ${listWithMore(group.map((user) => user.userId), USERS_SHOWN)}`;
  const message = group[0]?.message ?? '';
  return `${codeLabel(code)} (${who})${message === '' ? '' : `: ${message}`}`;
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

function codeLabel(code: string): string {
  return code === '' ? 'no vendor code' : code;
}
