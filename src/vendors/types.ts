// The vendor boundary (docs/vendors.md#the-boundary): one small interface for every vendor. Vendor
// files own signing, request shape, response parsing and their error-code tables; nothing above
// this interface ever sees a vendor's wire format or matches a vendor's code.

import type { RemovalOutcome, UserResult } from '../api/results.ts';
import type {
  RoomIdType,
  TencentChatCredentials,
  TencentTrtcCredentials,
  VendorName,
  VolcengineRtcCredentials,
} from '../api/types.ts';

export interface RemovalRequest {
  roomId: string;
  /** TRTC only: String -> RemoveUserByStrRoomId, Numeric -> RemoveUser. */
  roomIdType: RoomIdType;
  /** 1..maxUsersPerCall unique user IDs: one vendor call. */
  userIds: readonly string[];
  /** Sent where the vendor takes one; where it requires one (Chat), DEFAULT_REASON when absent. */
  reason?: string;
}

export interface VendorClient {
  readonly vendor: VendorName;
  /** The most users one request may name: VENDOR_RULES[vendor].usersPerCall (api/vendor-rules.ts). */
  readonly maxUsersPerCall: number;
  /**
   * Removes the users with one vendor call, after waiting for a rate-limit token; a batch-level
   * "absent" answer is re-asked one user at a time, an aged signature re-signed once. Never rejects
   * for vendor or transport failures: every user gets a result, in request order. Throws RangeError
   * for more than maxUsersPerCall users: the caller batches (the core's planRemovals).
   */
  removeUsers(request: RemovalRequest): Promise<UserResult[]>;
  /**
   * True while this client's provider has calls queued for a rate-limit token: at its own bucket
   * (its `rateLimit`) or for its turn at the account's bucket, which every provider of the vendor
   * account shares. Other providers' queued calls do not count.
   */
  waitingForRateLimit(): boolean;
}

export type ProviderConfig =
  | {
      vendor: 'tencentTRTC';
      sdkAppId: number;
      region: string;
      /** Base URL override (sandbox/tests); only set when the operator allows custom endpoints. */
      endpoint?: string;
      credentials: TencentTrtcCredentials;
      /** Lower than the documented cap, or undefined for the cap. */
      requestsPerSecond?: number;
    }
  | {
      vendor: 'tencentChat';
      sdkAppId: number;
      region: string;
      adminIdentifier: string;
      endpoint?: string;
      credentials: TencentChatCredentials;
      requestsPerSecond?: number;
    }
  | {
      vendor: 'volcengineRTC';
      appId: string;
      region: string;
      endpoint?: string;
      credentials: VolcengineRtcCredentials;
      requestsPerSecond?: number;
    };

/** One finished HTTP call, for metrics and logs (never carries secrets). */
export interface VendorCallRecord {
  vendor: VendorName;
  action: string;
  account: string;
  outcome: RemovalOutcome;
  code: string;
  requestId: string;
  users: number;
  durationMs: number;
}

export interface VendorObserver {
  onCall?(record: VendorCallRecord): void;
  /** Time spent waiting for a rate-limit token. */
  onLimiterWait?(vendor: VendorName, action: string, waitedMs: number): void;
  /** The vendor answered with a rate-limit code; the bucket was slowed down. */
  onThrottled?(vendor: VendorName, action: string, account: string): void;
}
