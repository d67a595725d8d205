// The per-user ledger in status.users: which users are out, the vendor answer that says so, what
// those answers are evidence for (the target), the counts shown in status.summary, and which users
// to ask the vendor about next. Batching into vendor calls is decided here and nowhere else: a
// vendor client makes exactly one call per batch (docs/architecture.md#batching).

import type { BanSummary, BanTarget, RoomBan, RoomBanSpec, UserStatus } from '../api/types.ts';
import { PAUSED_ANNOTATION } from '../api/types.ts';
import { MAX_REQUEST_ID_CHARS, MAX_USER_MESSAGE_CHARS, MAX_VENDOR_CODE_CHARS } from '../api/bounds.ts';
import type { UserResult } from '../api/results.ts';
import { truncateChars } from '../common/text.ts';
import { parseDurationMs } from '../api/duration.ts';

export interface AlignOptions {
  /** The target changed: nothing recorded is evidence for the new one. */
  resetAll: boolean;
  /** The spec or the provider/credentials changed since the Failed answers: ask the vendor again. */
  retryFailed: boolean;
}

/** Removed and AlreadyAbsent (kicks), Banned and Expired (bans) mean the goal holds for that user. */
export function isDone(user: UserStatus): boolean {
  return user.state === 'Removed' || user.state === 'AlreadyAbsent' || user.state === 'Banned' || user.state === 'Expired';
}

/**
 * `specUsers` in spec order, each with its recorded ledger entry where kept. Duplicates are dropped
 * here, once (first wins): everything downstream, the vendor calls included, sees unique IDs.
 */
export function alignUsers(recorded: readonly UserStatus[], specUsers: readonly string[], options: AlignOptions): UserStatus[] {
  const byId = new Map(recorded.map((user) => [user.userId, user] as const));
  return [...new Set(specUsers)].map((userId) => {
    const previous = options.resetAll ? undefined : byId.get(userId);
    if (previous === undefined) return pendingUser(userId);
    if (previous.state === 'Failed' && options.retryFailed) return { ...previous, state: 'Pending' };
    return { ...previous };
  });
}

/**
 * `user` after the vendor answered `result`. A user who is already out stays out with the answer that
 * decided it: a late or repeated answer must never put a removed user back to Pending. Vendor text
 * is cut to the CRD's bounds, so no answer can make the status too large to write.
 */
export function applyResult(user: UserStatus, result: UserResult, attemptTime: string): UserStatus {
  if (isDone(user)) return user;
  const removed = result.outcome === 'Removed';
  return {
    userId: user.userId,
    state: STATE_AFTER[result.outcome],
    ...(result.requestId === '' ? {} : { requestId: truncateChars(result.requestId, MAX_REQUEST_ID_CHARS) }),
    vendorCode: removed ? '' : truncateChars(result.code, MAX_VENDOR_CODE_CHARS),
    message: removed ? '' : truncateChars(result.message, MAX_USER_MESSAGE_CHARS),
    attempts: user.attempts + 1,
    lastAttemptTime: attemptTime,
  };
}

/**
 * `users` after an account-wide refusal (UserResult.accountWide): every user still Pending is
 * Failed with that answer too, without a call of its own, since the account would refuse it alike.
 * The reconcile then stops instead of spending the account's quota on certain refusals; a change of
 * the provider or its Secret (inputsVersion) asks again.
 */
export function refusePending(users: readonly UserStatus[], refusal: UserResult): UserStatus[] {
  return users.map((user) => {
    if (user.state !== 'Pending') return user;
    return {
      ...user,
      state: 'Failed',
      ...(refusal.requestId === '' ? {} : { requestId: truncateChars(refusal.requestId, MAX_REQUEST_ID_CHARS) }),
      vendorCode: truncateChars(refusal.code, MAX_VENDOR_CODE_CHARS),
      message: truncateChars(refusal.message, MAX_USER_MESSAGE_CHARS),
    };
  });
}

const STATE_AFTER: Record<UserResult['outcome'], UserStatus['state']> = {
  Removed: 'Removed',
  AlreadyAbsent: 'AlreadyAbsent',
  Retryable: 'Pending',
  Terminal: 'Failed',
};

/**
 * The Pending users of `users`, in ledger (= spec) order, in batches of at most `usersPerCall`.
 * Removed/AlreadyAbsent users are never planned (that would repeat a recorded kick); Failed users
 * wait for alignUsers to make them Pending again.
 */
export function planRemovals(users: readonly UserStatus[], usersPerCall: number): string[][] {
  if (!Number.isInteger(usersPerCall) || usersPerCall < 1) {
    throw new RangeError(`usersPerCall must be a positive integer, got ${usersPerCall}`);
  }
  const pending = users.filter((user) => user.state === 'Pending').map((user) => user.userId);
  const batches: string[][] = [];
  for (let start = 0; start < pending.length; start += usersPerCall) batches.push(pending.slice(start, start + usersPerCall));
  return batches;
}

export function summarize(users: readonly UserStatus[]): BanSummary {
  const count = (keep: (user: UserStatus) => boolean): number => users.filter(keep).length;
  return {
    total: users.length,
    removed: count(isDone),
    // A ban being lifted is work the operator still has to do.
    pending: count((user) => user.state === 'Pending' || user.state === 'Lifting'),
    failed: count((user) => user.state === 'Failed'),
  };
}

/** "removed/total", e.g. "2/10" (the printer column status.progress). */
export function progressOf(summary: BanSummary): string {
  return `${summary.removed}/${summary.total}`;
}

// ------------------------------------------------------------------------------------ the target
// Results obtained for one room at one account say nothing about another, so a target change makes
// every user Pending again (docs/reconcile.md#spec-changes).

/** The target `spec` names at the provider's `account` (e.g. "tencentTRTC/1400000001"), with API defaults applied. */
export function targetFor(spec: RoomBanSpec, account: string): BanTarget {
  const banMs = spec.duration === undefined ? undefined : parseDurationMs(spec.duration);
  return {
    providerKind: spec.providerRef.kind ?? 'RoomProvider',
    providerName: spec.providerRef.name,
    account,
    roomId: spec.roomId,
    roomIdType: spec.roomIdType ?? 'String',
    // Whole seconds only: validate refuses a fraction before any call is made.
    ...(banMs === undefined ? {} : { banSeconds: Math.max(1, Math.ceil(banMs / 1000)) }),
  };
}

export function targetsEqual(a: BanTarget | undefined, b: BanTarget | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.account === b.account && sameSpecPart(a, b);
}

/**
 * Whether `recorded` can still be the target of `spec` when the account is unknown (the provider is
 * missing): every part the spec names is unchanged.
 */
export function targetMatchesSpec(recorded: BanTarget | undefined, spec: RoomBanSpec): boolean {
  return recorded !== undefined && sameSpecPart(recorded, targetFor(spec, recorded.account));
}

/** The roomban.io/paused annotation is set to "true". */
export function isPaused(ban: RoomBan): boolean {
  return ban.metadata.annotations?.[PAUSED_ANNOTATION] === 'true';
}

function sameSpecPart(a: BanTarget, b: BanTarget): boolean {
  return a.providerKind === b.providerKind && a.providerName === b.providerName && a.roomId === b.roomId && a.roomIdType === b.roomIdType;
}

function pendingUser(userId: string): UserStatus {
  return { userId, state: 'Pending', attempts: 0 };
}
