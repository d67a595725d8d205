// Each vendor's rules, stated once: how many users one call takes, the documented rate cap, what
// user and room IDs may look like, the numeric room range and the reason size. Spec validation
// (src/reconcile/validate.ts), the vendor clients (src/vendors) and the CRD tests read these
// constants; the CRD's own CEL rules repeat the caps and ranges, and test/api tests prove they
// agree. Sources and the choices made where the vendors' docs are silent: docs/vendors.md.

import type { VendorName } from './types.ts';

export interface IdRule {
  maxBytes: number;
  pattern: RegExp;
  /** Completes "<field>: ...", e.g. "TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]". */
  description: string;
}

export interface VendorRules {
  /** Users one removal call names (TRTC's UserIds, Chat's MemberList_Account, Volcengine's UserId). */
  usersPerCall: number;
  /** The documented requests per second of the removal action, per account. */
  requestsPerSecond: number;
  userId: IdRule;
  /** The rule for spec.roomIdType String. */
  stringRoomId: IdRule;
  /** The largest numeric room ID, for vendors with numeric rooms (TRTC); undefined elsewhere. */
  maxNumericRoomId: number | undefined;
  /** The vendor's limit on the reason, in UTF-8 bytes, where it takes one (Chat); undefined elsewhere. */
  maxReasonBytes: number | undefined;
  /** The vendor's ban, lift and observe APIs; undefined when it has none (TRTC: a duration is InvalidSpec). */
  ban: BanRules | undefined;
}

/** A vendor's ban API (docs/vendors.md#bans). Every action has its own documented cap per account. */
export interface BanRules {
  /** Users one ban call names. */
  usersPerBan: number;
  /** Users one lift call names. */
  usersPerLift: number;
  /** Users one observation asks about (the client may page the vendor's list to answer). */
  usersPerObserve: number;
  /** The ban durations the vendor accepts, in whole seconds. */
  minSeconds: number;
  maxSeconds: number;
  /** The wire actions and their documented requests per second per account. */
  actions: { ban: ActionCap; lift: ActionCap; observe: ActionCap };
}

export interface ActionCap {
  /** The vendor's action name (Chat's path tail, Volcengine's Action). */
  name: string;
  requestsPerSecond: number;
}

/** Why TRTC cannot hold a ban, for the InvalidSpec message naming spec.duration. */
export const NO_BAN_API: Partial<Record<VendorName, string>> = {
  tencentTRTC:
    'Tencent TRTC has no ban API (RemoveUser takes no duration; keeping a user out is the app backend\'s UserSig issuance): remove spec.duration for a kick, or use a tencentChat or volcengineRTC provider',
};

// TRTC and Chat authenticate users with the same UserSig, so one user ID rule holds for both
// (tls-sig-api-v2's doc comment: docs/vendors.md#tencent-chat).
const TENCENT_USER_ID = /^[A-Za-z0-9_-]+$/;
// Volcengine ID fields (RoomId, UserId): at most 128 of a-zA-Z0-9@._- (ASCII, so bytes = characters).
const VOLCENGINE_ID = /^[A-Za-z0-9@._-]+$/;
// Where the vendor states no charset for a room ID we do not invent one.
const ANY_ID = /^.+$/su;

export const VENDOR_RULES: Readonly<Record<VendorName, VendorRules>> = {
  tencentTRTC: {
    usersPerCall: 10,
    requestsPerSecond: 20,
    userId: { maxBytes: 32, pattern: TENCENT_USER_ID, description: 'TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]' },
    // Our choice: the docs state no length for string room IDs; 64 bytes is the TRTC client SDKs'
    // strRoomId limit, and a longer ID could never name a joinable room.
    stringRoomId: { maxBytes: 64, pattern: ANY_ID, description: 'TRTC string room IDs are at most 64 bytes' },
    // The TRTC Web SDK's range check (extraCode 5012).
    maxNumericRoomId: 4_294_967_294,
    maxReasonBytes: undefined,
    ban: undefined,
  },
  tencentChat: {
    usersPerCall: 20,
    requestsPerSecond: 200,
    userId: { maxBytes: 32, pattern: TENCENT_USER_ID, description: 'Chat user IDs are at most 32 bytes of [A-Za-z0-9_-]' },
    // Our choice: the docs state no length for Room Engine room IDs; 48 bytes is TUIRoomKit's limit.
    stringRoomId: { maxBytes: 48, pattern: ANY_ID, description: 'Chat room IDs are at most 48 bytes' },
    maxNumericRoomId: undefined,
    maxReasonBytes: 1000,
    // ban_room_member / unban_room_member take <= 20 members; get_banned_member_list pages of <= 100.
    // Duration: seconds per the doc example; its bounds are not documented, so the admission bounds
    // (10s..168h) are the only ones (docs/vendors.md#bans).
    ban: {
      usersPerBan: 20,
      usersPerLift: 20,
      usersPerObserve: 500,
      minSeconds: 1,
      maxSeconds: 604_800,
      actions: {
        ban: { name: 'ban_room_member', requestsPerSecond: 200 },
        lift: { name: 'unban_room_member', requestsPerSecond: 200 },
        observe: { name: 'get_banned_member_list', requestsPerSecond: 200 },
      },
    },
  },
  volcengineRTC: {
    usersPerCall: 1,
    requestsPerSecond: 60,
    userId: { maxBytes: 128, pattern: VOLCENGINE_ID, description: 'Volcengine RTC user IDs are at most 128 characters of [A-Za-z0-9@._-]' },
    stringRoomId: { maxBytes: 128, pattern: VOLCENGINE_ID, description: 'Volcengine RTC room IDs are at most 128 characters of [A-Za-z0-9@._-]' },
    maxNumericRoomId: undefined,
    maxReasonBytes: undefined,
    // BanRoomUser 2023-11-01 (scope AppId+RoomId+UserId), lifted by UpdateBanRoomUserRule with
    // ForbiddenInterval 0, observed by GetRoomUsersProperty (<= 10 users). ForbiddenInterval 10..604800 s.
    ban: {
      usersPerBan: 1,
      usersPerLift: 1,
      usersPerObserve: 10,
      minSeconds: 10,
      maxSeconds: 604_800,
      actions: {
        ban: { name: 'BanRoomUser', requestsPerSecond: 40 },
        lift: { name: 'UpdateBanRoomUserRule', requestsPerSecond: 20 },
        observe: { name: 'GetRoomUsersProperty', requestsPerSecond: 10 },
      },
    },
  },
};

/** Sent as the reason where a vendor requires one (Chat) and the RoomBan names none. */
export const DEFAULT_REASON = 'Removed by roomban-operator';

/**
 * The numeric room `roomId` names at `vendor`, or undefined when it is not one: a decimal integer
 * in [1, maxNumericRoomId] without leading zeros ("007" and "7" are the same TRTC room, and
 * status.target compares room IDs as strings, so only the canonical form keeps one room one target).
 */
export function numericRoomId(vendor: VendorName, roomId: string): number | undefined {
  const max = VENDOR_RULES[vendor].maxNumericRoomId;
  if (max === undefined || !/^[1-9][0-9]{0,9}$/.test(roomId)) return undefined;
  const value = Number(roomId);
  return value <= max ? value : undefined;
}
