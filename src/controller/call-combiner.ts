// Batching across RoomBans (docs/architecture.md#combining-calls): the users that several RoomBans
// of one namespace want out of one room, with one provider and one kind of call, go out in one
// vendor call, up to the vendor's per-call size. A group gathers only while its call would wait for
// a rate-limit token anyway (the vendor client's estimate, at most MAX_GATHER_MS), so a call is never
// delayed: with a token ready the group goes at once, and a full group goes at once. Each RoomBan
// gets the results for its own users (with the RequestId of the call that decided them) and writes
// its own status, so durability and the duplicate bound are those of one RoomBan's call.
// A group about to go with room left first asks its opener to fill it (CombinedCall.fill): RoomBans
// of the same room that wait in the work queue then start at once and join in the same turn, so a
// raid's users go out in full calls even when the bucket has a token for every call.

import type { UserResult } from '../api/results.ts';

/** The longest a group gathers, whatever the bucket says (a paused bucket could say minutes). */
export const MAX_GATHER_MS = 250;

export interface CombinedCall {
  /**
   * What calls may be combined: namespace, provider and credentials, kind of call, room and what
   * else goes into the request body (Chat's reason, a ban's seconds). Never two namespaces: a
   * vendor's answer about the batch could name another tenant's users.
   */
  key: string;
  /** The vendor's per-call size for this kind of call. */
  maxUsers: number;
  /** How long the call would wait for its token if made now (VendorClient.estimatedWaitMs). */
  waitMs(): number;
  /** Makes the one vendor call for these unique users; resolves with one result per user. */
  send(userIds: readonly string[]): Promise<UserResult[]>;
  /**
   * Asked once, when the group is about to go with `spaceLeft` users' room left: may start other
   * submissions under the same key, which must reach submit() without I/O (in this turn of the
   * event loop) to be in the call. Returns whether it started any. Only the opener's is asked.
   */
  fill?(spaceLeft: number): boolean;
}

interface Waiter {
  userIds: readonly string[];
  resolve(results: UserResult[]): void;
  reject(error: unknown): void;
}

interface Group {
  call: CombinedCall;
  userIds: Set<string>;
  waiters: Waiter[];
  /** Cancels the gathering timer; undefined once the group has gone. */
  cancel: (() => void) | undefined;
  /** Whether the opener's fill() was asked. */
  filled: boolean;
}

export class CallCombiner {
  readonly #open = new Map<string, Group>();
  readonly #onSend: ((users: number, submitters: number) => void) | undefined;

  /** `onSend`: each combined call as it goes, for metrics. */
  constructor(onSend?: (users: number, submitters: number) => void) {
    this.#onSend = onSend;
  }

  /**
   * `userIds` (1..call.maxUsers unique IDs) in a call with whatever else gathers under the same key;
   * resolves with the results for exactly these users, in their order.
   */
  submit(call: CombinedCall, userIds: readonly string[]): Promise<UserResult[]> {
    return new Promise((resolve, reject) => {
      let group = this.#open.get(call.key);
      const added = group === undefined ? userIds.length : userIds.filter((userId) => !group!.userIds.has(userId)).length;
      if (group !== undefined && group.userIds.size + added > call.maxUsers) {
        this.#flush(group);
        group = undefined;
      }
      if (group === undefined) group = this.#openGroup(call);
      for (const userId of userIds) group.userIds.add(userId);
      group.waiters.push({ userIds, resolve, reject });
      if (group.userIds.size >= call.maxUsers) this.#flush(group);
    });
  }

  #openGroup(call: CombinedCall): Group {
    const group: Group = { call, userIds: new Set(), waiters: [], cancel: undefined, filled: false };
    this.#open.set(call.key, group);
    const deadline = performance.now() + MAX_GATHER_MS;
    // Gathers until its call would get a token at once (asked again when the estimate runs out:
    // calls queued ahead take tokens meanwhile), the group is full, or MAX_GATHER_MS have passed.
    const arm = (): void => {
      const waitMs = Math.min(call.waitMs(), deadline - performance.now());
      if (waitMs <= 0) {
        // A token is ready: only the callers of this same turn of the event loop join, and those
        // the opener's fill() starts, which join before the next turn.
        const goes = (): void => {
          const spaceLeft = call.maxUsers - group.userIds.size;
          if (group.filled || call.fill === undefined || spaceLeft <= 0) return this.#flush(group);
          group.filled = true;
          if (!call.fill(spaceLeft)) return this.#flush(group);
          const next = setImmediate(() => this.#flush(group));
          group.cancel = () => clearImmediate(next);
        };
        const immediate = setImmediate(goes);
        group.cancel = () => clearImmediate(immediate);
      } else {
        const timeout = setTimeout(arm, waitMs);
        group.cancel = () => clearTimeout(timeout);
      }
    };
    arm();
    return group;
  }

  #flush(group: Group): void {
    if (this.#open.get(group.call.key) === group) this.#open.delete(group.call.key);
    if (group.cancel === undefined) return;
    group.cancel();
    group.cancel = undefined;
    const userIds = [...group.userIds];
    this.#onSend?.(userIds.length, group.waiters.length);
    group.call.send(userIds).then(
      (results) => {
        const byUser = new Map(results.map((result) => [result.userId, result] as const));
        for (const waiter of group.waiters) {
          waiter.resolve(waiter.userIds.flatMap((userId) => {
            const result = byUser.get(userId);
            return result === undefined ? [] : [result];
          }));
        }
      },
      (error: unknown) => {
        for (const waiter of group.waiters) waiter.reject(error);
      },
    );
  }
}
