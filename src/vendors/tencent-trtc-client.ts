// Tencent TRTC: RemoveUserByStrRoomId (string rooms) and RemoveUser (numeric rooms), API 3.0,
// POST JSON signed with TC3-HMAC-SHA256 (docs/vendors.md#tencent-trtc).

import type { UserResult } from '../api/results.ts';
import type { TencentTrtcCredentials, RoomIdType } from '../api/types.ts';
import { numericRoomId, VENDOR_RULES } from '../api/vendor-rules.ts';
import {
  httpStatusAnswer,
  invalidRequestAnswer,
  isJsonObject,
  malformed,
  parseJsonObject,
  stringField,
  successAnswer,
  vendorCodeAnswer,
} from './answers.ts';
import type { HttpResponse } from './http.ts';
import { SecretScrubber } from './redact.ts';
import { parseEndpoint, TRTC_DEFAULT_HOST, TRTC_SERVICE, trtcRegion } from './regions.ts';
import { removeBatch } from './batch.ts';
import type { CommonClientOptions } from './runtime.ts';
import { Tc3Signer } from './tc3-signer.ts';
import { TENCENT_TRTC_ERRORS } from './tencent-trtc-errors.ts';
import type { CallKind, RemovalRequest, VendorClient } from './types.ts';
import { createQuotaCaller, sendPost, type CallAnswer, type VendorCaller } from './vendor-call.ts';

export const TRTC_VERSION = '2019-07-22';
const RULES = VENDOR_RULES.tencentTRTC;
// The SDK's default; the value signed is exactly the value sent (watch for added charsets).
const CONTENT_TYPE = 'application/json';

type TrtcAction = 'RemoveUserByStrRoomId' | 'RemoveUser';

export interface TencentTrtcClientOptions extends CommonClientOptions {
  sdkAppId: number;
  /** Sent as X-TC-Region; selects the region whose data is operated on. */
  region: string;
  credentials: TencentTrtcCredentials;
}

export class TencentTrtcClient implements VendorClient {
  readonly vendor = 'tencentTRTC' as const;
  readonly maxUsersPerCall = RULES.usersPerCall;
  readonly bans = undefined;
  private readonly options: TencentTrtcClientOptions;
  private readonly region: string;
  private readonly url: URL;
  private readonly signer: Tc3Signer;
  private readonly token: string | undefined;
  private readonly callers: Record<TrtcAction, VendorCaller>;

  /** Throws VendorConfigError for a malformed region or endpoint (see createVendorClient). */
  constructor(options: TencentTrtcClientOptions) {
    this.options = options;
    this.region = trtcRegion(options.region);
    this.url = options.endpoint ? parseEndpoint('tencentTRTC', options.endpoint) : new URL(`https://${TRTC_DEFAULT_HOST}/`);
    this.signer = new Tc3Signer(options.credentials);
    this.token = options.credentials.token === '' ? undefined : options.credentials.token;
    const scrubber = new SecretScrubber([options.credentials.secretKey, options.credentials.token]);
    this.callers = {
      RemoveUserByStrRoomId: this.caller('RemoveUserByStrRoomId', scrubber),
      RemoveUser: this.caller('RemoveUser', scrubber),
    };
  }

  waitingForRateLimit(): boolean {
    return Object.values(this.callers).some((caller) => caller.waitingForToken);
  }

  estimatedWaitMs(kind: CallKind, roomIdType: RoomIdType = 'String'): number {
    if (kind !== 'kick') return 0;
    return this.callers[roomIdType === 'Numeric' ? 'RemoveUser' : 'RemoveUserByStrRoomId'].estimatedWaitMs;
  }

  async removeUsers(request: RemovalRequest): Promise<UserResult[]> {
    const action: TrtcAction = request.roomIdType === 'Numeric' ? 'RemoveUser' : 'RemoveUserByStrRoomId';
    const roomId = action === 'RemoveUser' ? numericRoomId('tencentTRTC', request.roomId) : request.roomId;
    const caller = this.callers[action];
    return removeBatch(request.userIds, this.maxUsersPerCall, async (userIds) => {
      if (roomId === undefined) {
        return invalidRequestAnswer('Request.InvalidRoomId', `numeric room id must be an integer in [1, ${RULES.maxNumericRoomId}]`);
      }
      const body = JSON.stringify({ SdkAppId: this.options.sdkAppId, RoomId: roomId, UserIds: userIds });
      return caller.call(userIds.length, () => this.send(action, body));
    });
  }

  private caller(action: TrtcAction, scrubber: SecretScrubber): VendorCaller {
    const { runtime, sdkAppId, requestsPerSecond, quotaOwner } = this.options;
    // The documented cap holds per action, per SdkAppId.
    return createQuotaCaller({ vendor: 'tencentTRTC', action, account: String(sdkAppId), requestsPerSecond, quotaOwner, runtime, scrubber });
  }

  /** Signs afresh on every attempt, so a re-sign after SignatureExpire gets a new timestamp. */
  private async send(action: TrtcAction, body: string): Promise<CallAnswer> {
    const timestampSeconds = Math.floor(this.options.runtime.clock.now() / 1000);
    const signature = this.signer.sign({
      method: 'POST',
      host: this.url.hostname,
      path: this.url.pathname,
      query: '',
      contentType: CONTENT_TYPE,
      body,
      timestampSeconds,
      service: TRTC_SERVICE,
    });
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPE,
      'X-TC-Action': action,
      'X-TC-Version': TRTC_VERSION,
      'X-TC-Timestamp': String(timestampSeconds),
      'X-TC-Region': this.region,
      Authorization: signature.authorization,
    };
    if (this.token !== undefined) headers['X-TC-Token'] = this.token;
    return this.parse(await sendPost(this.options.runtime, { url: this.url, headers, body }));
  }

  /** Business errors arrive with HTTP 200 in Response.Error; anything else is the gateway. */
  private parse({ status, bodyText, retryAfterMs }: HttpResponse): CallAnswer {
    if (status !== 200) return httpStatusAnswer(status, this.url, retryAfterMs);
    const envelope = parseJsonObject(bodyText, this.url);
    const response = envelope['Response'];
    if (!isJsonObject(response)) throw malformed(this.url, 'no Response object');
    const requestId = stringField(response, 'RequestId') ?? '';
    const error = response['Error'];
    if (error === undefined) return successAnswer(requestId);
    if (!isJsonObject(error)) throw malformed(this.url, 'Response.Error is not an object');
    const code = stringField(error, 'Code') ?? 'UnknownError';
    return vendorCodeAnswer(TENCENT_TRTC_ERRORS, code, stringField(error, 'Message') ?? '', requestId, retryAfterMs);
  }
}
