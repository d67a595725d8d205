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
}

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
  },
  tencentChat: {
    usersPerCall: 20,
    requestsPerSecond: 200,
    userId: { maxBytes: 32, pattern: TENCENT_USER_ID, description: 'Chat user IDs are at most 32 bytes of [A-Za-z0-9_-]' },
    // Our choice: the docs state no length for Room Engine room IDs; 48 bytes is TUIRoomKit's limit.
    stringRoomId: { maxBytes: 48, pattern: ANY_ID, description: 'Chat room IDs are at most 48 bytes' },
    maxNumericRoomId: undefined,
    maxReasonBytes: 1000,
  },
  volcengineRTC: {
    usersPerCall: 1,
    requestsPerSecond: 60,
    userId: { maxBytes: 128, pattern: VOLCENGINE_ID, description: 'Volcengine RTC user IDs are at most 128 characters of [A-Za-z0-9@._-]' },
    stringRoomId: { maxBytes: 128, pattern: VOLCENGINE_ID, description: 'Volcengine RTC room IDs are at most 128 characters of [A-Za-z0-9@._-]' },
    maxNumericRoomId: undefined,
    maxReasonBytes: undefined,
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
