// Tencent Chat / TUIRoomKit Room Engine: v4/room_engine_http_srv/kick_user_out, authenticated by
// an admin UserSig in the query string (docs/vendors.md#tencent-chat).

import { randomInt } from 'node:crypto';
import type { UserResult } from '../api/results.ts';
import type { TencentChatCredentials } from '../api/types.ts';
import { DEFAULT_REASON, VENDOR_RULES } from '../api/vendor-rules.ts';
import { utf8ByteLength } from '../common/text.ts';
import {
  httpStatusAnswer,
  invalidRequestAnswer,
  parseJsonObject,
  stringField,
  successAnswer,
  vendorCodeAnswer,
} from './answers.ts';
import type { HttpResponse } from './http.ts';
import { SecretScrubber } from './redact.ts';
import { joinPath, parseEndpoint, tencentChatDomain } from './regions.ts';
import { removeBatch } from './batch.ts';
import type { CommonClientOptions } from './runtime.ts';
import { TENCENT_CHAT_ERRORS } from './tencent-chat-errors.ts';
import type { RemovalRequest, VendorClient } from './types.ts';
import { AdminUserSig } from './usersig-signer.ts';
import { createQuotaCaller, sendPost, type CallAnswer, type SendContext, type VendorCaller } from './vendor-call.ts';

export const CHAT_KICK_PATH = 'v4/room_engine_http_srv/kick_user_out';
export const CHAT_KICK_ACTION = 'kick_user_out';
const RULES = VENDOR_RULES.tencentChat;

export interface TencentChatClientOptions extends CommonClientOptions {
  sdkAppId: number;
  /** A region name from TENCENT_CHAT_DOMAINS (regions.ts). */
  region: string;
  /** An App admin account (the identifier must be an admin). */
  adminIdentifier: string;
  credentials: TencentChatCredentials;
}

export class TencentChatClient implements VendorClient {
  readonly vendor = 'tencentChat' as const;
  readonly maxUsersPerCall = RULES.usersPerCall;
  readonly bans = undefined;
  private readonly options: TencentChatClientOptions;
  private readonly baseUrl: URL;
  private readonly userSig: AdminUserSig;
  private readonly scrubber: SecretScrubber;
  private readonly caller: VendorCaller;

  /** Throws VendorConfigError for an unknown region or a malformed endpoint. */
  constructor(options: TencentChatClientOptions) {
    this.options = options;
    const base = options.endpoint
      ? parseEndpoint('tencentChat', options.endpoint)
      : new URL(`https://${tencentChatDomain(options.region)}/`);
    this.baseUrl = joinPath(base, CHAT_KICK_PATH);
    this.userSig = new AdminUserSig({
      sdkAppId: options.sdkAppId,
      identifier: options.adminIdentifier,
      key: options.credentials.secretKey,
      clock: options.runtime.clock,
    });
    this.scrubber = new SecretScrubber([options.credentials.secretKey]);
    this.caller = createQuotaCaller({
      vendor: 'tencentChat',
      action: CHAT_KICK_ACTION,
      account: String(options.sdkAppId),
      requestsPerSecond: options.requestsPerSecond,
      quotaOwner: options.quotaOwner,
      runtime: options.runtime,
      scrubber: this.scrubber,
    });
  }

  waitingForRateLimit(): boolean {
    return this.caller.waitingForToken;
  }

  async removeUsers(request: RemovalRequest): Promise<UserResult[]> {
    // Reason is mandatory at Chat.
    const reason = request.reason === undefined || request.reason === '' ? DEFAULT_REASON : request.reason;
    const maxReasonBytes = RULES.maxReasonBytes ?? Infinity;
    return removeBatch(request.userIds, this.maxUsersPerCall, async (userIds) => {
      if (utf8ByteLength(reason) > maxReasonBytes) {
        return invalidRequestAnswer('Request.InvalidReason', `reason exceeds ${maxReasonBytes} bytes`);
      }
      const body = JSON.stringify({ RoomId: request.roomId, MemberList_Account: userIds, Reason: reason });
      return this.caller.call(userIds.length, (context) => this.send(body, context));
    });
  }

  private async send(body: string, context: SendContext): Promise<CallAnswer> {
    // A retry after 70001/70052 (UserSig expired/invalidated) gets a freshly minted sig.
    if (context.attempt > 0) this.userSig.invalidate();
    const userSig = this.userSig.current();
    this.scrubber.addMinted(userSig);
    const url = new URL(this.baseUrl.href);
    url.search = new URLSearchParams({
      sdkappid: String(this.options.sdkAppId),
      identifier: this.options.adminIdentifier,
      usersig: userSig,
      // A fresh random 32-bit unsigned integer per request.
      random: String(randomInt(0, 2 ** 32)),
      contenttype: 'json',
    }).toString();
    const headers = { 'Content-Type': 'application/json' };
    return this.parse(await sendPost(this.options.runtime, { url, headers, body }));
  }

  /** HTTP 200 except for network errors; the result is ErrorCode (0 = success). */
  private parse({ status, bodyText, retryAfterMs }: HttpResponse): CallAnswer {
    // Only the path goes into messages: the real URL carries the UserSig.
    if (status !== 200) return httpStatusAnswer(status, this.baseUrl, retryAfterMs);
    const answer = parseJsonObject(bodyText, this.baseUrl);
    const requestId = stringField(answer, 'RequestId') ?? '';
    const errorCode = answer['ErrorCode'];
    if (errorCode === 0) return successAnswer(requestId);
    const code = typeof errorCode === 'number' || typeof errorCode === 'string' ? String(errorCode) : 'UnknownError';
    return vendorCodeAnswer(TENCENT_CHAT_ERRORS, code, stringField(answer, 'ErrorInfo') ?? '', requestId, retryAfterMs);
  }
}
