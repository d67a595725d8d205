// Room membership kept by a simulator: account -> room -> members. TRTC numeric and string
// rooms live in different namespaces (docs/vendors.md#trtc-actions), hence the room type in the key.

import type { RoomIdType } from '../api/types.ts';

export class RoomDirectory {
  private readonly rooms = new Map<string, Set<string>>();

  private key(account: string, roomId: string, roomIdType: RoomIdType): string {
    return `${account}\u0000${roomIdType}\u0000${roomId}`;
  }

  add(account: string, roomId: string, roomIdType: RoomIdType, userIds: readonly string[]): void {
    const key = this.key(account, roomId, roomIdType);
    const members = this.rooms.get(key) ?? new Set<string>();
    for (const userId of userIds) members.add(userId);
    this.rooms.set(key, members);
  }

  /** A room exists while it has members (a real-time room dissolves when the last user leaves). */
  exists(account: string, roomId: string, roomIdType: RoomIdType): boolean {
    return (this.rooms.get(this.key(account, roomId, roomIdType))?.size ?? 0) > 0;
  }

  isMember(account: string, roomId: string, roomIdType: RoomIdType, userId: string): boolean {
    return this.rooms.get(this.key(account, roomId, roomIdType))?.has(userId) ?? false;
  }

  remove(account: string, roomId: string, roomIdType: RoomIdType, userIds: readonly string[]): void {
    const key = this.key(account, roomId, roomIdType);
    const members = this.rooms.get(key);
    if (members === undefined) return;
    for (const userId of userIds) members.delete(userId);
    if (members.size === 0) this.rooms.delete(key);
  }

  members(account: string, roomId: string, roomIdType: RoomIdType): string[] {
    return [...(this.rooms.get(this.key(account, roomId, roomIdType)) ?? [])].sort();
  }
}
