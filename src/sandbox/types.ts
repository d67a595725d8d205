// The shape every vendor simulator shares, so tests, benchmarks and the CLI drive all three the
// same way.

import type { RoomIdType, VendorName } from '../api/types.ts';

/** Per-request faults. `latency` is not one: it is a setting added to every answer. */
export type FaultKind =
  /** The vendor's rate-limit answer (counted in faultsInjected, not rateLimitRejections). */
  | 'rateLimit'
  /** The vendor's internal-error answer (TRTC InternalError, Chat 100001, Volcengine InternalError). */
  | 'internalError'
  /** The vendor's "signature/UserSig expired" answer (TC3 SignatureExpire, Chat 70001, Volcengine InvalidTimestamp). */
  | 'authExpired'
  /** HTTP 503 with a non-JSON body. */
  | 'serverError'
  /** HTTP 429 with a non-JSON body. */
  | 'tooManyRequests'
  /** The connection is reset (RST) after the request was read. */
  | 'reset'
  /** The request is never answered. */
  | 'timeout'
  /** HTTP 200 with a truncated JSON body. */
  | 'malformedJson'
  /** A vendor error answer with a chosen code (FaultControl.nextError only). */
  | 'vendorError';

/** The kinds that can be drawn by probability (vendorError needs a code: use nextError). */
export const FAULT_KINDS: readonly Exclude<FaultKind, 'vendorError'>[] = [
  'rateLimit',
  'internalError',
  'authExpired',
  'serverError',
  'tooManyRequests',
  'reset',
  'timeout',
  'malformedJson',
];

export interface FaultSettings {
  /** Added before every answer (ms). */
  latencyMs?: number;
  /** Probability per request, drawn from the seeded PRNG; at most one fault per request. */
  probabilities?: Partial<Record<Exclude<FaultKind, 'vendorError'>, number>>;
  /** Sent as Retry-After (seconds) with serverError, tooManyRequests and rateLimit answers. */
  retryAfterSeconds?: number;
}

/** One request the simulator received, whatever became of it. */
export interface SimulatorCall {
  vendor: VendorName;
  /**
   * The vendor action (RemoveUserByStrRoomId, RemoveUser, kick_user_out, KickUser; the ban actions
   * ban_room_member, unban_room_member, get_banned_member_list, BanRoomUser, UpdateBanRoomUserRule,
   * GetRoomUsersProperty); "" if unreadable.
   */
  action: string;
  /** SdkAppId / AppId as a string; "" if unreadable. */
  account: string;
  roomId: string;
  userIds: string[];
  /** "" for success; the vendor code; "HTTP.503"/"HTTP.429"; "Fault.Reset", "Fault.Timeout", "Fault.MalformedJson". */
  code: string;
  httpStatus: number;
  /** "" when no vendor answer was sent. */
  requestId: string;
  /** Simulator clock, ms since the epoch. */
  time: number;
  /** Set when the answer was an injected fault. */
  fault?: FaultKind;
}

export interface RoomOptions {
  /** SdkAppId (Tencent) or AppId (Volcengine); defaults to the simulator's first account. */
  account?: string | number;
  /** TRTC only: numeric and string room IDs are different rooms. Default String. */
  roomIdType?: RoomIdType;
}

export interface RequestHold {
  /** Resolves when the held request has arrived. */
  received: Promise<void>;
  release(): void;
}

export interface FaultControl {
  /** Replaces the fault settings (latency, probabilities, Retry-After). */
  set(settings: FaultSettings): void;
  /** The next `count` requests get `kind` (before any probability is drawn). */
  next(kind: Exclude<FaultKind, 'vendorError'>, count?: number): void;
  /**
   * The next `count` authenticated requests are answered with the vendor's error envelope carrying
   * `code` (TRTC "InternalError.Foo", Chat "70001", Volcengine "AccessDenied"), whatever their body.
   */
  nextError(code: string, count?: number): void;
  /**
   * The next request waits, once received, until `release()`: a test can change the world while a
   * vendor call is in flight (e.g. edit the RoomBan, so the operator's status write conflicts).
   */
  holdNext(): RequestHold;
  /** Clears settings and the queue, and releases every held request. */
  clear(): void;
  /** Faults injected so far. */
  readonly injected: number;
}

export interface VendorSimulator {
  readonly vendor: VendorName;
  /** Base URL to pass as the provider's endpoint, e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly calls: readonly SimulatorCall[];
  /** Requests refused by the per-second cap (not counting injected rateLimit faults). */
  readonly rateLimitRejections: number;
  readonly faults: FaultControl;
  addMembers(roomId: string, userIds: readonly string[], options?: RoomOptions): void;
  /** Current members (sorted). Empty when the room does not exist. */
  members(roomId: string, options?: RoomOptions): string[];
  /** Lifts the cap with Infinity. */
  setRequestsPerSecond(requestsPerSecond: number): void;
  clearCalls(): void;
  close(): Promise<void>;
}

/** What joinUser answered: a banned user is refused until the ban ends. */
export interface JoinAnswer {
  joined: boolean;
  /** Refused only: the end of the ban in force (simulator clock, ms since the epoch). */
  bannedUntilMs?: number;
}

/** A ban in force in a simulator. */
export interface SimulatedBan {
  userId: string;
  /** The end of the ban on the simulator's clock, ms since the epoch. */
  bannedUntilMs: number;
}

/**
 * A simulator of a vendor with a ban API (Chat, Volcengine; docs/vendors.md#bans). The controls are
 * for tests, not part of the vendor's HTTP API: the world's side of a ban.
 */
export interface BanningSimulator extends VendorSimulator {
  /** The user tries to enter the room: refused while banned, else added to the members. */
  joinUser(roomId: string, userId: string, options?: RoomOptions): JoinAnswer;
  /** Lifts a ban out of band (someone used the vendor console): drift. True when one was in force. */
  liftBanOutOfBand(roomId: string, userId: string, options?: RoomOptions): boolean;
  /** The bans in force in the room (sorted by user); expired ones are gone. */
  bans(roomId: string, options?: RoomOptions): SimulatedBan[];
}

export interface TlsOptions {
  key: string;
  cert: string;
}

/** Options every simulator takes besides its accounts. */
export interface CommonSimulatorOptions {
  /** Per-second cap per quota key; default the documented cap; Infinity lifts it. */
  requestsPerSecond?: number;
  /** Requests the cap allows back to back after idling; default = requestsPerSecond. */
  burst?: number;
  /** PRNG seed for faults and RequestIds. Default 1. */
  seed?: number;
  /** Listen address; default 127.0.0.1. Port 0 (default) picks a free port. */
  host?: string;
  port?: number;
  /** Serve https with this key/cert instead of http. */
  tls?: TlsOptions;
  /** Simulator clock (ms since epoch), for signature freshness checks. Default Date.now. */
  now?: () => number;
}
