// The TRTC error-code table: every row of docs/vendors.md#trtc-answers-and-errors, each mapped to an outcome.
// "R (vendor)" and "R (ours)" rows are Retryable; "N" rows Terminal. Families ("InternalError.*")
// cover codes the docs do not list; exact rows win. Unknown codes are Terminal: an answer we do
// not understand will not change by repeating it, and a human should look (docs/vendors.md#the-boundary).

import {
  ErrorCodeTable,
  absent,
  retryable,
  refused,
  resignThenRefused,
  terminal,
  throttled,
} from './error-table.ts';

export const TENCENT_TRTC_ERRORS = new ErrorCodeTable({
  exact: {
    // docs/vendors.md#trtc-answers-and-errors API-specific codes (RemoveUserByStrRoomId / RemoveUser).
    // A kick into a room that does not exist already holds (docs/reconcile.md#contract).
    'FailedOperation.RoomNotExist': absent,
    InternalError: retryable,
    'InternalError.GetRoomCacheIpError': retryable,
    'InternalError.GetRoomFromCacheError': retryable,
    'InvalidParameter.RoomId': terminal,
    'InvalidParameterValue.RoomId': terminal,
    'InvalidParameter.SdkAppId': refused,
    'InvalidParameter.UserIds': terminal,
    'MissingParameter.RoomId': terminal,
    'MissingParameter.SdkAppId': refused,
    'MissingParameter.UserIds': terminal,
    'UnauthorizedOperation.SdkAppId': refused,

    // docs/vendors.md#trtc-answers-and-errors common API 3.0 codes.
    'AuthFailure.InvalidAuthorization': refused,
    'AuthFailure.InvalidSecretId': refused,
    'AuthFailure.MFAFailure': refused,
    'AuthFailure.SecretIdNotFound': refused,
    // Timestamp more than 5 min from server time: re-sign with a fresh timestamp once (R ours);
    // a second answer means clock skew, which needs a human.
    'AuthFailure.SignatureExpire': resignThenRefused,
    'AuthFailure.SignatureFailure': refused,
    'AuthFailure.TokenFailure': refused,
    'AuthFailure.UnauthorizedOperation': refused,
    UnauthorizedOperation: refused,
    RequestLimitExceeded: throttled,
    'RequestLimitExceeded.UinLimitExceeded': throttled,
    'RequestLimitExceeded.GlobalRegionUinLimitExceeded': throttled,
    'RequestLimitExceeded.IPLimitExceeded': throttled,
    LimitExceeded: terminal,
    ResourceUnavailable: retryable,
    ServiceUnavailable: retryable,
    // "R (ours), bounded": the per-RoomBan backoff (cap 5 min) is the bound.
    ResourceInsufficient: retryable,
    ResourceInUse: retryable,
    FailedOperation: terminal,
    InvalidAction: refused,
    NoSuchVersion: refused,
    NoSuchProduct: refused,
    ActionOffline: refused,
    InvalidParameter: terminal,
    InvalidParameterValue: terminal,
    MissingParameter: terminal,
    UnknownParameter: terminal,
    UnsupportedRegion: refused,
    UnsupportedOperation: terminal,
    UnsupportedProtocol: refused,
    RequestSizeLimitExceeded: terminal,
    ResponseSizeLimitExceeded: terminal,
    IpInBlacklist: refused,
    IpNotInWhitelist: refused,
  },
  families: {
    'RequestLimitExceeded.': throttled,
    'InternalError.': retryable,
    'ResourceUnavailable.': retryable,
    'ServiceUnavailable.': retryable,
    'ResourceInsufficient.': retryable,
    'ResourceInUse.': retryable,
    'AuthFailure.': refused,
    'UnauthorizedOperation.': refused,
    'FailedOperation.': terminal,
    'InvalidParameter.': terminal,
    'InvalidParameterValue.': terminal,
    'MissingParameter.': terminal,
    'LimitExceeded.': terminal,
    'UnsupportedOperation.': terminal,
  },
  fallback: terminal,
});
