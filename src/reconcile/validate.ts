// Vendor-specific checks of a RoomBan spec. The CRD schema already enforces what holds for every
// vendor (1..128 characters, user IDs of [A-Za-z0-9@._-], a set of users); what differs per vendor
// is only knowable once the provider is resolved, so it is checked here and reported as
// Stalled/InvalidSpec with messages that name the field, the way the API server would.

import type { RoomBanSpec, VendorName } from '../api/types.ts';
import { listWithMore, truncateChars, utf8ByteLength } from './text.ts';

export interface FieldError {
  /** The JSON path of the offending field, e.g. "spec.users[3]". */
  field: string;
  /** What is wrong, e.g. "TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]; got \"a.b\"". */
  detail: string;
}

interface IdRule {
  maxBytes: number;
  pattern: RegExp;
  /** Completes "<field>: ...", e.g. "TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]". */
  description: string;
}

// The TRTC/Chat UserID rule: tls-sig-api-v2's doc comment (vendor-apis.md §2.4). Both products
// authenticate users with the same UserSig, so the same rule applies to TRTC and Chat user IDs.
const TENCENT_USER_ID = /^[A-Za-z0-9_-]+$/;

// Volcengine: ID fields (RoomId, UserId) are at most 128 chars of a-zA-Z0-9@._- (vendor-apis.md §3.1).
// The charset is ASCII, so 128 characters are 128 bytes.
const VOLCENGINE_ID: Omit<IdRule, 'description'> = { maxBytes: 128, pattern: /^[A-Za-z0-9@._-]+$/ };

// Any non-empty string: where vendor-apis.md states no charset for a room ID we do not invent one.
const ANY_ID = /^.+$/su;

const USER_RULES: Record<VendorName, IdRule> = {
  tencentTRTC: { maxBytes: 32, pattern: TENCENT_USER_ID, description: 'TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]' },
  tencentChat: { maxBytes: 32, pattern: TENCENT_USER_ID, description: 'Chat user IDs are at most 32 bytes of [A-Za-z0-9_-]' },
  volcengineRTC: { ...VOLCENGINE_ID, description: 'Volcengine RTC user IDs are at most 128 characters of [A-Za-z0-9@._-]' },
};

const STRING_ROOM_RULES: Record<VendorName, IdRule> = {
  // Documented-by-us choice: vendor-apis.md does not state a length for TRTC string room IDs; 64 bytes
  // is the limit of TRTC's client SDKs (strRoomId), and a longer ID could never name a joinable room.
  tencentTRTC: { maxBytes: 64, pattern: ANY_ID, description: 'TRTC string room IDs are at most 64 bytes' },
  // Documented-by-us choice: vendor-apis.md does not state a length for Room Engine room IDs; 48 bytes
  // is the room ID limit of TUIRoomKit.
  tencentChat: { maxBytes: 48, pattern: ANY_ID, description: 'Chat room IDs are at most 48 bytes' },
  volcengineRTC: { ...VOLCENGINE_ID, description: 'Volcengine RTC room IDs are at most 128 characters of [A-Za-z0-9@._-]' },
};

/** Numeric TRTC rooms: [1, 4294967294] (vendor-apis.md §1.2, Web SDK extraCode 5012). */
export const MAX_NUMERIC_ROOM_ID = 4294967294;

/** Chat kick_user_out: Reason is at most 1000 bytes (vendor-apis.md §2.2); the CRD can only count characters. */
export const MAX_CHAT_REASON_BYTES = 1000;

/** Field errors printed in one condition message; the rest are counted, not listed. */
const ERRORS_SHOWN = 10;

/** Every way `spec` cannot work at `vendor`; empty when it can. */
export function validateSpecForVendor(spec: RoomBanSpec, vendor: VendorName): FieldError[] {
  return [...roomErrors(spec, vendor), ...userErrors(spec.users, vendor), ...reasonErrors(spec, vendor)];
}

/** "spec.users[3]: ...". */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${error.detail}`;
}

/** One message for a Stalled/InvalidSpec condition: the first errors in full, the rest counted. */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return listWithMore(errors.map(formatFieldError), ERRORS_SHOWN, '; ');
}

function roomErrors(spec: RoomBanSpec, vendor: VendorName): FieldError[] {
  const type = spec.roomIdType ?? 'String';
  if (type === 'String') return idErrors('spec.roomId', spec.roomId, STRING_ROOM_RULES[vendor]);
  if (vendor !== 'tencentTRTC') {
    return [{ field: 'spec.roomIdType', detail: `Numeric room IDs exist only on TRTC; ${vendor} rooms are strings (use String)` }];
  }
  return numericRoomErrors(spec.roomId);
}

// Leading zeros are rejected (a documented-by-us choice): "007" and "7" are the same TRTC room, and
// status.target compares room IDs as strings, so only the canonical form keeps one room one target.
function numericRoomErrors(roomId: string): FieldError[] {
  const inRange = /^[1-9][0-9]{0,9}$/.test(roomId) && Number(roomId) <= MAX_NUMERIC_ROOM_ID;
  if (inRange) return [];
  const detail = `TRTC numeric room IDs are decimal integers in [1, ${MAX_NUMERIC_ROOM_ID}] without leading zeros; got ${quote(roomId)}`;
  return [{ field: 'spec.roomId', detail }];
}

function userErrors(users: readonly string[], vendor: VendorName): FieldError[] {
  const firstIndex = new Map<string, number>();
  return users.flatMap((userId, index) => {
    const field = `spec.users[${index}]`;
    const earlier = firstIndex.get(userId);
    if (earlier !== undefined) return [{ field, detail: `duplicate of spec.users[${earlier}] (${quote(userId)})` }];
    firstIndex.set(userId, index);
    return idErrors(field, userId, USER_RULES[vendor]);
  });
}

function reasonErrors(spec: RoomBanSpec, vendor: VendorName): FieldError[] {
  if (vendor !== 'tencentChat' || spec.reason === undefined) return [];
  const bytes = utf8ByteLength(spec.reason);
  if (bytes <= MAX_CHAT_REASON_BYTES) return [];
  return [{ field: 'spec.reason', detail: `Chat accepts a reason of at most ${MAX_CHAT_REASON_BYTES} bytes (UTF-8); got ${bytes}` }];
}

function idErrors(field: string, value: string, rule: IdRule): FieldError[] {
  const fits = value.length > 0 && rule.pattern.test(value) && utf8ByteLength(value) <= rule.maxBytes;
  return fits ? [] : [{ field, detail: `${rule.description}; got ${quote(value)}` }];
}

// User input echoed into a status message: bounded, and JSON-quoted so control characters show.
function quote(value: string): string {
  return JSON.stringify(truncateChars(value, 40));
}
