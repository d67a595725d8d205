// The RoomBans of each room, as the watch delivers them: what overlap (ban-holds.ts) and riding along
// (room-calls.ts) look through, instead of every RoomBan in the cache.

import type { RoomBan } from '../api/types.ts';
import { objectKey } from './informer.ts';

export class RoomIndex {
  readonly #byRoom = new Map<string, Set<string>>();
  readonly #roomOf = new Map<string, string>();

  /** Called for every watch event of a RoomBan. */
  observed(ban: RoomBan, deleted: boolean): void {
    const key = objectKey(ban);
    const previous = this.#roomOf.get(key);
    if (previous !== undefined && (deleted || previous !== ban.spec.roomId)) {
      const keys = this.#byRoom.get(previous);
      keys?.delete(key);
      if (keys?.size === 0) this.#byRoom.delete(previous);
      this.#roomOf.delete(key);
    }
    if (deleted) return;
    this.#roomOf.set(key, ban.spec.roomId);
    let keys = this.#byRoom.get(ban.spec.roomId);
    if (keys === undefined) this.#byRoom.set(ban.spec.roomId, (keys = new Set()));
    keys.add(key);
  }

  /** The keys of the RoomBans naming this room ID, in any namespace. */
  keysIn(roomId: string): Iterable<string> {
    return this.#byRoom.get(roomId) ?? [];
  }
}
