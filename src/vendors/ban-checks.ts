// What every BanClient checks the same way before a call (docs/vendors.md#bans): a duration the
// vendor takes, the observation's size, and an observation's answer when the call failed.

import type { BanRules } from '../api/vendor-rules.ts';
import { invalidRequestAnswer } from './answers.ts';
import type { BanObservation } from './types.ts';
import type { CallAnswer } from './vendor-call.ts';

/**
 * A ban must last whole seconds within the vendor's range: Volcengine reads 0 as "kick, and let
 * them back at once" and clamps other values, so a duration out of range is never sent.
 */
export function checkBanDuration(rules: BanRules, durationSeconds: number): CallAnswer | undefined {
  if (Number.isInteger(durationSeconds) && durationSeconds >= rules.minSeconds && durationSeconds <= rules.maxSeconds) return undefined;
  return invalidRequestAnswer(
    'Request.InvalidDuration',
    `a ban lasts whole seconds in [${rules.minSeconds}, ${rules.maxSeconds}], got ${durationSeconds}`,
  );
}

/** Throws RangeError for more users than one observation takes: batching is the caller's. */
export function checkObserveSize(userIds: readonly string[], usersPerObserve: number): void {
  if (userIds.length > usersPerObserve) {
    throw new RangeError(`an observation takes at most ${usersPerObserve} users, got ${userIds.length}: the caller batches`);
  }
}

/** Every user unknown, with the failed call's code, message, RequestId and any wait it asked for. */
export function unknownObservations(userIds: readonly string[], answer: CallAnswer): BanObservation[] {
  return userIds.map((userId) => {
    const observation: BanObservation = { userId, state: 'unknown', requestId: answer.requestId, code: answer.code, message: answer.message };
    if (answer.retryAfterMs !== undefined) observation.retryAfterMs = answer.retryAfterMs;
    return observation;
  });
}
