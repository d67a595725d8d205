// Kubernetes Events for transitions only (docs/reconcile.md#events): users newly out, the ban becoming Stalled
// (or stalled for a new reason), the ban becoming Ready. A retry that changes nothing emits nothing.
// Each Event is a write to the API server, so a write that both removes users and makes the ban
// Ready reports both in one UsersRemoved event.

import type { RoomBanStatus, UserStatus } from '../api/types.ts';
import { findCondition, isTrue, READY, STALLED } from './conditions.ts';
import { MAX_EVENT_MESSAGE_BYTES } from '../api/bounds.ts';
import { countOf, listWithMore, truncateUtf8, utf8ByteLength } from '../common/text.ts';
import { isDone } from './ledger.ts';

export interface BanEvent {
  type: 'Normal' | 'Warning';
  /** CamelCase: UsersRemoved, Ready, or the Stalled reason (InvalidSpec, VendorRejected, ...). */
  reason: string;
  /** At most 1 kB of UTF-8, what events.k8s.io/v1 accepts. */
  message: string;
}

const USERS_SHOWN = 10;
const REQUEST_IDS_SHOWN = 5;

/**
 * The events for going from `before` (the status last written, or undefined) to `after`. Call it once
 * per status write: every user newly out is reported in one aggregated UsersRemoved event.
 */
export function transitionEvents(before: RoomBanStatus | undefined, after: RoomBanStatus): BanEvent[] {
  const removed = usersRemovedEvent(before, after);
  const ready = readyEvent(before, after);
  const events = removed !== undefined && ready !== undefined ? [withReady(removed, ready)] : [removed, stalledEvent(before, after), ready];
  return events
    .filter((event) => event !== undefined)
    .map((event) => ({ ...event, message: truncateUtf8(event.message, MAX_EVENT_MESSAGE_BYTES) }));
}

/** "Removed 2 users from room abcd: b, c (RequestId r2). Ready: 3/3 users removed from room abcd" */
function withReady(removed: BanEvent, ready: BanEvent): BanEvent {
  const suffix = `. Ready: ${ready.message}`;
  return { ...removed, message: truncateUtf8(removed.message, MAX_EVENT_MESSAGE_BYTES - utf8ByteLength(suffix)) + suffix };
}

/** "Removed 2 users from room abcd: a, b (RequestId r1)"; users already absent are counted apart. */
function usersRemovedEvent(before: RoomBanStatus | undefined, after: RoomBanStatus): BanEvent | undefined {
  const newlyOut = (after.users ?? []).filter((user) => isDone(user) && !wasOutBy(before, user));
  if (newlyOut.length === 0) return undefined;
  const absent = newlyOut.filter((user) => user.state === 'AlreadyAbsent').length;
  const room = after.target === undefined ? '' : ` from room ${after.target.roomId}`;
  const users = listWithMore(newlyOut.map((user) => user.userId), USERS_SHOWN);
  const absentNote = absent === 0 ? '' : ` (${absent} already absent)`;
  const message = `Removed ${countOf(newlyOut.length, 'user')}${room}${absentNote}: ${users}${requestIdNote(newlyOut)}`;
  return { type: 'Normal', reason: 'UsersRemoved', message };
}

// A user counts as newly out unless `before` already recorded the same decisive answer: a target
// change followed by a new kick has a new RequestId and is reported again.
function wasOutBy(before: RoomBanStatus | undefined, user: UserStatus): boolean {
  const previous = before?.users?.find((candidate) => candidate.userId === user.userId);
  if (previous === undefined || !isDone(previous)) return false;
  return previous.requestId === user.requestId && previous.lastAttemptTime === user.lastAttemptTime;
}

function requestIdNote(users: readonly UserStatus[]): string {
  const ids = [...new Set(users.flatMap((user) => (user.requestId === undefined ? [] : [user.requestId])))];
  if (ids.length === 0) return '';
  return ` (${ids.length === 1 ? 'RequestId' : 'RequestIds'} ${listWithMore(ids, REQUEST_IDS_SHOWN)})`;
}

function stalledEvent(before: RoomBanStatus | undefined, after: RoomBanStatus): BanEvent | undefined {
  const stalled = findCondition(after.conditions, STALLED);
  if (stalled?.status !== 'True') return undefined;
  const previous = findCondition(before?.conditions, STALLED);
  if (previous?.status === 'True' && previous.reason === stalled.reason) return undefined;
  return { type: 'Warning', reason: stalled.reason, message: stalled.message };
}

function readyEvent(before: RoomBanStatus | undefined, after: RoomBanStatus): BanEvent | undefined {
  const ready = findCondition(after.conditions, READY);
  if (ready?.status !== 'True' || isTrue(before?.conditions, READY)) return undefined;
  return { type: 'Normal', reason: 'Ready', message: ready.message };
}
