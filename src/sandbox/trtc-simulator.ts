// A Tencent TRTC API 3.0 simulator: RemoveUserByStrRoomId and RemoveUser (docs/vendors.md#tencent-trtc).
// It verifies TC3-HMAC-SHA256 the way the gateway does, independently of src/vendors' signer
// (the same bug on both sides would otherwise pass unnoticed).
//
// Membership choices (vendor behaviour UNCONFIRMED, docs/decisions.md#what-the-vendors-docs-leave-open):
// - a kick in a room that does not exist (no members) answers FailedOperation.RoomNotExist;
// - a user not in an existing room is ignored and the call succeeds, as TRTC kicks are idempotent.

import { createHash, createHmac } from 'node:crypto';
import type { RoomIdType, VendorName } from '../api/types.ts';
import { randomUuid } from './prng.ts';
import { listening, SimulatorBase } from './simulator-base.ts';
import { header, isObject, isStringArray, parseJson, safeEqual } from './simulator-server.ts';
import type { CallDescription, SimRequest, VendorFault, VendorReply } from './simulator-server.ts';
import type { CommonSimulatorOptions, RoomOptions } from './types.ts';

export interface TrtcSimulatorAccount {
  sdkAppId: number;
  secretId: string;
  secretKey: string;
  /** When set, requests must carry this X-TC-Token (temporary credentials). */
  token?: string;
}

export interface TrtcSimulatorOptions extends CommonSimulatorOptions {
  accounts: readonly TrtcSimulatorAccount[];
  /** Regions accepted in X-TC-Region; default ap-beijing, ap-guangzhou, ap-singapore (docs/vendors.md#trtc-endpoints-and-regions). */
  regions?: readonly string[];
}

const DOCUMENTED_CAP = 20;
const MAX_SKEW_SECONDS = 300; // docs/vendors.md#trtc-signing: more than 5 minutes -> AuthFailure.SignatureExpire
const ACTIONS = new Set(['RemoveUserByStrRoomId', 'RemoveUser']);
const NUMERIC_ROOM_MAX = 4_294_967_294;
const AUTHORIZATION_PATTERN =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export async function startTrtcSimulator(options: TrtcSimulatorOptions): Promise<TrtcSimulator> {
  return listening(new TrtcSimulator(options), options);
}

export class TrtcSimulator extends SimulatorBase {
  readonly vendor: VendorName = 'tencentTRTC';
  private readonly accounts: readonly TrtcSimulatorAccount[];
  private readonly regions: ReadonlySet<string>;

  constructor(options: TrtcSimulatorOptions) {
    if (options.accounts.length === 0) throw new Error('TRTC simulator needs at least one account');
    super(options, { documentedCap: DOCUMENTED_CAP, startFunction: 'startTrtcSimulator' });
    this.accounts = options.accounts;
    this.regions = new Set(options.regions ?? ['ap-beijing', 'ap-guangzhou', 'ap-singapore']);
  }

  describe(request: SimRequest): CallDescription {
    const body = parseJson(request.body);
    const fields = isObject(body) ? body : {};
    const roomId = fields['RoomId'];
    return {
      action: header(request.headers, 'x-tc-action') ?? '',
      account: typeof fields['SdkAppId'] === 'number' ? String(fields['SdkAppId']) : '',
      roomId: typeof roomId === 'string' || typeof roomId === 'number' ? String(roomId) : '',
      userIds: isStringArray(fields['UserIds']) ? fields['UserIds'] : [],
    };
  }

  answer(request: SimRequest, fault: VendorFault | undefined, retryAfterSeconds: number | undefined): VendorReply {
    const protocolError = this.checkProtocol(request);
    if (protocolError !== undefined) return this.error(protocolError[0], protocolError[1]);
    const auth = this.authenticate(request);
    if ('code' in auth) return this.error(auth.code, auth.message);
    const action = header(request.headers, 'x-tc-action') ?? '';
    const capKey = `${action}/${this.describe(request).account}`;
    if (!this.cap.admit(capKey)) return this.rateLimited(retryAfterSeconds);
    if (fault === 'rateLimit') return this.rateLimited(retryAfterSeconds);
    if (fault === 'internalError') return this.error('InternalError', 'An internal error has occurred.');
    if (fault === 'authExpired') return this.error('AuthFailure.SignatureExpire', 'The signature expired.');
    if (typeof fault === 'object') return this.error(fault.errorCode, `injected error ${fault.errorCode}`);
    return this.removeUsers(action, request, auth.account);
  }

  /** Headers the gateway needs before it can even authenticate. */
  private checkProtocol(request: SimRequest): [string, string] | undefined {
    if (request.method !== 'POST') return ['UnsupportedProtocol', 'only POST is simulated'];
    const action = header(request.headers, 'x-tc-action');
    if (action === undefined) return ['MissingParameter', 'X-TC-Action is missing'];
    if (!ACTIONS.has(action)) return ['InvalidAction', `action ${action} is not simulated`];
    if (header(request.headers, 'x-tc-version') !== '2019-07-22') return ['NoSuchVersion', 'version must be 2019-07-22'];
    const region = header(request.headers, 'x-tc-region');
    if (region === undefined) return ['MissingParameter', 'X-TC-Region is missing'];
    if (!this.regions.has(region)) return ['UnsupportedRegion', `region ${region} is not supported`];
    return undefined;
  }

  private authenticate(request: SimRequest): { account: TrtcSimulatorAccount } | { code: string; message: string } {
    const match = AUTHORIZATION_PATTERN.exec(header(request.headers, 'authorization') ?? '');
    if (match === null) return { code: 'AuthFailure.InvalidAuthorization', message: 'Authorization is malformed' };
    const [, secretId, date, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
    const account = this.accounts.find((candidate) => candidate.secretId === secretId);
    if (account === undefined) return { code: 'AuthFailure.SecretIdNotFound', message: 'The SecretId is not found.' };
    const timestamp = Number(header(request.headers, 'x-tc-timestamp'));
    if (!Number.isInteger(timestamp)) return { code: 'MissingParameter', message: 'X-TC-Timestamp is missing' };
    if (Math.abs(this.now() / 1000 - timestamp) > MAX_SKEW_SECONDS) {
      return { code: 'AuthFailure.SignatureExpire', message: 'Signature expired: the timestamp is too far from server time.' };
    }
    const names = signedHeaders.split(';');
    if (service !== 'trtc' || date !== utcDate(timestamp) || !names.includes('content-type') || !names.includes('host')) {
      return { code: 'AuthFailure.SignatureFailure', message: 'The credential scope or signed headers are invalid.' };
    }
    const expected = tc3Signature(account.secretKey, request, timestamp, date, service, names);
    if (!safeEqual(expected, signature)) return { code: 'AuthFailure.SignatureFailure', message: 'The provided credentials could not be validated.' };
    if ((account.token ?? '') !== (header(request.headers, 'x-tc-token') ?? '')) {
      return { code: 'AuthFailure.TokenFailure', message: 'The token is invalid.' };
    }
    return { account };
  }

  private removeUsers(action: string, request: SimRequest, account: TrtcSimulatorAccount): VendorReply {
    const body = parseJson(request.body);
    if (!isObject(body)) return this.error('InvalidParameter', 'the body is not a JSON object');
    const sdkAppId = body['SdkAppId'];
    if (sdkAppId === undefined) return this.error('MissingParameter.SdkAppId', 'SdkAppId is missing');
    if (typeof sdkAppId !== 'number' || !Number.isInteger(sdkAppId)) return this.error('InvalidParameter.SdkAppId', 'SdkAppId must be an integer');
    const owner = this.accounts.find((a) => a.sdkAppId === sdkAppId);
    if (owner === undefined) return this.error('InvalidParameter.SdkAppId', 'SdkAppId does not exist');
    if (owner.secretId !== account.secretId) return this.error('UnauthorizedOperation.SdkAppId', 'no permission for this SdkAppId');
    const roomIdType = action === 'RemoveUser' ? 'Numeric' : 'String';
    const roomId = body['RoomId'];
    if (roomId === undefined) return this.error('MissingParameter.RoomId', 'RoomId is missing');
    if (roomIdType === 'String' && (typeof roomId !== 'string' || roomId === '')) {
      return this.error('InvalidParameter.RoomId', 'RoomId must be a non-empty string');
    }
    if (roomIdType === 'Numeric' && (typeof roomId !== 'number' || !Number.isInteger(roomId) || roomId < 1 || roomId > NUMERIC_ROOM_MAX)) {
      return this.error('InvalidParameterValue.RoomId', `RoomId must be an integer in [1, ${NUMERIC_ROOM_MAX}]`);
    }
    const userIds = body['UserIds'];
    if (userIds === undefined) return this.error('MissingParameter.UserIds', 'UserIds is missing');
    if (!isStringArray(userIds) || userIds.length === 0 || userIds.length > 10) {
      return this.error('InvalidParameter.UserIds', 'UserIds must hold 1 to 10 strings');
    }
    const room = String(roomId);
    if (!this.rooms.exists(String(sdkAppId), room, roomIdType)) return this.error('FailedOperation.RoomNotExist', 'The room does not exist.');
    this.rooms.remove(String(sdkAppId), room, roomIdType, userIds);
    return this.success();
  }

  private success(): VendorReply {
    const requestId = randomUuid(this.random);
    return { status: 200, body: { Response: { RequestId: requestId } }, code: '', requestId };
  }

  private error(code: string, message: string, headers?: Record<string, string>): VendorReply {
    const requestId = randomUuid(this.random);
    return {
      status: 200,
      body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId } },
      code,
      requestId,
      ...(headers ? { headers } : {}),
    };
  }

  private rateLimited(retryAfterSeconds: number | undefined): VendorReply {
    const headers = retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) };
    return this.error('RequestLimitExceeded', 'Your request is too frequent.', headers);
  }

  protected accountOf(options: RoomOptions): string {
    return String(options.account ?? (this.accounts[0] as TrtcSimulatorAccount).sdkAppId);
  }

  /** RemoveUser addresses numeric rooms, RemoveUserByStrRoomId string ones: the same ID is two rooms. */
  protected override roomIdTypeOf(options: RoomOptions): RoomIdType {
    return options.roomIdType ?? 'String';
  }
}

/** TC3 as the gateway recomputes it: the signed headers' received values, the host without port. */
function tc3Signature(
  secretKey: string,
  request: SimRequest,
  timestamp: number,
  date: string,
  service: string,
  signedHeaderNames: readonly string[],
): string {
  const canonicalHeaders = [...signedHeaderNames]
    .sort()
    .map((name) => `${name}:${canonicalHeaderValue(request, name)}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    request.url.pathname,
    request.url.search.replace(/^\?/, ''),
    canonicalHeaders,
    [...signedHeaderNames].sort().join(';'),
    sha256Hex(request.body),
  ].join('\n');
  const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/${service}/tc3_request`, sha256Hex(canonicalRequest)].join('\n');
  const kDate = createHmac('sha256', `TC3${secretKey}`).update(date).digest();
  const kService = createHmac('sha256', kDate).update(service).digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

function canonicalHeaderValue(request: SimRequest, name: string): string {
  const value = (header(request.headers, name) ?? '').trim().toLowerCase();
  return name === 'host' ? value.replace(/:\d+$/, '') : value;
}

function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
