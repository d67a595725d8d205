// The vendor boundary (design.md §5): one small interface for every vendor. Vendor files own
// signing, request shape, response parsing and their error-code tables; nothing above this
// interface ever sees a vendor's wire format.

import type {
  RoomIdType,
  TencentChatCredentials,
  TencentTrtcCredentials,
  VendorName,
  VolcengineRtcCredentials,
} from '../api/types.ts';

/**
 * What happened to one user:
 * - Removed: the vendor said success.
 * - AlreadyAbsent: the vendor says the room or the membership does not exist; the goal holds.
 * - Retryable: network, 5xx, vendor internal or rate-limit answers; try again later.
 * - Terminal: auth, permission, invalid parameters; nothing changes until a human acts.
 */
export type RemovalOutcome = 'Removed' | 'AlreadyAbsent' | 'Retryable' | 'Terminal';

export interface UserResult {
  userId: string;
  outcome: RemovalOutcome;
  /** The vendor's code ("" for a plain success); transport failures use codes like "Transport.Timeout". */
  code: string;
  /** Human-readable and free of secrets. */
  message: string;
  /** RequestId of the call that decided this outcome; "" when no vendor answer was received. */
  requestId: string;
  /** For Retryable: the earliest retry the vendor asked for (Retry-After), in ms. */
  retryAfterMs?: number;
}

export interface RemovalRequest {
  roomId: string;
  /** TRTC only: String -> RemoveUserByStrRoomId, Numeric -> RemoveUser. */
  roomIdType: RoomIdType;
  userIds: readonly string[];
  /** Sent where the vendor takes one (Chat requires it). */
  reason: string;
}

export interface VendorClient {
  readonly vendor: VendorName;
  /** The vendor's documented users-per-call limit (TRTC 10, Chat 20, Volcengine 1). */
  readonly maxUsersPerCall: number;
  /**
   * Removes the users, splitting into calls of at most maxUsersPerCall and waiting for rate-limit
   * tokens. Never throws for vendor or transport failures: every user gets a result. Rejects only
   * when `signal` aborts before a call is sent.
   */
  removeUsers(request: RemovalRequest, signal?: AbortSignal): Promise<UserResult[]>;
  /**
   * True while calls through this client's rate-limit buckets (shared by every client of the same
   * vendor account in the process) are queued for a token.
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
