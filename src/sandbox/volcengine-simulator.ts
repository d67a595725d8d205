// A Volcengine RTC OpenAPI simulator: KickUser, Version 2020-12-01 (docs/vendors.md#volcengine-rtc). It
// verifies the HMAC-SHA256 signature the way the gateway does, over whatever SignedHeaders the
// request lists (the SDK's x-content-sha256;x-date form and the demos' four-header form both
// verify), independently of src/vendors' signer.
//
// Choices (UNCONFIRMED): X-Date may be at most 15 minutes (X-Expires' default, 900 s) from
// server time either way, else InvalidTimestamp with HTTP 403 (docs/vendors.md#volcengine-answers-and-errors lists 400 and 403); the cap
// answer is FlowLimitExceeded.QPSOverLimit with HTTP 429; kicking a user who is not in the room
// succeeds (no "absent" answer is documented for KickUser).
//
// Bans (docs/vendors.md#bans), Version 2023-11-01, each action with its documented cap per account:
// BanRoomUser 40/s, UpdateBanRoomUserRule 20/s, GetRoomUsersProperty 10/s (KickUser 60/s).
// Only the AppId + RoomId + UserId scope is simulated. ForbiddenInterval is clamped as documented
// ({0, [10, 604800]}: below 10 -> 10, above 604800 -> 604800). Choices (UNCONFIRMED):
// - BanRoomUser with 0 kicks without banning. On a user banned already it answers "User has been
//   banned" and by default keeps the ban's end (`repeatBan: 'reapply'` restarts it instead).
// - UpdateBanRoomUserRule with 0 lifts the ban; a user with no ban gets success (idempotent). With
//   an interval it sets the ban's end from now (a pre-ban when none was in force).
// - GetRoomUsersProperty is POST with a JSON body, and lists every asked user with Status 1 (in
//   the room) or 0.

import { createHash, createHmac } from 'node:crypto';
import type { VendorName } from '../api/types.ts';
import { randomHex } from './prng.ts';
import { BanningSimulatorBase, listening } from './simulator-base.ts';
import { header, isObject, isStringArray, parseJson, safeEqual } from './simulator-server.ts';
import type { CallDescription, SimRequest, VendorFault, VendorReply } from './simulator-server.ts';
import type { CommonSimulatorOptions, RoomOptions } from './types.ts';

export interface VolcengineSimulatorAccount {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry (and sign) this X-Security-Token. */
  sessionToken?: string;
  /** The RTC AppIds this account owns. */
  appIds: readonly string[];
}

export interface VolcengineSimulatorOptions extends CommonSimulatorOptions {
  accounts: readonly VolcengineSimulatorAccount[];
  /** The signing region this endpoint serves; default cn-north-1. */
  region?: string;
  /** What BanRoomUser does to a ban in force: keep its end (default) or restart it. */
  repeatBan?: 'keep' | 'reapply';
}

/** The simulated actions: their version and documented cap per second. */
const ACTIONS: Readonly<Record<string, { version: string; cap: number }>> = {
  KickUser: { version: '2020-12-01', cap: 60 },
  BanRoomUser: { version: '2023-11-01', cap: 40 },
  UpdateBanRoomUserRule: { version: '2023-11-01', cap: 20 },
  GetRoomUsersProperty: { version: '2023-11-01', cap: 10 },
};
const DOCUMENTED_CAP = 60;
const MIN_INTERVAL = 10;
const MAX_INTERVAL = 604_800;
const MAX_PROPERTY_USERS = 10;
const MAX_SKEW_MS = 15 * 60 * 1000;
const ID_PATTERN = /^[a-zA-Z0-9@._-]{1,128}$/;
const AUTHORIZATION_PATTERN =
  /^HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** Gateway error rows: HTTP status and CodeN per docs/vendors.md#volcengine-answers-and-errors (others answer 400, CodeN 0). */
const ERRORS: Record<string, { status: number; codeN: number }> = {
  MissingParameter: { status: 400, codeN: 100002 },
  MissingRequestInfo: { status: 400, codeN: 100004 },
  InvalidTimestamp: { status: 403, codeN: 100006 },
  InvalidActionOrVersion: { status: 404, codeN: 100008 },
  InvalidAccessKey: { status: 401, codeN: 100009 },
  SignatureDoesNotMatch: { status: 401, codeN: 100010 },
  InternalError: { status: 500, codeN: 100014 },
  InvalidAuthorization: { status: 400, codeN: 0 },
  InvalidCredential: { status: 400, codeN: 0 },
  MissingAuthenticationToken: { status: 401, codeN: 0 },
  InvalidSecretToken: { status: 401, codeN: 0 },
  MethodNotAllowed: { status: 405, codeN: 0 },
  ServiceNotFound: { status: 404, codeN: 100007 },
  AccessDenied: { status: 403, codeN: 100013 },
  InternalServiceTimeout: { status: 504, codeN: 100016 },
  FlowLimitExceeded: { status: 429, codeN: 100018 },
  ServiceUnavailableTemp: { status: 503, codeN: 100019 },
  InternalServiceError: { status: 502, codeN: 0 },
  FailToConnect: { status: 502, codeN: 0 },
  MissingSignature: { status: 401, codeN: 0 },
  LackPolicy: { status: 403, codeN: 0 },
  LackProjectPolicy: { status: 403, codeN: 0 },
  'FlowLimitExceeded.QPSOverLimit': { status: 429, codeN: 0 },
  'InvalidParameter.BodyIsEmpty': { status: 400, codeN: 0 },
  'InvalidParameter.Unmarshal': { status: 400, codeN: 0 },
  'InvalidParameter.NotExistAppId': { status: 400, codeN: 0 },
  'InvalidParameter.AccountIdMismatch': { status: 400, codeN: 0 },
  'InvalidParameter.IllegalRoomID': { status: 400, codeN: 0 },
  'InvalidParameter.IllegalUserID': { status: 400, codeN: 0 },
};

export async function startVolcengineSimulator(options: VolcengineSimulatorOptions): Promise<VolcengineSimulator> {
  return listening(new VolcengineSimulator(options), options);
}

export class VolcengineSimulator extends BanningSimulatorBase {
  readonly vendor: VendorName = 'volcengineRTC';
  private readonly accounts: readonly VolcengineSimulatorAccount[];
  private readonly region: string;
  private readonly repeatBan: 'keep' | 'reapply';
  /** The action and version being answered, echoed in ResponseMetadata. */
  private current = { action: 'KickUser', version: '2020-12-01' };

  constructor(options: VolcengineSimulatorOptions) {
    const first = options.accounts[0];
    if (first === undefined || first.appIds.length === 0) throw new Error('Volcengine simulator needs an account with an AppId');
    super(options, { documentedCap: DOCUMENTED_CAP, startFunction: 'startVolcengineSimulator' });
    this.accounts = options.accounts;
    this.region = options.region ?? 'cn-north-1';
    this.repeatBan = options.repeatBan ?? 'keep';
  }

  describe(request: SimRequest): CallDescription {
    const body = parseJson(request.body);
    const fields = isObject(body) ? body : {};
    const userId = fields['UserId'];
    const userIds = fields['UserIds'];
    return {
      action: request.url.searchParams.get('Action') ?? '',
      account: typeof fields['AppId'] === 'string' ? fields['AppId'] : '',
      roomId: typeof fields['RoomId'] === 'string' ? fields['RoomId'] : '',
      userIds: typeof userId === 'string' ? [userId] : isStringArray(userIds) ? userIds : [],
    };
  }

  answer(request: SimRequest, fault: VendorFault | undefined, retryAfterSeconds: number | undefined): VendorReply {
    const action = request.url.searchParams.get('Action');
    const version = request.url.searchParams.get('Version');
    this.current = { action: action ?? '', version: version ?? '' };
    if (action === null || version === null) return this.error('MissingParameter', 'Action and Version are required');
    const simulated = ACTIONS[action];
    if (simulated === undefined || simulated.version !== version) return this.error('InvalidActionOrVersion', `${action}/${version} is not simulated`);
    if (request.method !== 'POST') return this.error('MethodNotAllowed', 'only POST is simulated');
    const auth = this.authenticate(request);
    if (typeof auth === 'string') return this.error(auth, authMessage(auth));
    // The quota is the account's (all its AppIds share it), per action.
    if (!this.cap.admit(`${action}/${auth.accessKeyId}`, simulated.cap)) return this.rateLimited(retryAfterSeconds);
    if (fault === 'rateLimit') return this.rateLimited(retryAfterSeconds);
    if (fault === 'internalError') return this.error('InternalError', 'internal error');
    if (fault === 'authExpired') return this.error('InvalidTimestamp', 'the signature expired');
    if (typeof fault === 'object') return this.error(fault.errorCode, `injected error ${fault.errorCode}`);
    return this.act(action, request, auth);
  }

  /** Returns the account, or the gateway error code. */
  private authenticate(request: SimRequest): VolcengineSimulatorAccount | string {
    const authorization = header(request.headers, 'authorization');
    if (authorization === undefined) return 'MissingAuthenticationToken';
    const match = AUTHORIZATION_PATTERN.exec(authorization);
    if (match === null) return 'InvalidAuthorization';
    const [, accessKeyId, shortDate, region, service, signedHeaders, signature] = match as unknown as string[] as [
      string, string, string, string, string, string, string,
    ];
    const account = this.accounts.find((a) => a.accessKeyId === accessKeyId);
    if (account === undefined) return 'InvalidAccessKey';
    const xDate = header(request.headers, 'x-date');
    if (xDate === undefined) return 'MissingRequestInfo';
    const signedAt = parseXDate(xDate);
    if (signedAt === undefined) return 'MissingRequestInfo';
    if (Math.abs(this.now() - signedAt) > MAX_SKEW_MS) return 'InvalidTimestamp';
    if (service !== 'rtc' || shortDate !== xDate.slice(0, 8)) return 'InvalidCredential';
    const names = signedHeaders.split(';');
    const token = header(request.headers, 'x-security-token');
    // docs/vendors.md#volcengine-signing: x-date must be signed; a security token, when sent, must be signed too.
    if (!names.includes('x-date') || (token !== undefined && !names.includes('x-security-token'))) return 'SignatureDoesNotMatch';
    const expected = volcengineSignature(account.secretAccessKey, request, xDate, region, service, names);
    if (region !== this.region || !safeEqual(expected, signature)) return 'SignatureDoesNotMatch';
    if ((account.sessionToken ?? '') !== (token ?? '')) return 'InvalidSecretToken';
    return account;
  }

  private act(action: string, request: SimRequest, account: VolcengineSimulatorAccount): VendorReply {
    if (request.body.length === 0) return this.error('InvalidParameter.BodyIsEmpty', 'body is empty');
    const body = parseJson(request.body);
    if (!isObject(body)) return this.error('InvalidParameter.Unmarshal', 'body is not a JSON object');
    const { AppId: appId, RoomId: roomId } = body;
    if (typeof appId !== 'string' || !this.accounts.some((a) => a.appIds.includes(appId))) {
      return this.error('InvalidParameter.NotExistAppId', 'AppId does not exist');
    }
    if (!account.appIds.includes(appId)) return this.error('InvalidParameter.AccountIdMismatch', 'Check owner failed');
    if (typeof roomId !== 'string' || !ID_PATTERN.test(roomId)) return this.error('InvalidParameter.IllegalRoomID', 'RoomId is illegal');
    if (action === 'GetRoomUsersProperty') return this.usersProperty(appId, roomId, body['UserIds']);
    const userId = body['UserId'];
    if (typeof userId !== 'string' || !ID_PATTERN.test(userId)) return this.error('InvalidParameter.IllegalUserID', 'UserId is illegal');
    if (action === 'KickUser') {
      this.rooms.remove(appId, roomId, 'String', [userId]);
      return this.success({ message: 'success' });
    }
    const interval = forbiddenInterval(body['ForbiddenInterval']);
    if (interval === undefined) return this.error('InvalidParameter.ForbiddenInterval', 'ForbiddenInterval must be a non-negative integer');
    return action === 'BanRoomUser' ? this.banUser(appId, roomId, userId, interval) : this.updateRule(appId, roomId, userId, interval);
  }

  private banUser(appId: string, roomId: string, userId: string, interval: number): VendorReply {
    const inForce = this.banBook.bannedUntil(appId, roomId, userId);
    // 0: kicked, and may rejoin at once.
    if (interval === 0) {
      this.rooms.remove(appId, roomId, 'String', [userId]);
      return this.success({ Message: 'success' });
    }
    if (inForce !== undefined) {
      // Repeat calls do not fail; whether they re-apply the interval is not documented.
      this.banMember(appId, roomId, userId, this.repeatBan === 'reapply' ? this.now() + interval * 1000 : inForce);
      return this.success({ Message: 'User has been banned' });
    }
    this.banMember(appId, roomId, userId, this.now() + interval * 1000);
    return this.success({ Message: 'success' });
  }

  private updateRule(appId: string, roomId: string, userId: string, interval: number): VendorReply {
    if (interval === 0) this.banBook.lift(appId, roomId, userId);
    else this.banBook.ban(appId, roomId, userId, this.now() + interval * 1000);
    return this.success({ Message: 'success' });
  }

  private usersProperty(appId: string, roomId: string, userIds: unknown): VendorReply {
    if (!isStringArray(userIds) || userIds.length === 0 || userIds.length > MAX_PROPERTY_USERS || !userIds.every((id) => ID_PATTERN.test(id))) {
      return this.error('InvalidParameter.UserIds', `UserIds must hold 1 to ${MAX_PROPERTY_USERS} legal user IDs`);
    }
    const members = new Set(this.rooms.members(appId, roomId, 'String'));
    return this.success({ UserList: userIds.map((id) => ({ UserID: id, Status: members.has(id) ? 1 : 0 })) });
  }

  private success(result: Record<string, unknown>): VendorReply {
    const requestId = this.requestId();
    return { status: 200, body: { ResponseMetadata: this.metadata(requestId), Result: result }, code: '', requestId };
  }

  private rateLimited(retryAfterSeconds: number | undefined): VendorReply {
    const reply = this.error('FlowLimitExceeded.QPSOverLimit', 'QPS over limit');
    return retryAfterSeconds === undefined ? reply : { ...reply, headers: { 'Retry-After': String(retryAfterSeconds) } };
  }

  private error(code: string, message: string): VendorReply {
    const row = ERRORS[code] ?? { status: 400, codeN: 0 };
    const requestId = this.requestId();
    const metadata = { ...this.metadata(requestId), Error: { CodeN: row.codeN, Code: code, Message: message } };
    return { status: row.status, body: { ResponseMetadata: metadata }, code, requestId };
  }

  private metadata(requestId: string): Record<string, string> {
    const { action, version } = this.current;
    return { RequestId: requestId, Action: action, Version: version, Service: 'rtc', Region: this.region };
  }

  /** Volcengine RequestIds: a UTC YYYYMMDDHHMMSS stamp followed by hex. */
  private requestId(): string {
    const stamp = new Date(this.now()).toISOString().replace(/[-:T]|\.\d{3}Z$/g, '');
    return `${stamp}${randomHex(this.random, 18).toUpperCase()}`;
  }

  protected accountOf(options: RoomOptions): string {
    return String(options.account ?? (this.accounts[0] as VolcengineSimulatorAccount).appIds[0]);
  }
}

/** ForbiddenInterval clamped as documented: absent or 0 -> 0, below 10 -> 10, above 604800 -> 604800; undefined when malformed. */
function forbiddenInterval(value: unknown): number | undefined {
  if (value === undefined || value === 0) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return undefined;
  return Math.min(MAX_INTERVAL, Math.max(MIN_INTERVAL, value));
}

function authMessage(code: string): string {
  return code === 'InvalidTimestamp' ? 'the request signature has expired or is from the future' : `authentication failed: ${code}`;
}

function parseXDate(xDate: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(xDate);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** The gateway's recomputation: listed headers as received (host with port), body hash of the bytes received. */
function volcengineSignature(
  secret: string,
  request: SimRequest,
  xDate: string,
  region: string,
  service: string,
  signedHeaderNames: readonly string[],
): string {
  const names = [...signedHeaderNames].sort();
  const canonicalHeaders = names.map((name) => `${name}:${(header(request.headers, name) ?? '').replace(/\s+/g, ' ').trim()}`).join('\n');
  const query = [...request.url.searchParams.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .join('&');
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const canonicalRequest = [request.method, request.url.pathname, query, `${canonicalHeaders}\n`, names.join(';'), bodyHash].join('\n');
  const scope = `${xDate.slice(0, 8)}/${region}/${service}/request`;
  const stringToSign = ['HMAC-SHA256', xDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  let key = createHmac('sha256', secret).update(xDate.slice(0, 8)).digest();
  for (const part of [region, service, 'request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
