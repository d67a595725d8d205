// The per-user ledger in status.users: which users are out, and the vendor answer that says so.

import type { UserStatus } from '../api/types.ts';
import type { UserResult } from '../vendors/types.ts';
import { MAX_USER_MESSAGE_CHARS, truncateChars } from './text.ts';

export interface AlignOptions {
  /** The target changed: nothing recorded is evidence for the new one. */
  resetAll: boolean;
  /** The spec or the provider/credentials changed since the Failed answers: ask the vendor again. */
  retryFailed: boolean;
}

/** Removed and AlreadyAbsent both mean the goal holds for that user. */
export function isDone(user: UserStatus): boolean {
  return user.state === 'Removed' || user.state === 'AlreadyAbsent';
}

/** `specUsers` (duplicates dropped, first wins) in spec order, each with its recorded ledger entry where kept. */
export function alignUsers(recorded: readonly UserStatus[], specUsers: readonly string[], options: AlignOptions): UserStatus[] {
  const byId = new Map(recorded.map((user) => [user.userId, user] as const));
  return uniqueInOrder(specUsers).map((userId) => {
    const previous = options.resetAll ? undefined : byId.get(userId);
    if (previous === undefined) return pendingUser(userId);
    if (previous.state === 'Failed' && options.retryFailed) return { ...previous, state: 'Pending' };
    return { ...previous };
  });
}

/**
 * `user` after the vendor answered `result`. A user who is already out stays out with the answer that
 * decided it: a late or repeated answer must never put a removed user back to Pending.
 */
export function applyResult(user: UserStatus, result: UserResult, attemptTime: string): UserStatus {
  if (isDone(user)) return user;
  const attempt = { attempts: user.attempts + 1, lastAttemptTime: attemptTime };
  const message = result.outcome === 'Removed' ? '' : truncateChars(result.message, MAX_USER_MESSAGE_CHARS);
  const vendorCode = result.outcome === 'Removed' ? '' : result.code;
  return {
    userId: user.userId,
    state: stateAfter(result),
    ...(result.requestId === '' ? {} : { requestId: result.requestId }),
    vendorCode,
    message,
    ...attempt,
  };
}

function stateAfter(result: UserResult): UserStatus['state'] {
  switch (result.outcome) {
    case 'Removed':
      return 'Removed';
    case 'AlreadyAbsent':
      return 'AlreadyAbsent';
    case 'Retryable':
      return 'Pending';
    case 'Terminal':
      return 'Failed';
  }
}

function pendingUser(userId: string): UserStatus {
  return { userId, state: 'Pending', attempts: 0 };
}

function uniqueInOrder(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
