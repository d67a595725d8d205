// The Tencent Chat REST side every Room Engine call shares (docs/vendors.md#tencent-chat): the
// endpoint, the admin UserSig in the query (re-minted for the one retry after an aged-sig answer),
// the secret scrubber, one caller per wire action, and reading the ErrorCode envelope.

import { randomInt } from 'node:crypto';
import type { TencentChatCredentials } from '../api/types.ts';
import { DEFAULT_REASON, VENDOR_RULES } from '../api/vendor-rules.ts';
import { utf8ByteLength } from '../common/text.ts';
import { httpStatusAnswer, invalidRequestAnswer, isJsonObject, parseJsonObject, stringField, successAnswer, vendorCodeAnswer, type JsonObject } from './answers.ts';
import type { HttpResponse } from './http.ts';
import { SecretScrubber } from './redact.ts';
import { joinPath, parseEndpoint, tencentChatDomain } from './regions.ts';
import type { CommonClientOptions } from './runtime.ts';
import { TENCENT_CHAT_ERRORS } from './tencent-chat-errors.ts';
import { AdminUserSig } from './usersig-signer.ts';
import { createQuotaCaller, sendPost, type CallAnswer, type SendContext, type VendorCaller } from './vendor-call.ts';

/** The Room Engine service every action path is under. */
export const CHAT_SERVICE_PATH = 'v4/room_engine_http_srv';

export interface ChatRestOptions extends CommonClientOptions {
  sdkAppId: number;
  /** A region name from TENCENT_CHAT_DOMAINS (regions.ts). */
  region: string;
  /** An App admin account (the identifier must be an admin). */
  adminIdentifier: string;
  credentials: TencentChatCredentials;
}

/** A CallAnswer and, on success, the answer's JSON (for actions that return data). */
export interface ChatReply {
  answer: CallAnswer;
  body?: JsonObject;
}

export class ChatRest {
  readonly options: ChatRestOptions;
  private readonly base: URL;
  private readonly userSig: AdminUserSig;
  private readonly scrubber: SecretScrubber;

  /** Throws VendorConfigError for an unknown region or a malformed endpoint. */
  constructor(options: ChatRestOptions) {
    this.options = options;
    this.base = options.endpoint ? parseEndpoint('tencentChat', options.endpoint) : new URL(`https://${tencentChatDomain(options.region)}/`);
    this.userSig = new AdminUserSig({
      sdkAppId: options.sdkAppId,
      identifier: options.adminIdentifier,
      key: options.credentials.secretKey,
      clock: options.runtime.clock,
    });
    this.scrubber = new SecretScrubber([options.credentials.secretKey]);
  }

  /** The caller of one action (its own bucket at the action's documented cap). */
  caller(action: string): VendorCaller {
    const { options } = this;
    return createQuotaCaller({
      vendor: 'tencentChat',
      action,
      account: String(options.sdkAppId),
      requestsPerSecond: options.requestsPerSecond,
      quotaOwner: options.quotaOwner,
      runtime: options.runtime,
      scrubber: this.scrubber,
    });
  }

  /** POSTs `body` to `<service>/<action>`; throws only TransportError. */
  async send(action: string, body: string, context: SendContext): Promise<ChatReply> {
    // A retry after 70001/70052 (UserSig expired/invalidated) gets a freshly minted sig.
    if (context.attempt > 0) this.userSig.invalidate();
    const userSig = this.userSig.current();
    this.scrubber.addMinted(userSig);
    const path = joinPath(this.base, `${CHAT_SERVICE_PATH}/${action}`);
    const url = new URL(path.href);
    url.search = new URLSearchParams({
      sdkappid: String(this.options.sdkAppId),
      identifier: this.options.adminIdentifier,
      usersig: userSig,
      // A fresh random 32-bit unsigned integer per request.
      random: String(randomInt(0, 2 ** 32)),
      contenttype: 'json',
    }).toString();
    const headers = { 'Content-Type': 'application/json' };
    return parse(await sendPost(this.options.runtime, { url, headers, body }), path);
  }
}

/** HTTP 200 except for network errors; the result is ErrorCode (0 = success). */
function parse({ status, bodyText, retryAfterMs }: HttpResponse, path: URL): ChatReply {
  // Only the path goes into messages: the real URL carries the UserSig.
  if (status !== 200) return { answer: httpStatusAnswer(status, path, retryAfterMs) };
  const body = parseJsonObject(bodyText, path);
  const requestId = stringField(body, 'RequestId') ?? '';
  const errorCode = body['ErrorCode'];
  if (errorCode === 0) return { answer: successAnswer(requestId), body };
  const code = typeof errorCode === 'number' || typeof errorCode === 'string' ? String(errorCode) : 'UnknownError';
  return { answer: vendorCodeAnswer(TENCENT_CHAT_ERRORS, code, stringField(body, 'ErrorInfo') ?? '', requestId, retryAfterMs) };
}

/**
 * The object an action's data is in. Room Engine pages document answer fields as `Response.<field>`;
 * whether that is a nested `Response` object or the top level is not stated (UNCONFIRMED), so a
 * nested object is read when present, else the top level (docs/vendors.md#bans).
 */
export function responseData(body: JsonObject): JsonObject {
  const nested = body['Response'];
  return isJsonObject(nested) ? nested : body;
}

/** A Reason Chat accepts: mandatory (kick_user_out, ban_room_member), so DEFAULT_REASON when absent or empty. */
export function chatReason(reason: string | undefined): string {
  return reason === undefined || reason === '' ? DEFAULT_REASON : reason;
}

/** The answer for a reason over Chat's limit, or undefined when it fits. */
export function chatReasonProblem(reason: string): CallAnswer | undefined {
  const maxReasonBytes = VENDOR_RULES.tencentChat.maxReasonBytes ?? Infinity;
  if (utf8ByteLength(reason) <= maxReasonBytes) return undefined;
  return invalidRequestAnswer('Request.InvalidReason', `reason exceeds ${maxReasonBytes} bytes`);
}
