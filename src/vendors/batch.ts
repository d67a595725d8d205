// One RemovalRequest is one vendor call, the same for every vendor: the caller (the reconcile
// core's planRemovals) has already cut the users into batches of the vendor's size, so this only
// checks the size, makes the call, and applies the batch-level "absent" rule.

import { MAX_USER_MESSAGE_CHARS } from '../api/bounds.ts';
import type { UserResult } from '../api/results.ts';
import { truncateChars } from '../common/text.ts';
import type { CallAnswer } from './vendor-call.ts';

/** Sends one call for `userIds`; never rejects (every failure is an answer). */
export type SendBatch = (userIds: readonly string[]) => Promise<CallAnswer>;

/**
 * Every user of `userIds` (1..maxUsersPerCall unique IDs) gets a result, in the order given; an
 * empty list calls nobody. A vendor answer about the whole batch that says the room or the
 * membership does not exist does not say which users were in it (docs/vendors.md#batch-absent), so
 * a batch of more than one user is re-asked one user at a time; a single-user answer is final.
 * Throws RangeError for a batch larger than the vendor takes: batching is the caller's decision.
 */
export async function removeBatch(userIds: readonly string[], maxUsersPerCall: number, send: SendBatch): Promise<UserResult[]> {
  if (userIds.length > maxUsersPerCall) {
    throw new RangeError(`a call takes at most ${maxUsersPerCall} users, got ${userIds.length}: the caller batches (planRemovals, or the ban planner)`);
  }
  if (userIds.length === 0) return [];
  const answer = await send(userIds);
  if (answer.outcome !== 'AlreadyAbsent' || userIds.length === 1) return userIds.map((userId) => resultFor(userId, answer));
  return Promise.all(userIds.map(async (userId) => resultFor(userId, await send([userId]))));
}

/** The user's share of a call's answer: everything above the vendor boundary needs, no vendor code to match. */
export function resultFor(userId: string, answer: CallAnswer): UserResult {
  const { outcome, code, requestId } = answer;
  const result: UserResult = { userId, outcome, code, message: truncateChars(answer.message, MAX_USER_MESSAGE_CHARS), requestId };
  if (outcome === 'Terminal' && answer.accountWide === true) result.accountWide = true;
  if (outcome !== 'Retryable') return result;
  if (answer.throttle === true || answer.retryAfterMs !== undefined) result.throttled = true;
  if (answer.retryAfterMs !== undefined) result.retryAfterMs = answer.retryAfterMs;
  return result;
}
