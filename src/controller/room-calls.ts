// Which RoomBans' calls may be one vendor call (docs/architecture.md#combining-calls): the key the
// combiner groups by, and the waiting RoomBans that may ride along with a kick that has room left.

import type { RoomBan, VendorName } from '../api/types.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
import { isDone, isPaused } from '../reconcile/index.ts';
import { objectKey } from './informer.ts';
import { providerKeyOf } from './providers.ts';

export type CallKind = 'kick' | 'ban' | 'lift';

/**
 * What two RoomBans' calls must share, read from the spec: namespace (never two: a vendor's answer
 * about the batch could name another tenant's users), provider, room and room type, and the reason
 * when the vendor sends it (Chat).
 */
function roomKey(ban: RoomBan, vendor: VendorName, kind: CallKind): string {
  const reason = VENDOR_RULES[vendor].maxReasonBytes === undefined || kind === 'lift' ? '' : (ban.spec.reason ?? '');
  return [ban.metadata.namespace ?? '', providerKeyOf(ban), ban.spec.roomIdType ?? 'String', ban.spec.roomId, reason].join('\u0000');
}

/**
 * The combiner's key: the room key, plus what the call was planned with (the provider's
 * credentials' version), the kind of call and a ban's seconds.
 */
export function combineKey(ban: RoomBan, vendor: VendorName, inputsVersion: string, kind: CallKind, seconds?: number): string {
  return [roomKey(ban, vendor, kind), inputsVersion, kind, seconds === undefined ? '' : String(seconds)].join('\u0000');
}

/**
 * Waiting RoomBans whose kick would share `ban`'s kick call, with at most `spaceLeft` users between
 * them, first come first served. Only kicks ride along: a ban's first call waits for its finalizer
 * write, so it could not join in the same turn (bans and lifts still gather while the bucket is
 * empty). A RoomBan that would bring no user (all done already) is left waiting.
 */
export function ridersFor(
  ban: RoomBan,
  vendor: VendorName,
  spaceLeft: number,
  sameRoom: Iterable<string>,
  get: (key: string) => RoomBan | undefined,
  isWaiting: (key: string) => boolean,
): string[] {
  const key = roomKey(ban, vendor, 'kick');
  const self = objectKey(ban);
  const riders: string[] = [];
  let users = 0;
  for (const other of sameRoom) {
    if (users >= spaceLeft) break;
    if (other === self || !isWaiting(other)) continue;
    const rider = get(other);
    if (rider === undefined || !kicks(rider) || roomKey(rider, vendor, 'kick') !== key) continue;
    const left = usersLeft(rider);
    if (left === 0 || users + left > spaceLeft) continue;
    riders.push(other);
    users += left;
  }
  return riders;
}

function kicks(ban: RoomBan): boolean {
  return ban.metadata.deletionTimestamp === undefined && ban.spec.duration === undefined && !isPaused(ban);
}

/** Spec users with no decisive answer recorded (an estimate: its own reconcile plans exactly). */
function usersLeft(ban: RoomBan): number {
  const recorded = new Map((ban.status?.users ?? []).map((user) => [user.userId, user] as const));
  return ban.spec.users.filter((userId) => {
    const user = recorded.get(userId);
    return user === undefined || !isDone(user);
  }).length;
}
