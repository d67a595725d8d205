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
  /**
   * How long a call of `kind` made now would wait for its rate-limit token, in ms (0: at once). An
   * estimate, for gathering several RoomBans' users into one call while they would wait anyway.
   */
  estimatedWaitMs(kind: CallKind, roomIdType?: RoomIdType): number;
  /** The vendor's ban API (VENDOR_RULES[vendor].ban); undefined when it has none (TRTC). */
  readonly bans: BanClient | undefined;
}

/** A call that names users: a kick (removeUsers), a ban (banUsers) or a lift (liftBans). */
export type CallKind = 'kick' | 'ban' | 'lift';

export interface BanRequest {
  roomId: string;
  /** 1..BanRules.usersPerBan unique user IDs: one ban call (plus, Volcengine, a rule update). */
  userIds: readonly string[];
  /** Whole seconds within [BanRules.minSeconds, BanRules.maxSeconds], counted from now. */
  durationSeconds: number;
  /** Sent where the vendor takes one; Chat requires one (DEFAULT_REASON when absent). */
  reason?: string;
}

export interface LiftRequest {
  roomId: string;
  /** 1..BanRules.usersPerLift unique user IDs: one lift call. */
  userIds: readonly string[];
}

export interface ObserveRequest {
  roomId: string;
  /** 1..BanRules.usersPerObserve unique user IDs. */
  userIds: readonly string[];
}

/**
 * What the vendor shows of one user's ban:
 * - held: the vendor still keeps the user out (Chat: listed as banned; Volcengine: not in the room);
 * - lifted: the ban is gone (Chat: not listed; Volcengine: the user is in the room again);
 * - unknown: the observation failed; nothing is concluded.
 */
export interface BanObservation {
  userId: string;
  state: 'held' | 'lifted' | 'unknown';
  /** Chat only: the vendor's end of the ban (BannedUntil), in ms since the epoch. */
  bannedUntilMs?: number;
  /** RequestId of the (last) observation call; "" when no answer was received. */
  requestId: string;
  /** unknown only: the vendor code and message of the failed call. */
  code?: string;
  message?: string;
  /** unknown only: the observation was refused for throttling or asks to wait. */
  retryAfterMs?: number;
}

/**
 * Bans that hold, lifted and observed (docs/vendors.md#bans). Like removeUsers, each method makes
 * one call per batch after a token of that action's bucket (its documented cap, shared by the
 * account), never rejects for vendor or transport failures, answers every user in request order,
 * and throws RangeError above its per-call size.
 */
export interface BanClient {
  readonly usersPerBan: number;
  readonly usersPerLift: number;
  readonly usersPerObserve: number;
  /**
   * Bans the users for durationSeconds from now. Removed = banned (the vendor removed them and keeps
   * them out). A user already banned gets the new duration (Volcengine: BanRoomUser answers "User
   * has been banned", then UpdateBanRoomUserRule sets the interval). AlreadyAbsent follows the
   * vendor's table (room missing / not a member), with the batch-level re-ask rule.
   */
  banUsers(request: BanRequest): Promise<UserResult[]>;
  /** Lifts the bans. Removed = lifted; AlreadyAbsent = nothing to lift (room gone, not banned). */
  liftBans(request: LiftRequest): Promise<UserResult[]>;
  /** Observes the bans; never rejects (a failed call makes every user unknown). */
  observeBans(request: ObserveRequest): Promise<BanObservation[]>;
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
      /**
       * The unit ban_room_member's Duration is read in (UNCONFIRMED, docs/vendors.md#bans): Seconds
       * (the default, per the doc example 3600) or Milliseconds (sends durationSeconds * 1000).
       */
      banDurationUnit?: 'Seconds' | 'Milliseconds';
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
