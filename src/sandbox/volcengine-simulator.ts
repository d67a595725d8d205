// A Volcengine RTC OpenAPI simulator: KickUser, Version 2020-12-01 (docs/vendors.md#volcengine-rtc). It
// verifies the HMAC-SHA256 signature the way the gateway does, over whatever SignedHeaders the
// request lists (the SDK's x-content-sha256;x-date form and the demos' four-header form both
// verify), independently of src/vendors' signer.
//
// Choices (UNCONFIRMED): X-Date may be at most 15 minutes (X-Expires' default, 900 s) from
// server time either way, else InvalidTimestamp with HTTP 403 (docs/vendors.md#volcengine-answers-and-errors lists 400 and 403); the cap
// answer is FlowLimitExceeded.QPSOverLimit with HTTP 429; kicking a user who is not in the room
// succeeds (no "absent" answer is documented for KickUser).

import { createHash, createHmac } from 'node:crypto';
import type { VendorName } from '../api/types.ts';
import { randomHex } from './prng.ts';
import { listening, SimulatorBase } from './simulator-base.ts';
import { header, isObject, parseJson, safeEqual } from './simulator-server.ts';
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
}

const DOCUMENTED_CAP = 60;
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

export class VolcengineSimulator extends SimulatorBase {
  readonly vendor: VendorName = 'volcengineRTC';
  private readonly accounts: readonly VolcengineSimulatorAccount[];
  private readonly region: string;

  constructor(options: VolcengineSimulatorOptions) {
    const first = options.accounts[0];
    if (first === undefined || first.appIds.length === 0) throw new Error('Volcengine simulator needs an account with an AppId');
    super(options, { documentedCap: DOCUMENTED_CAP, startFunction: 'startVolcengineSimulator' });
    this.accounts = options.accounts;
    this.region = options.region ?? 'cn-north-1';
  }

  describe(request: SimRequest): CallDescription {
    const body = parseJson(request.body);
    const fields = isObject(body) ? body : {};
    const userId = fields['UserId'];
    return {
      action: request.url.searchParams.get('Action') ?? '',
      account: typeof fields['AppId'] === 'string' ? fields['AppId'] : '',
      roomId: typeof fields['RoomId'] === 'string' ? fields['RoomId'] : '',
      userIds: typeof userId === 'string' ? [userId] : [],
    };
  }

  answer(request: SimRequest, fault: VendorFault | undefined, retryAfterSeconds: number | undefined): VendorReply {
    const action = request.url.searchParams.get('Action');
    const version = request.url.searchParams.get('Version');
    if (action === null || version === null) return this.error('MissingParameter', 'Action and Version are required');
    if (action !== 'KickUser' || version !== '2020-12-01') return this.error('InvalidActionOrVersion', `${action}/${version} is not simulated`);
    if (request.method !== 'POST') return this.error('MethodNotAllowed', 'only POST is simulated');
    const auth = this.authenticate(request);
    if (typeof auth === 'string') return this.error(auth, authMessage(auth));
    if (!this.cap.admit(auth.accessKeyId)) return this.rateLimited(retryAfterSeconds);
    if (fault === 'rateLimit') return this.rateLimited(retryAfterSeconds);
    if (fault === 'internalError') return this.error('InternalError', 'internal error');
    if (fault === 'authExpired') return this.error('InvalidTimestamp', 'the signature expired');
    if (typeof fault === 'object') return this.error(fault.errorCode, `injected error ${fault.errorCode}`);
    return this.kick(request, auth);
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

  private kick(request: SimRequest, account: VolcengineSimulatorAccount): VendorReply {
    if (request.body.length === 0) return this.error('InvalidParameter.BodyIsEmpty', 'body is empty');
    const body = parseJson(request.body);
    if (!isObject(body)) return this.error('InvalidParameter.Unmarshal', 'body is not a JSON object');
    const { AppId: appId, RoomId: roomId, UserId: userId } = body;
    if (typeof appId !== 'string' || !this.accounts.some((a) => a.appIds.includes(appId))) {
      return this.error('InvalidParameter.NotExistAppId', 'AppId does not exist');
    }
    if (!account.appIds.includes(appId)) return this.error('InvalidParameter.AccountIdMismatch', 'Check owner failed');
    if (typeof roomId !== 'string' || !ID_PATTERN.test(roomId)) return this.error('InvalidParameter.IllegalRoomID', 'RoomId is illegal');
    if (typeof userId !== 'string' || !ID_PATTERN.test(userId)) return this.error('InvalidParameter.IllegalUserID', 'UserId is illegal');
    this.rooms.remove(appId, roomId, 'String', [userId]);
    const requestId = this.requestId();
    return { status: 200, body: { ResponseMetadata: this.metadata(requestId), Result: { message: 'success' } }, code: '', requestId };
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
    return { RequestId: requestId, Action: 'KickUser', Version: '2020-12-01', Service: 'rtc', Region: this.region };
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
