// Which other RoomBans hold a user out of a room (docs/reconcile.md#overlap): a lift must never free
// a user another live RoomBan on the same account and room still bans, and a ban must never cut
// another's longer ban short. It looks through the RoomBans of the room (room-index.ts); the
// account is then read from each one's recorded target (or, before its first write, its providerRef).

import type { RoomBan } from '../api/types.ts';
import { parseDurationMs } from '../api/duration.ts';
import { banInForce } from '../reconcile/index.ts';
import { objectKey } from './informer.ts';
import type { RoomIndex } from './room-index.ts';

export class BanHolds {
  readonly #rooms: Pick<RoomIndex, 'keysIn'>;
  readonly #get: (key: string) => RoomBan | undefined;

  constructor(rooms: Pick<RoomIndex, 'keysIn'>, get: (key: string) => RoomBan | undefined) {
    this.#rooms = rooms;
    this.#get = get;
  }

  /**
   * For each of `userIds` that another live ban RoomBan on `account` and `ban`'s room keeps out (or
   * is about to: the user is Pending there), the milliseconds until the longest such hold ends.
   */
  heldByOthers(ban: RoomBan, account: string, userIds: readonly string[], nowMs: number): Map<string, number> {
    const held = new Map<string, number>();
    const wanted = new Set(userIds);
    const self = objectKey(ban);
    for (const key of this.#rooms.keysIn(ban.spec.roomId)) {
      const other = key === self ? undefined : this.#get(key);
      if (other === undefined || !holdsAt(other, ban, account)) continue;
      const ownMs = parseDurationMs(other.spec.duration ?? '') ?? 0;
      const recorded = new Map((other.status?.users ?? []).map((user) => [user.userId, user] as const));
      for (const userId of other.spec.users) {
        if (!wanted.has(userId)) continue;
        const user = recorded.get(userId);
        const remaining =
          user === undefined || user.state === 'Pending' ? ownMs : user.state === 'Banned' && banInForce(user, nowMs) ? Date.parse(user.bannedUntil ?? '') - nowMs : 0;
        if (remaining > (held.get(userId) ?? 0)) held.set(userId, remaining);
      }
    }
    return held;
  }
}

/** `other` is a live ban on the account `ban` resolved to, in the same room. */
function holdsAt(other: RoomBan, ban: RoomBan, account: string): boolean {
  if (other.metadata.deletionTimestamp !== undefined || other.spec.duration === undefined) return false;
  if (other.spec.roomId !== ban.spec.roomId || (other.spec.roomIdType ?? 'String') !== (ban.spec.roomIdType ?? 'String')) return false;
  const target = other.status?.target;
  if (target !== undefined) return target.account === account;
  // Not yet reconciled: the same provider names the same account.
  const sameProvider = other.spec.providerRef.name === ban.spec.providerRef.name && (other.spec.providerRef.kind ?? 'RoomProvider') === (ban.spec.providerRef.kind ?? 'RoomProvider');
  return sameProvider && ((other.spec.providerRef.kind ?? 'RoomProvider') === 'ClusterRoomProvider' || other.metadata.namespace === ban.metadata.namespace);
}
