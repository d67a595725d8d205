// Telling a rate-limit answer from other retryable failures, for the Throttled reason.
//
// UserResult carries no "throttled" flag, so this reads what it does carry: a Retry-After, or a code
// that names a documented rate limit. The codes are vendor knowledge that would sit better below the
// vendor interface (a `throttled` field on UserResult); until then they are kept in this one table.

import type { UserResult } from '../vendors/types.ts';

// TRTC RequestLimitExceeded[.*] and Volcengine FlowLimitExceeded[.*] (vendor-apis.md §1.6, §3.5);
// HTTP 429 as the transport layer may report it ("HTTP.429", "Http429").
const RATE_LIMIT_CODE = /^(?:RequestLimitExceeded|FlowLimitExceeded)(?:\..+)?$|^HTTP\.?429$/i;

// Chat REST frequency limits 60007, 60011, 60018, 60019 (vendor-apis.md §2.3).
const CHAT_RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['60007', '60011', '60018', '60019']);

/** A Retryable answer that asked us to slow down rather than reported an error. */
export function isRateLimited(result: UserResult): boolean {
  if (result.outcome !== 'Retryable') return false;
  return result.retryAfterMs !== undefined || RATE_LIMIT_CODE.test(result.code) || CHAT_RATE_LIMIT_CODES.has(result.code);
}
