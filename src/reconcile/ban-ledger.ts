// The ledger of a ban (spec.duration set): who is kept out until when, whose ban must be lifted, and
// which call to make next (docs/reconcile.md#bans). A kick's ledger is ledger.ts; this file adds the
// states Banned, Expired and Lifting and the calls that ban, lift and hand a ban over. Like the rest
// of the core it reads no clock: `nowMs` is passed in.

import type { BanTarget, UserStatus } from '../api/types.ts';
import { MAX_REQUEST_ID_CHARS, MAX_USER_MESSAGE_CHARS, MAX_VENDOR_CODE_CHARS } from '../api/bounds.ts';
import type { UserResult } from '../api/results.ts';
import { truncateChars } from '../common/text.ts';

/** What the recorded target and the new one say about the bans already made. */
export type BanChange =
  /** Same target, same duration: keep every answer. */
  | 'same'
  /** Same room, other duration (or a kick becoming a ban): every user is banned again from now. */
  | 'reapply'
  /** Same room, the duration removed: bans in force are lifted, the users read Removed. */
  | 'toKick'
  /** Another account or room: nothing recorded is evidence for it; bans made there are left to expire. */
  | 'reset';

export function banChange(recorded: BanTarget | undefined, next: BanTarget): BanChange {
  if (recorded === undefined) return 'reset';
  const sameRoom =
    recorded.account === next.account &&
    recorded.providerKind === next.providerKind &&
    recorded.providerName === next.providerName &&
    recorded.roomId === next.roomId &&
    recorded.roomIdType === next.roomIdType;
  if (!sameRoom) return 'reset';
  if (recorded.banSeconds === next.banSeconds) return 'same';
  return next.banSeconds === undefined ? 'toKick' : 'reapply';
}

/** A ban is in force for `user`: its recorded bannedUntil is still ahead (whatever the state says of the next step). */
export function banInForce(user: UserStatus, nowMs: number): boolean {
  return user.bannedUntil !== undefined && Date.parse(user.bannedUntil) > nowMs;
}

export interface BanAlignInputs {
  /** spec.users (duplicates dropped here, first wins); [] while the RoomBan is being deleted. */
  specUsers: readonly string[];
  /** The RoomBan is a ban now (spec.duration set). */
  banning: boolean;
  change: BanChange;
  /** The spec or the provider/credentials changed since the Failed answers: ask again. */
  retryFailed: boolean;
  nowMs: number;
}

/**
 * The ledger to work from, for a RoomBan that is or was a ban. Users in spec come first, in spec
 * order; users who left the spec while banned follow as Lifting, and stay until their lift is
 * recorded (so a restart repeats a lift at most once, never forgets one). Bans whose bannedUntil
 * passed become Expired with no call; an expired Lifting user needs no lift and leaves.
 */
export function alignBanUsers(recorded: readonly UserStatus[], inputs: BanAlignInputs): UserStatus[] {
  const { nowMs, change } = inputs;
  const specIds = [...new Set(inputs.specUsers)];
  const inSpec = new Set(specIds);
  const byId = new Map(recorded.map((user) => [user.userId, user] as const));
  const kept = specIds.map((userId) => {
    const previous = byId.get(userId);
    if (previous === undefined || change === 'reset') return pending(userId);
    return inSpecUser(previous, inputs);
  });
  const leaving = change === 'reset' ? [] : recorded.filter((user) => !inSpec.has(user.userId)).flatMap((user) => leavingUser(user, inputs.retryFailed, nowMs));
  return [...kept, ...leaving];
}

function inSpecUser(previous: UserStatus, inputs: BanAlignInputs): UserStatus {
  const { nowMs, banning, change, retryFailed } = inputs;
  const inForce = banInForce(previous, nowMs);
  if (!banning) {
    // A ban becoming a kick (toKick), or a kick's record: bans in force are lifted, spent ones are Removed.
    if (inForce && (previous.state === 'Banned' || previous.state === 'Lifting' || (previous.state === 'Failed' && retryFailed))) {
      return { ...previous, state: 'Lifting' };
    }
    if (previous.state === 'Banned' || previous.state === 'Expired' || previous.state === 'Lifting') return withoutBan({ ...previous, state: 'Removed' });
    if (previous.state === 'Failed' && retryFailed) return { ...previous, state: 'Pending' };
    return { ...previous };
  }
  if (change === 'reapply') return { ...previous, state: 'Pending' };
  switch (previous.state) {
    case 'Banned':
      return inForce ? { ...previous } : { ...previous, state: 'Expired' };
    case 'Lifting':
      // Added back before its lift was recorded: the ban still holds.
      return inForce ? { ...previous, state: 'Banned', vendorCode: '', message: '' } : { ...previous, state: 'Expired' };
    case 'Failed':
      return retryFailed ? { ...previous, state: 'Pending' } : { ...previous };
    case 'Removed':
    case 'AlreadyAbsent':
      // A kick's record says nothing about a ban.
      return pending(previous.userId);
    default:
      return { ...previous };
  }
}

/** A user no longer in spec: lifted while its ban is in force, else gone. A refused lift stays Failed until inputs change. */
function leavingUser(user: UserStatus, retryFailed: boolean, nowMs: number): UserStatus[] {
  if (!banInForce(user, nowMs)) return [];
  if (user.state === 'Banned' || user.state === 'Lifting') return [{ ...user, state: 'Lifting' }];
  if (user.state === 'Failed') return [retryFailed ? { ...user, state: 'Lifting' } : { ...user }];
  return [];
}

// ------------------------------------------------------------------------------------- planning

/** One vendor call of a ban's lifecycle. */
export type BanCall =
  /** Ban Pending users for `seconds` from now. */
  | { kind: 'ban'; userIds: string[]; seconds: number }
  /** Lift the bans of Lifting users no other RoomBan holds. */
  | { kind: 'lift'; userIds: string[] }
  /**
   * Lifting users another live RoomBan on the same account and room still bans: re-ban them for the
   * longest remaining hold instead of lifting, so the user stays out without a gap.
   */
  | { kind: 'handOver'; userIds: string[]; seconds: number };

export interface BanPlanInputs {
  /** spec.duration in whole seconds; undefined while the RoomBan is not (or no longer) a ban. */
  ownSeconds: number | undefined;
  usersPerBan: number;
  usersPerLift: number;
  /**
   * For each user another live RoomBan on the same account and room bans (or is about to), the
   * milliseconds until the longest such hold ends. Users absent are held by no one else.
   */
  heldByOthersMs: ReadonlyMap<string, number>;
  /** The vendor's shortest ban, in seconds: a hand-over or ban is never shorter. */
  minSeconds: number;
  maxSeconds: number;
}

/**
 * The next call, or undefined when nothing needs one. Bans first (keeping people out matters
 * most), then hand-overs, then lifts. A ban lasts the longer of this RoomBan's duration and any
 * other hold on the user, so a shorter ban never cuts another RoomBan's longer one short.
 */
export function planBanCall(users: readonly UserStatus[], inputs: BanPlanInputs): BanCall | undefined {
  const { ownSeconds, heldByOthersMs } = inputs;
  const clamp = (seconds: number) => Math.min(inputs.maxSeconds, Math.max(inputs.minSeconds, seconds));
  const othersSeconds = (userId: string) => Math.ceil((heldByOthersMs.get(userId) ?? 0) / 1000);
  if (ownSeconds !== undefined) {
    const ban = firstGroup(users, 'Pending', (userId) => clamp(Math.max(ownSeconds, othersSeconds(userId))), inputs.usersPerBan);
    if (ban !== undefined) return { kind: 'ban', ...ban };
  }
  const handOver = firstGroup(
    users.filter((user) => othersSeconds(user.userId) > 0),
    'Lifting',
    (userId) => clamp(othersSeconds(userId)),
    inputs.usersPerBan,
  );
  if (handOver !== undefined) return { kind: 'handOver', ...handOver };
  const lift = users.filter((user) => user.state === 'Lifting' && othersSeconds(user.userId) === 0).slice(0, inputs.usersPerLift);
  return lift.length === 0 ? undefined : { kind: 'lift', userIds: lift.map((user) => user.userId) };
}

/** The first users in `state`, those sharing the first user's seconds, at most `size` of them. */
function firstGroup(
  users: readonly UserStatus[],
  state: UserStatus['state'],
  secondsOf: (userId: string) => number,
  size: number,
): { userIds: string[]; seconds: number } | undefined {
  const candidates = users.filter((user) => user.state === state);
  const first = candidates[0];
  if (first === undefined) return undefined;
  const seconds = secondsOf(first.userId);
  const userIds = candidates.filter((user) => secondsOf(user.userId) === seconds).slice(0, size).map((user) => user.userId);
  return { userIds, seconds };
}

// ------------------------------------------------------------------------------------- recording

/**
 * `user` after a ban (or hand-over) call answered. A success starts the user's own ban: bannedUntil
 * is the answer's time plus `ownSeconds`, rounded up to the second. A retryable answer keeps the user
 * Pending; any other answer (a refusal, or "room missing": a ban needs a room) makes it Failed,
 * keeping the previous bannedUntil, since a ban made before may still be in force.
 */
export function applyBanResult(user: UserStatus, result: UserResult, ownSeconds: number, answeredAtMs: number, attemptTime: string): UserStatus {
  if (user.state !== 'Pending') return user;
  const common = {
    userId: user.userId,
    ...(result.requestId === '' ? {} : { requestId: truncateChars(result.requestId, MAX_REQUEST_ID_CHARS) }),
    attempts: user.attempts + 1,
    lastAttemptTime: attemptTime,
  };
  if (result.outcome === 'Removed') {
    return { ...common, state: 'Banned', vendorCode: '', message: '', bannedUntil: kubeTimeCeil(answeredAtMs + ownSeconds * 1000) };
  }
  return {
    ...common,
    state: result.outcome === 'Retryable' ? 'Pending' : 'Failed',
    vendorCode: truncateChars(result.code, MAX_VENDOR_CODE_CHARS),
    message: truncateChars(result.message, MAX_USER_MESSAGE_CHARS),
    ...(user.bannedUntil === undefined ? {} : { bannedUntil: user.bannedUntil }),
  };
}

/**
 * `users` after a lift (or hand-over) call answered for `results`. Lifted (or nothing to lift):
 * a user still in spec (the duration was removed) reads Removed, one who left the spec leaves the
 * ledger. Retryable: still Lifting. Refused: Failed, with the vendor's answer, until inputs change.
 */
export function applyLiftResults(users: readonly UserStatus[], results: readonly UserResult[], specUsers: ReadonlySet<string>, attemptTime: string): UserStatus[] {
  const byUser = new Map(results.map((result) => [result.userId, result] as const));
  return users.flatMap((user) => {
    const result = byUser.get(user.userId);
    if (result === undefined || user.state !== 'Lifting') return [user];
    const answered = {
      ...user,
      ...(result.requestId === '' ? {} : { requestId: truncateChars(result.requestId, MAX_REQUEST_ID_CHARS) }),
      attempts: user.attempts + 1,
      lastAttemptTime: attemptTime,
    };
    if (result.outcome === 'Removed' || result.outcome === 'AlreadyAbsent') {
      return specUsers.has(user.userId) ? [withoutBan({ ...answered, state: 'Removed', vendorCode: '', message: '' })] : [];
    }
    return [
      {
        ...answered,
        state: result.outcome === 'Retryable' ? 'Lifting' : 'Failed',
        vendorCode: truncateChars(result.code, MAX_VENDOR_CODE_CHARS),
        message: truncateChars(result.message, MAX_USER_MESSAGE_CHARS),
      },
    ];
  });
}

/** The latest bannedUntil among bans in force that this RoomBan keeps (Banned users), or undefined. */
export function expiresAt(users: readonly UserStatus[], nowMs: number): string | undefined {
  const ends = users.filter((user) => user.state === 'Banned' && banInForce(user, nowMs)).map((user) => user.bannedUntil ?? '');
  return ends.length === 0 ? undefined : ends.reduce((latest, end) => (Date.parse(end) > Date.parse(latest) ? end : latest));
}

/** Milliseconds until the next recorded ban ends (a Banned user becomes Expired), or undefined. */
export function nextExpiryMs(users: readonly UserStatus[], nowMs: number): number | undefined {
  const ends = users.filter((user) => banInForce(user, nowMs)).map((user) => Date.parse(user.bannedUntil ?? '') - nowMs);
  return ends.length === 0 ? undefined : Math.min(...ends);
}

/** metav1.Time of `ms`, rounded up to the second (a recorded ban never ends before the vendor's). */
export function kubeTimeCeil(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function withoutBan(user: UserStatus): UserStatus {
  const { bannedUntil: _bannedUntil, ...rest } = user;
  return rest;
}

function pending(userId: string): UserStatus {
  return { userId, state: 'Pending', attempts: 0 };
}

// ------------------------------------------------------------------------------------- drift

/** What an observation showed of one Banned user (the vendor boundary's BanObservation, as the core needs it). */
export interface ObservedBan {
  userId: string;
  state: 'held' | 'lifted' | 'unknown';
  /** The vendor's end of the ban, where it shows one (Chat). */
  bannedUntilMs?: number;
}

/** A vendor end earlier than ours by more than this is a ban cut short out of band. */
export const DRIFT_TOLERANCE_MS = 60_000;

/**
 * The Banned users whose ban the vendor no longer holds (lifted out of band, or cut short), each with
 * the whole seconds its recorded ban has left: restore them for that long. A ban with less than
 * the vendor's shortest ban left is let run out.
 */
export function driftedBans(users: readonly UserStatus[], observed: readonly ObservedBan[], nowMs: number, minSeconds: number): { userId: string; seconds: number }[] {
  const byUser = new Map(observed.map((observation) => [observation.userId, observation] as const));
  return users.flatMap((user) => {
    const observation = byUser.get(user.userId);
    if (user.state !== 'Banned' || observation === undefined || !banInForce(user, nowMs)) return [];
    const recordedEnd = Date.parse(user.bannedUntil ?? '');
    const cutShort = observation.state === 'held' && observation.bannedUntilMs !== undefined && observation.bannedUntilMs < recordedEnd - DRIFT_TOLERANCE_MS;
    if (observation.state !== 'lifted' && !cutShort) return [];
    const seconds = Math.ceil((recordedEnd - nowMs) / 1000);
    return seconds < minSeconds ? [] : [{ userId: user.userId, seconds }];
  });
}

/** `user` after its ban was restored: still Banned until the same end, the restoring call's RequestId recorded. */
export function applyRestoreResult(user: UserStatus, result: UserResult, attemptTime: string): UserStatus {
  if (user.state !== 'Banned' || result.outcome !== 'Removed') return user;
  return {
    ...user,
    ...(result.requestId === '' ? {} : { requestId: truncateChars(result.requestId, MAX_REQUEST_ID_CHARS) }),
    attempts: user.attempts + 1,
    lastAttemptTime: attemptTime,
  };
}
