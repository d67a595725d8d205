// Vendor-specific checks of a RoomBan spec. The CRD schema already enforces what holds for every
// vendor (1..128 characters, user IDs of [A-Za-z0-9@._-], a set of users); what differs per vendor
// is only knowable once the provider is resolved, so it is checked here, against the rules of
// api/vendor-rules.ts, and reported as Stalled/InvalidSpec with messages that name the field, the
// way the API server would.

import type { RoomBanSpec, VendorName } from '../api/types.ts';
import { type IdRule, NO_BAN_API, numericRoomId, VENDOR_RULES } from '../api/vendor-rules.ts';
import { parseDurationMs } from '../api/duration.ts';
import { listWithMore, truncateChars, utf8ByteLength } from '../common/text.ts';

export interface FieldError {
  /** The JSON path of the offending field, e.g. "spec.users[3]". */
  field: string;
  /** What is wrong, e.g. "TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]; got \"a.b\"". */
  detail: string;
}

/** Field errors printed in one condition message; the rest are counted, not listed. */
const ERRORS_SHOWN = 10;

/** Every way `spec` cannot work at `vendor`; empty when it can. */
export function validateSpecForVendor(spec: RoomBanSpec, vendor: VendorName): FieldError[] {
  return [...roomErrors(spec, vendor), ...userErrors(spec.users, vendor), ...reasonErrors(spec, vendor), ...durationErrors(spec, vendor)];
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
  if (type === 'String') return idErrors('spec.roomId', spec.roomId, VENDOR_RULES[vendor].stringRoomId);
  const max = VENDOR_RULES[vendor].maxNumericRoomId;
  if (max === undefined) {
    return [{ field: 'spec.roomIdType', detail: `Numeric room IDs exist only on TRTC; ${vendor} rooms are strings (use String)` }];
  }
  if (numericRoomId(vendor, spec.roomId) !== undefined) return [];
  const detail = `TRTC numeric room IDs are decimal integers in [1, ${max}] without leading zeros; got ${quote(spec.roomId)}`;
  return [{ field: 'spec.roomId', detail }];
}

function userErrors(users: readonly string[], vendor: VendorName): FieldError[] {
  const firstIndex = new Map<string, number>();
  return users.flatMap((userId, index) => {
    const field = `spec.users[${index}]`;
    const earlier = firstIndex.get(userId);
    if (earlier !== undefined) return [{ field, detail: `duplicate of spec.users[${earlier}] (${quote(userId)})` }];
    firstIndex.set(userId, index);
    return idErrors(field, userId, VENDOR_RULES[vendor].userId);
  });
}

function reasonErrors(spec: RoomBanSpec, vendor: VendorName): FieldError[] {
  const max = VENDOR_RULES[vendor].maxReasonBytes;
  if (max === undefined || spec.reason === undefined) return [];
  const bytes = utf8ByteLength(spec.reason);
  if (bytes <= max) return [];
  return [{ field: 'spec.reason', detail: `Chat accepts a reason of at most ${max} bytes (UTF-8); got ${bytes}` }];
}

function durationErrors(spec: RoomBanSpec, vendor: VendorName): FieldError[] {
  if (spec.duration === undefined) return [];
  const field = 'spec.duration';
  const rules = VENDOR_RULES[vendor].ban;
  if (rules === undefined) return [{ field, detail: NO_BAN_API[vendor] ?? `${vendor} has no ban API` }];
  const ms = parseDurationMs(spec.duration);
  if (ms === undefined) return [{ field, detail: `must be a duration such as 90s, 30m or 24h; got ${quote(spec.duration)}` }];
  if (ms % 1000 !== 0) return [{ field, detail: `must be whole seconds (the vendor takes seconds); got ${quote(spec.duration)}` }];
  const seconds = ms / 1000;
  if (seconds < rules.minSeconds || seconds > rules.maxSeconds) {
    return [{ field, detail: `${vendor} bans last ${rules.minSeconds}s to ${rules.maxSeconds}s; got ${quote(spec.duration)} (${seconds}s)` }];
  }
  return [];
}

function idErrors(field: string, value: string, rule: IdRule): FieldError[] {
  const fits = value.length > 0 && rule.pattern.test(value) && utf8ByteLength(value) <= rule.maxBytes;
  return fits ? [] : [{ field, detail: `${rule.description}; got ${quote(value)}` }];
}

// User input echoed into a status message: bounded, and JSON-quoted so control characters show.
function quote(value: string): string {
  return JSON.stringify(truncateChars(value, 40));
}
