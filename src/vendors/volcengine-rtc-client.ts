// Volcengine RTC: KickUser, Version 2020-12-01, one user per call, Action/Version in the query,
// signed with Volcengine HMAC-SHA256 (vendor-apis.md §3.2-§3.5).

import { createHash } from 'node:crypto';
import type { VolcengineRtcCredentials } from '../api/types.ts';
import {
  httpStatusAnswer,
  isJsonObject,
  malformed,
  parseJsonObject,
  stringField,
  successAnswer,
  vendorCodeAnswer,
  type JsonObject,
} from './answers.ts';
import type { HttpResponse } from './http.ts';
import { SecretScrubber } from './redact.ts';
import { parseEndpoint, VOLCENGINE_RTC_SERVICE, volcengineRtcHost } from './regions.ts';
import { removeInBatches } from './removal-runner.ts';
import type { CommonClientOptions } from './runtime.ts';
import type { RemovalRequest, UserResult, VendorClient } from './types.ts';
import { createQuotaCaller, sendPost, type CallAnswer, type SendContext, type VendorCaller } from './vendor-call.ts';
import { VOLCENGINE_CODE_N, VOLCENGINE_RTC_ERRORS } from './volcengine-rtc-errors.ts';
import { VolcengineSigner } from './volcengine-signer.ts';

export const VOLCENGINE_KICK_ACTION = 'KickUser';
export const VOLCENGINE_KICK_VERSION = '2020-12-01';
/** KickUser takes one UserId. */
export const VOLCENGINE_MAX_USERS_PER_CALL = 1;
const CONTENT_TYPE = 'application/json';

export interface VolcengineRtcClientOptions extends CommonClientOptions {
  appId: string;
  /** Signing region, one of VOLCENGINE_RTC_HOSTS (regions.ts). */
  region: string;
  credentials: VolcengineRtcCredentials;
}

export class VolcengineRtcClient implements VendorClient {
  readonly vendor = 'volcengineRTC' as const;
  readonly maxUsersPerCall = VOLCENGINE_MAX_USERS_PER_CALL;
  private readonly options: VolcengineRtcClientOptions;
  private readonly url: URL;
  private readonly signer: VolcengineSigner;
  private readonly caller: VendorCaller;

  /** Throws VendorConfigError for an unknown region or a malformed endpoint. */
  constructor(options: VolcengineRtcClientOptions) {
    this.options = options;
    const host = volcengineRtcHost(options.region);
    const base = options.endpoint ? parseEndpoint('volcengineRTC', options.endpoint) : new URL(`https://${host}/`);
    this.url = new URL(base.href);
    this.url.search = `Action=${VOLCENGINE_KICK_ACTION}&Version=${VOLCENGINE_KICK_VERSION}`;
    this.signer = new VolcengineSigner(options.credentials);
    const scrubber = new SecretScrubber([options.credentials.secretAccessKey, options.credentials.sessionToken]);
    // §3.1: all AppIds of one Volcengine account share the quota, so the bucket is keyed by the
    // account's access key (as a fingerprint: key ids do not belong in metric labels).
    this.caller = createQuotaCaller({
      vendor: 'volcengineRTC',
      action: VOLCENGINE_KICK_ACTION,
      account: options.appId,
      quotaAccount: accessKeyFingerprint(options.credentials.accessKeyId),
      requestsPerSecond: options.requestsPerSecond,
      runtime: options.runtime,
      scrubber,
    });
  }

  waitingForRateLimit(): boolean {
    return this.caller.waitingForToken;
  }

  async removeUsers(request: RemovalRequest, signal?: AbortSignal): Promise<UserResult[]> {
    return removeInBatches({
      userIds: request.userIds,
      maxUsersPerCall: VOLCENGINE_MAX_USERS_PER_CALL,
      maxConcurrentCalls: this.options.runtime.maxConcurrentCallsPerRequest,
      signal,
      callBatch: async (userIds, batchSignal) => {
        const body = JSON.stringify({ AppId: this.options.appId, RoomId: request.roomId, UserId: userIds[0] });
        return this.caller.call(userIds.length, (context) => this.send(body, context), batchSignal);
      },
    });
  }

  /** Signs afresh on every attempt, so a retry after InvalidTimestamp gets a new X-Date. */
  private async send(body: string, context: SendContext): Promise<CallAnswer> {
    const signed = this.signer.sign({
      method: 'POST',
      path: this.url.pathname,
      query: { Action: VOLCENGINE_KICK_ACTION, Version: VOLCENGINE_KICK_VERSION },
      // §3.3: the docs/demos form signs content-type and host; host as sent (with any port).
      headers: { 'Content-Type': CONTENT_TYPE, Host: this.url.host },
      body,
      timeMs: this.options.runtime.clock.now(),
      region: this.options.region,
      service: VOLCENGINE_RTC_SERVICE,
    });
    // undici sets Host itself (from the URL, the value we signed); it must not be sent twice.
    const { Host: _host, ...headers } = signed.headers;
    return this.parse(await sendPost(this.options.runtime, { url: this.url, headers, body }, context));
  }

  /** §3.4: success only when ResponseMetadata.Error is absent, whatever the HTTP status. */
  private parse({ status, bodyText, retryAfterMs }: HttpResponse): CallAnswer {
    let envelope: JsonObject;
    try {
      envelope = parseJsonObject(bodyText, this.url);
    } catch (error) {
      if (status !== 200) return httpStatusAnswer(status, this.url, retryAfterMs);
      throw error;
    }
    const metadata = envelope['ResponseMetadata'];
    if (!isJsonObject(metadata)) {
      if (status !== 200) return httpStatusAnswer(status, this.url, retryAfterMs);
      throw malformed(this.url, 'no ResponseMetadata object');
    }
    const requestId = stringField(metadata, 'RequestId') ?? '';
    const error = metadata['Error'];
    if (isJsonObject(error)) {
      const code = errorCode(error);
      return vendorCodeAnswer(VOLCENGINE_RTC_ERRORS, code, stringField(error, 'Message') ?? '', requestId, retryAfterMs);
    }
    if (status !== 200) return { ...httpStatusAnswer(status, this.url, retryAfterMs), requestId };
    return successAnswer(requestId);
  }
}

function errorCode(error: JsonObject): string {
  const code = stringField(error, 'Code');
  if (code !== undefined && code !== '') return code;
  const codeN = error['CodeN'];
  if (typeof codeN === 'number') return VOLCENGINE_CODE_N[codeN] ?? String(codeN);
  return 'UnknownError';
}

export function accessKeyFingerprint(accessKeyId: string): string {
  return `ak-${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 12)}`;
}
