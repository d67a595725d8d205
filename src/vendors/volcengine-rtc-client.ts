// Volcengine RTC: KickUser, Version 2020-12-01, one user per call, Action/Version in the query,
// signed with Volcengine HMAC-SHA256 (docs/vendors.md#volcengine-rtc).

import { createHash } from 'node:crypto';
import type { UserResult } from '../api/results.ts';
import type { VolcengineRtcCredentials } from '../api/types.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
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
import { removeBatch } from './batch.ts';
import type { CommonClientOptions } from './runtime.ts';
import type { RemovalRequest, VendorClient } from './types.ts';
import { createQuotaCaller, sendPost, type CallAnswer, type VendorCaller } from './vendor-call.ts';
import { VOLCENGINE_CODE_N, VOLCENGINE_RTC_ERRORS } from './volcengine-rtc-errors.ts';
import { VolcengineSigner } from './volcengine-signer.ts';

export const VOLCENGINE_KICK_ACTION = 'KickUser';
export const VOLCENGINE_KICK_VERSION = '2020-12-01';
const CONTENT_TYPE = 'application/json';

export interface VolcengineRtcClientOptions extends CommonClientOptions {
  appId: string;
  /** Signing region, one of VOLCENGINE_RTC_HOSTS (regions.ts). */
  region: string;
  credentials: VolcengineRtcCredentials;
}

export class VolcengineRtcClient implements VendorClient {
  readonly vendor = 'volcengineRTC' as const;
  readonly maxUsersPerCall = VENDOR_RULES.volcengineRTC.usersPerCall;
  readonly bans = undefined;
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
    // All AppIds of one Volcengine account share the quota, so the bucket is keyed by the
    // account's access key (as a fingerprint: key ids do not belong in metric labels).
    this.caller = createQuotaCaller({
      vendor: 'volcengineRTC',
      action: VOLCENGINE_KICK_ACTION,
      account: options.appId,
      quotaAccount: accessKeyFingerprint(options.credentials.accessKeyId),
      requestsPerSecond: options.requestsPerSecond,
      quotaOwner: options.quotaOwner,
      runtime: options.runtime,
      scrubber,
    });
  }

  waitingForRateLimit(): boolean {
    return this.caller.waitingForToken;
  }

  async removeUsers(request: RemovalRequest): Promise<UserResult[]> {
    return removeBatch(request.userIds, this.maxUsersPerCall, async (userIds) => {
      const body = JSON.stringify({ AppId: this.options.appId, RoomId: request.roomId, UserId: userIds[0] });
      return this.caller.call(userIds.length, () => this.send(body));
    });
  }

  /** Signs afresh on every attempt, so a retry after InvalidTimestamp gets a new X-Date. */
  private async send(body: string): Promise<CallAnswer> {
    const signed = this.signer.sign({
      method: 'POST',
      path: this.url.pathname,
      query: { Action: VOLCENGINE_KICK_ACTION, Version: VOLCENGINE_KICK_VERSION },
      // The docs/demos form signs content-type and host; host as sent (with any port).
      headers: { 'Content-Type': CONTENT_TYPE, Host: this.url.host },
      body,
      timeMs: this.options.runtime.clock.now(),
      region: this.options.region,
      service: VOLCENGINE_RTC_SERVICE,
    });
    // undici sets Host itself (from the URL, the value we signed); it must not be sent twice.
    const { Host: _host, ...headers } = signed.headers;
    return this.parse(await sendPost(this.options.runtime, { url: this.url, headers, body }));
  }

  /** Success only when ResponseMetadata.Error is absent, whatever the HTTP status. */
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
