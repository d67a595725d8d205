// Bans kept by a simulator (docs/vendors.md#bans): account -> room -> user -> the end of the ban
// on the simulator's clock. A ban whose end has passed is gone: expiry needs no call.

export interface BanEntry {
  userId: string;
  /** The end of the ban, ms since the epoch on the simulator's clock. */
  bannedUntilMs: number;
}

export class BanBook {
  private readonly rooms = new Map<string, Map<string, number>>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  private key(account: string, roomId: string): string {
    return `${account}\u0000${roomId}`;
  }

  /** Bans `userId` until `untilMs` (replacing any ban in force). */
  ban(account: string, roomId: string, userId: string, untilMs: number): void {
    const key = this.key(account, roomId);
    const room = this.rooms.get(key) ?? new Map<string, number>();
    room.set(userId, untilMs);
    this.rooms.set(key, room);
  }

  /** Lifts the user's ban; true when one was in force. */
  lift(account: string, roomId: string, userId: string): boolean {
    const inForce = this.bannedUntil(account, roomId, userId) !== undefined;
    this.rooms.get(this.key(account, roomId))?.delete(userId);
    return inForce;
  }

  /** The end of the user's ban in force, or undefined. */
  bannedUntil(account: string, roomId: string, userId: string): number | undefined {
    return this.list(account, roomId).find((entry) => entry.userId === userId)?.bannedUntilMs;
  }

  /** The bans in force in the room, sorted by user; expired ones are dropped. */
  list(account: string, roomId: string): BanEntry[] {
    const key = this.key(account, roomId);
    const room = this.rooms.get(key);
    if (room === undefined) return [];
    const now = this.now();
    for (const [userId, until] of room) if (until <= now) room.delete(userId);
    if (room.size === 0) this.rooms.delete(key);
    return [...room].map(([userId, bannedUntilMs]) => ({ userId, bannedUntilMs })).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }
}
