// Read-your-writes over the RoomBan cache. The informer sees our own status writes only when the
// watch delivers them; a reconcile that read the cache before then would re-plan users it just
// recorded as Removed, and kick them twice. So the last object we wrote for a key is preferred
// until the watch delivers that same resourceVersion: watch events arrive in order, so until ours
// shows up, every cached version is older than it. The watch may also deliver our write before
// the write's own response arrives; the last few versions seen per key tell us that it did.

import type { RoomBan } from '../api/types.ts';
import { objectKey } from './informer.ts';

const SEEN_PER_KEY = 4;

export interface ResolvedBan {
  get(key: string): RoomBan | undefined;
  wrote(ban: RoomBan): void;
}

export class BanStore implements ResolvedBan {
  readonly #cache: (key: string) => RoomBan | undefined;
  readonly #written = new Map<string, RoomBan>();
  readonly #seen = new Map<string, string[]>();

  constructor(cache: (key: string) => RoomBan | undefined) {
    this.#cache = cache;
  }

  get(key: string): RoomBan | undefined {
    const cached = this.#cache(key);
    if (!cached) {
      this.#written.delete(key);
      return undefined;
    }
    return this.#written.get(key) ?? cached;
  }

  wrote(ban: RoomBan): void {
    const key = objectKey(ban);
    if (this.#seen.get(key)?.includes(ban.metadata.resourceVersion ?? '')) this.#written.delete(key);
    else this.#written.set(key, ban);
  }

  /** Called for every watch event: our write has come back, or the object is gone. */
  observed(ban: RoomBan, deleted: boolean): void {
    const key = objectKey(ban);
    if (deleted) this.#seen.delete(key);
    else this.#seen.set(key, [ban.metadata.resourceVersion ?? '', ...(this.#seen.get(key) ?? [])].slice(0, SEEN_PER_KEY));
    const written = this.#written.get(key);
    if (deleted || written?.metadata.resourceVersion === ban.metadata.resourceVersion) this.#written.delete(key);
  }

  /** After a relist the cache is at least as new as anything we wrote. */
  clear(): void {
    this.#written.clear();
  }
}
