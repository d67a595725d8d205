// The vendors' error codes as their documentation classifies them, transcribed by hand from
// the vendors' error-code pages (TRTC tencentcloud.com/document/api/647/34270, Chat trtc.io/document/60708
// and cloud.tencent.com/document/product/269/1519, Volcengine volcengine.com/docs/6348/1178322 and 70426;
// listed in docs/vendors.md) and NOT derived from the
// production tables (src/vendors/*-errors.ts). error-tables.test.ts holds each production table to
// this list row by row, and client-contract.test.ts takes its expected outcomes from here, so a
// misclassified row fails instead of agreeing with itself.
//
// Reading the doc's Retry column:
//   N                                 -> Terminal
//   R (vendor) / R (ours)             -> Retryable
//   a rate limit, R                   -> Retryable + throttle (slow the shared bucket)
//   "N; re-sign / regenerate once"    -> Terminal + resign (re-signed and retried once in the client)
//   "room / membership does not exist" on a kick -> AlreadyAbsent (docs/reconcile.md#user-states)
//   "wait >= 60 s"                    -> Retryable + minRetryAfterMs
//
// Where neither the vendors' docs nor docs/vendors.md#error-taxonomy states a rule (families other than the two
// Volcengine ones, and the unknown-code fallback) the entry says so: those are project choices,
// pinned here so that changing one is a visible decision, not a drift.

import type { VendorName } from '../../src/api/types.ts';

export interface Expected {
  outcome: 'AlreadyAbsent' | 'Retryable' | 'Terminal';
  /** A rate-limit answer: the shared bucket slows down and the call reports throttled. */
  throttle?: true;
  /** Aged-out credentials: re-sign and retry once, then `outcome`. */
  resign?: true;
  /** The vendor asks for at least this long before a retry. */
  minRetryAfterMs?: number;
}

export interface DocumentedBlock {
  /** Which vendor document the rows come from. */
  section: string;
  rows: Readonly<Record<string, Expected>>;
}

export interface DocumentedFamily {
  /** Including the dot, e.g. "InternalError.". */
  prefix: string;
  expected: Expected;
  /** 'documented' when the doc states the family; otherwise why the project chose it. */
  basis: string;
}

export interface DocumentedVendor {
  blocks: readonly DocumentedBlock[];
  families: readonly DocumentedFamily[];
  /** For codes nothing above matches. */
  fallback: Expected & { basis: string };
}

// Hand-written shorthands (deliberately not the production ones from src/vendors/error-table.ts).
const N: Expected = { outcome: 'Terminal' };
const R: Expected = { outcome: 'Retryable' };
const RATE: Expected = { outcome: 'Retryable', throttle: true };
const ABSENT: Expected = { outcome: 'AlreadyAbsent' };
const RESIGN_THEN_N: Expected = { outcome: 'Terminal', resign: true };

const UNKNOWN_IS_TERMINAL = {
  ...N,
  basis:
    'project choice, not stated in the vendor docs or docs/vendors.md#error-taxonomy: an answer we do not understand ' +
    'will not change by repeating it, so it stops for a human (the production tables cite docs/decisions.md#unknown-vendor-codes-are-terminal for it)',
};

/** A family not stated by the doc, classified like the bare code the doc does classify. */
function likeBareCode(prefix: string, expected: Expected, bare: string): DocumentedFamily {
  return { prefix, expected, basis: `not stated in the doc; an undocumented ${prefix}* is read like the documented bare ${bare}` };
}

export const DOCUMENTED: Readonly<Record<VendorName, DocumentedVendor>> = {
  tencentTRTC: {
    blocks: [
      {
        // TRTC error codes (tencentcloud.com/document/api/647/34270), API-specific codes of RemoveUserByStrRoomId (Go SDK client.go).
        section: 'TRTC RemoveUserByStrRoomId',
        rows: {
          'FailedOperation.RoomNotExist': ABSENT, // "N (treat as 'already gone' for a kick)"
          InternalError: R, // R (ours)
          'InternalError.GetRoomCacheIpError': R, // R (ours)
          'InvalidParameter.RoomId': N,
          'InvalidParameterValue.RoomId': N,
          'InvalidParameter.SdkAppId': N,
          'InvalidParameter.UserIds': N,
          'MissingParameter.RoomId': N,
          'MissingParameter.SdkAppId': N,
          'MissingParameter.UserIds': N,
          'UnauthorizedOperation.SdkAppId': N,
        },
      },
      {
        // TRTC error codes (tencentcloud.com/document/api/647/34270): "RemoveUser additionally lists InternalError.GetRoomFromCacheError".
        // The doc gives it no Retry column; it is an InternalError like its sibling above (R ours).
        section: 'TRTC RemoveUser',
        rows: {
          'InternalError.GetRoomFromCacheError': R,
        },
      },
      {
        // TRTC error codes (tencentcloud.com/document/api/647/34270), common (API 3.0) codes.
        section: 'TRTC common API 3.0 codes',
        rows: {
          'AuthFailure.InvalidAuthorization': N,
          'AuthFailure.InvalidSecretId': N,
          'AuthFailure.MFAFailure': N,
          'AuthFailure.SecretIdNotFound': N,
          'AuthFailure.SignatureExpire': RESIGN_THEN_N, // "N as-is; re-sign with a fresh timestamp once (R ours)"
          'AuthFailure.SignatureFailure': N,
          'AuthFailure.TokenFailure': N, // "N (refresh temp credentials)": a new token, not a new signature
          'AuthFailure.UnauthorizedOperation': N,
          UnauthorizedOperation: N,
          RequestLimitExceeded: RATE, // R (vendor)
          'RequestLimitExceeded.UinLimitExceeded': RATE, // R (vendor)
          'RequestLimitExceeded.GlobalRegionUinLimitExceeded': RATE, // R (vendor)
          'RequestLimitExceeded.IPLimitExceeded': RATE, // per-IP rate limit, R (ours)
          LimitExceeded: N, // quota exceeded, not a rate limit
          InternalError: R, // R (ours); also listed in the API-specific block
          ResourceUnavailable: R,
          ServiceUnavailable: R,
          ResourceInsufficient: R, // "R (ours), bounded"
          ResourceInUse: R, // "R (ours), bounded"
          FailedOperation: N,
          InvalidAction: N,
          NoSuchVersion: N,
          NoSuchProduct: N,
          ActionOffline: N,
          InvalidParameter: N,
          InvalidParameterValue: N,
          MissingParameter: N,
          UnknownParameter: N,
          UnsupportedRegion: N,
          UnsupportedOperation: N,
          UnsupportedProtocol: N,
          RequestSizeLimitExceeded: N,
          ResponseSizeLimitExceeded: N,
          IpInBlacklist: N,
          IpNotInWhitelist: N,
        },
      },
    ],
    // TRTC error codes (tencentcloud.com/document/api/647/34270) states no families. TRTC codes are "Class.Detail"; these read an
    // undocumented variant like the documented bare class (project choice).
    families: [
      likeBareCode('RequestLimitExceeded.', RATE, 'RequestLimitExceeded (R vendor, rate limit)'),
      likeBareCode('InternalError.', R, 'InternalError (R ours)'),
      likeBareCode('ResourceUnavailable.', R, 'ResourceUnavailable (R ours)'),
      likeBareCode('ServiceUnavailable.', R, 'ServiceUnavailable (R ours)'),
      likeBareCode('ResourceInsufficient.', R, 'ResourceInsufficient (R ours, bounded)'),
      likeBareCode('ResourceInUse.', R, 'ResourceInUse (R ours, bounded)'),
      likeBareCode('AuthFailure.', N, 'AuthFailure.* rows (all N; only SignatureExpire re-signs, as its own row)'),
      likeBareCode('UnauthorizedOperation.', N, 'UnauthorizedOperation (N)'),
      likeBareCode('FailedOperation.', N, 'FailedOperation (N)'),
      likeBareCode('InvalidParameter.', N, 'InvalidParameter (N)'),
      likeBareCode('InvalidParameterValue.', N, 'InvalidParameterValue (N)'),
      likeBareCode('MissingParameter.', N, 'MissingParameter (N)'),
      likeBareCode('LimitExceeded.', N, 'LimitExceeded (N, quota)'),
      likeBareCode('UnsupportedOperation.', N, 'UnsupportedOperation (N)'),
    ],
    fallback: UNKNOWN_IS_TERMINAL,
  },

  tencentChat: {
    blocks: [
      {
        // Chat kick_user_out (trtc.io/document/60708), kick_user_out private errors.
        section: 'Chat kick_user_out',
        rows: {
          '100001': R, // "internal error, retry"
          '100002': N, // invalid parameter
          '100004': ABSENT, // room does not exist or was dismissed (docs/reconcile.md#user-states)
          '100005': ABSENT, // not a room member (docs/reconcile.md#user-states; a batch is re-asked one by one, docs/vendors.md#batch-absent)
          '100006': N, // insufficient permission
        },
      },
      {
        // Chat unban_room_member (trtc.io/document/60710): the same private codes, read the same way
        // for a lift (100004/100005: nothing to lift). ban_room_member's own codes are not documented
        // (docs/vendors.md#bans): its answers are read with kick_user_out's rows.
        section: 'Chat unban_room_member',
        rows: {
          '100001': R, // internal error, retry
          '100002': N, // bad parameter
          '100004': ABSENT, // room missing or destroyed
          '100005': ABSENT, // not a room member
          '100006': N, // no permission
        },
      },
      {
        // Chat REST common codes (cloud.tencent.com/document/product/269/1519), REST common errors.
        section: 'Chat REST common',
        rows: {
          '60002': N,
          '60003': N,
          '60004': RESIGN_THEN_N, // "N (regenerate UserSig once, R ours)"
          '60005': RESIGN_THEN_N, // same row as 60004
          '60006': N,
          '60007': RATE, // "R (vendor: reduce request frequency), backoff"
          '60008': R, // "R (vendor: check and retry)"; a timeout, not a rate limit
          '60009': N,
          '60010': N,
          '60011': RATE, // SDKAppID request frequency over limit, R (vendor), backoff
          '60012': N,
          '60013': R, // R (ours)
          '60014': R, // R (ours)
          '60015': N,
          '60016': N,
          '60017': N,
          '60018': RATE, // "requests too frequent, retry later", R (vendor), backoff
          '60019': RATE, // same row as 60018
          '60020': N, // plan expired / not active: "N (alert)"
          '60021': N,
          '80001': N,
        },
      },
      {
        // Chat REST common codes (cloud.tencent.com/document/product/269/1519), account (UserSig) errors.
        section: 'Chat account (UserSig)',
        rows: {
          '70001': RESIGN_THEN_N, // UserSig expired: "regenerate UserSig, retry once"
          '70002': N,
          '70003': N,
          '70005': N,
          '70009': N,
          '70013': N,
          '70014': N,
          '70016': N,
          '70020': N,
          // "too many failed verifications -> throttled; check UserSig, retry after 1 minute |
          // R (vendor: wait >= 60 s) only after fixing". Read as Retryable after at least 60 s; not a
          // request-rate limit, so the shared bucket is not slowed (no throttle).
          '70050': { outcome: 'Retryable', minRetryAfterMs: 60_000 },
          '70051': N,
          '70052': RESIGN_THEN_N, // UserSig invalidated: "regenerate, retry once"
          '70107': N,
          '70169': R, // R (vendor)
          '70402': N,
          '70403': N,
          '70500': R, // R (vendor)
        },
      },
    ],
    // Chat's kick_user_out and REST error pages state no families for Chat's numeric codes.
    families: [],
    fallback: UNKNOWN_IS_TERMINAL,
  },

  volcengineRTC: {
    blocks: [
      {
        // Volcengine error codes (volcengine.com/docs/6348/1178322), gateway (all Volcengine OpenAPI) common codes.
        section: 'Volcengine gateway',
        rows: {
          MissingParameter: N,
          MissingRequestInfo: N,
          InvalidTimestamp: RESIGN_THEN_N, // "N; re-sign with fresh X-Date once (R ours)"
          ServiceNotFound: N,
          InvalidActionOrVersion: N,
          InvalidAccessKey: N,
          SignatureDoesNotMatch: N,
          AccessDenied: N,
          InternalError: R, // R (ours)
          InternalServiceTimeout: R, // R (ours)
          FlowLimitExceeded: RATE, // "R (vendor: SDKs retry throttling)"
          ServiceUnavailableTemp: R, // R (ours)
          InternalServiceError: R, // R (ours)
          FailToConnect: R, // R (ours)
          InvalidAuthorization: N,
          InvalidCredential: N,
          MissingSignature: N,
          MissingAuthenticationToken: N,
          InvalidSecretToken: N, // "N (refresh)": a new STS token, not a new signature
          LackPolicy: N,
          LackProjectPolicy: N,
          MethodNotAllowed: N,
        },
      },
      {
        // Volcengine error codes (volcengine.com/docs/6348/1178322), RTC-specific codes (volcengine.com/docs/6348/70426).
        section: 'Volcengine RTC-specific',
        rows: {
          'FlowLimitExceeded.QPSOverLimit': RATE, // "QPS over limit — R, slow down"
          'InvalidParameter.IllegalRoomID': N,
          'InvalidParameter.NotExistAppId': N,
          'InvalidParameter.IllegalAppId': N,
          'InvalidParameter.BodyIsEmpty': N,
          'InvalidParameter.Unmarshal': N,
          'InvalidParameter.EmptyAccountId': N,
          'InvalidParameter.AccountIdMismatch': N, // "Check owner failed"
          'AccessDenied.NoPermissionForApp': N,
          'AccessDenied.ServiceNotEnabled': N,
        },
      },
    ],
    families: [
      // Volcengine error codes (volcengine.com/docs/6348/1178322) states these two: "InvalidParameter.* (e.g. ...) — N", "InternalError.* (R ours)".
      { prefix: 'InvalidParameter.', expected: N, basis: 'documented (Volcengine InvalidParameter.* — N)' },
      { prefix: 'InternalError.', expected: R, basis: 'documented (Volcengine InternalError.* — R ours)' },
      // Not stated by the doc (project choice).
      likeBareCode('FlowLimitExceeded.', RATE, 'FlowLimitExceeded and FlowLimitExceeded.QPSOverLimit (both R, rate limit)'),
      likeBareCode('AccessDenied.', N, 'AccessDenied (N)'),
    ],
    fallback: UNKNOWN_IS_TERMINAL,
  },
};

/**
 * Volcengine error codes (volcengine.com/docs/6348/1178322), the gateway table's CodeN column: the number → the Code it stands for, for
 * answers that carry only CodeN. Rows whose CodeN is "?" are absent. 100018 and 100019 are
 * UNCONFIRMED in the doc (seen only in a decompiled client).
 */
export const DOCUMENTED_VOLCENGINE_CODE_N: Readonly<Record<number, string>> = {
  100002: 'MissingParameter',
  100004: 'MissingRequestInfo',
  100006: 'InvalidTimestamp',
  100007: 'ServiceNotFound',
  100008: 'InvalidActionOrVersion',
  100009: 'InvalidAccessKey',
  100010: 'SignatureDoesNotMatch',
  100013: 'AccessDenied',
  100014: 'InternalError',
  100016: 'InternalServiceTimeout',
  100018: 'FlowLimitExceeded', // UNCONFIRMED
  100019: 'ServiceUnavailableTemp', // UNCONFIRMED
};

/** Every documented code of a vendor once, in doc order (a code listed in two blocks appears once). */
export function documentedRows(vendor: VendorName): Array<[string, Expected]> {
  const rows = new Map<string, Expected>();
  for (const block of DOCUMENTED[vendor].blocks) {
    for (const [code, expected] of Object.entries(block.rows)) if (!rows.has(code)) rows.set(code, expected);
  }
  return [...rows.entries()];
}

/** "Retryable, throttled", "Terminal after one re-signed retry", "Retryable, >= 60000 ms". */
export function describeExpected(expected: Expected): string {
  const parts: string[] = [expected.outcome];
  if (expected.throttle === true) parts.push('throttled');
  if (expected.resign === true) parts.push('after one re-signed retry');
  if (expected.minRetryAfterMs !== undefined) parts.push(`Retry-After >= ${expected.minRetryAfterMs} ms`);
  return parts.join(', ');
}
