// The vendor code as a metric label: bounded by what the vendor's error table and the boundary
// itself know, so a vendor (or a proxy in front of it) inventing codes cannot grow the metrics.

import type { VendorName } from '../api/types.ts';
import { OWN_CODES } from './errors.ts';
import type { ErrorCodeTable } from './error-table.ts';
import { TENCENT_CHAT_ERRORS } from './tencent-chat-errors.ts';
import { TENCENT_TRTC_ERRORS } from './tencent-trtc-errors.ts';
import { VOLCENGINE_RTC_ERRORS } from './volcengine-rtc-errors.ts';

const TABLES: Readonly<Record<VendorName, ErrorCodeTable>> = {
  tencentTRTC: TENCENT_TRTC_ERRORS,
  tencentChat: TENCENT_CHAT_ERRORS,
  volcengineRTC: VOLCENGINE_RTC_ERRORS,
};

/**
 * "none" for a plain success; the code when the vendor's table or the boundary knows it; the family
 * ("InternalError.*") for an unlisted member of a known family; an HTTP status as "HTTP.<3 digits>";
 * "other" for anything else.
 */
export function metricCode(vendor: VendorName, code: string): string {
  if (code === '') return 'none';
  if (OWN_CODES.has(code) || /^HTTP\.[1-5][0-9]{2}$/.test(code)) return code;
  return TABLES[vendor].labelOf(code) ?? 'other';
}
