// Which users to ask the vendor about next.

import type { RoomBanStatus } from '../api/types.ts';

/**
 * The Pending users of `status`, in status (= spec) order, in batches of at most `maxUsersPerCall`.
 * Removed/AlreadyAbsent users are never planned (that would repeat a recorded kick); Failed users
 * wait for prepareStatus to make them Pending again.
 */
export function planRemovals(status: RoomBanStatus, maxUsersPerCall: number): string[][] {
  if (!Number.isInteger(maxUsersPerCall) || maxUsersPerCall < 1) {
    throw new RangeError(`maxUsersPerCall must be a positive integer, got ${maxUsersPerCall}`);
  }
  const pending = (status.users ?? []).filter((user) => user.state === 'Pending').map((user) => user.userId);
  const batches: string[][] = [];
  for (let start = 0; start < pending.length; start += maxUsersPerCall) {
    batches.push(pending.slice(start, start + maxUsersPerCall));
  }
  return batches;
}
