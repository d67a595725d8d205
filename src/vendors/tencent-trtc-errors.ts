// The TRTC error-code table: every row of docs/vendors.md#trtc-answers-and-errors, each mapped to an outcome.
// "R (vendor)" and "R (ours)" rows are Retryable; "N" rows Terminal. Families ("InternalError.*")
// cover codes the docs do not list; exact rows win. Unknown codes are Terminal: an answer we do
// not understand will not change by repeating it, and a human should look (docs/vendors.md#the-boundary).

import {
  ErrorCodeTable,
  absent,
  resignThenTerminal,
  retryable,
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
    'InvalidParameter.SdkAppId': terminal,
    'InvalidParameter.UserIds': terminal,
    'MissingParameter.RoomId': terminal,
    'MissingParameter.SdkAppId': terminal,
    'MissingParameter.UserIds': terminal,
    'UnauthorizedOperation.SdkAppId': terminal,

    // docs/vendors.md#trtc-answers-and-errors common API 3.0 codes.
    'AuthFailure.InvalidAuthorization': terminal,
    'AuthFailure.InvalidSecretId': terminal,
    'AuthFailure.MFAFailure': terminal,
    'AuthFailure.SecretIdNotFound': terminal,
    // Timestamp more than 5 min from server time: re-sign with a fresh timestamp once (R ours);
    // a second answer means clock skew, which needs a human.
    'AuthFailure.SignatureExpire': resignThenTerminal,
    'AuthFailure.SignatureFailure': terminal,
    'AuthFailure.TokenFailure': terminal,
    'AuthFailure.UnauthorizedOperation': terminal,
    UnauthorizedOperation: terminal,
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
    InvalidAction: terminal,
    NoSuchVersion: terminal,
    NoSuchProduct: terminal,
    ActionOffline: terminal,
    InvalidParameter: terminal,
    InvalidParameterValue: terminal,
    MissingParameter: terminal,
    UnknownParameter: terminal,
    UnsupportedRegion: terminal,
    UnsupportedOperation: terminal,
    UnsupportedProtocol: terminal,
    RequestSizeLimitExceeded: terminal,
    ResponseSizeLimitExceeded: terminal,
    IpInBlacklist: terminal,
    IpNotInWhitelist: terminal,
  },
  families: {
    'RequestLimitExceeded.': throttled,
    'InternalError.': retryable,
    'ResourceUnavailable.': retryable,
    'ServiceUnavailable.': retryable,
    'ResourceInsufficient.': retryable,
    'ResourceInUse.': retryable,
    'AuthFailure.': terminal,
    'UnauthorizedOperation.': terminal,
    'FailedOperation.': terminal,
    'InvalidParameter.': terminal,
    'InvalidParameterValue.': terminal,
    'MissingParameter.': terminal,
    'LimitExceeded.': terminal,
    'UnsupportedOperation.': terminal,
  },
  fallback: terminal,
});
