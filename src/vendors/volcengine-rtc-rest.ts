// The Volcengine RTC OpenAPI side every action shares (docs/vendors.md#volcengine-rtc): the host,
// Action/Version in the query, HMAC-SHA256 signing afresh on every attempt (so a retry after
// InvalidTimestamp gets a new X-Date), one caller per wire action keyed by the account, and reading
// the ResponseMetadata envelope.

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
import type { CommonClientOptions } from './runtime.ts';
import { createQuotaCaller, sendPost, type CallAnswer, type VendorCaller } from './vendor-call.ts';
import { VOLCENGINE_CODE_N, VOLCENGINE_RTC_ERRORS } from './volcengine-rtc-errors.ts';
import { VolcengineSigner } from './volcengine-signer.ts';

const CONTENT_TYPE = 'application/json';

export interface VolcengineRestOptions extends CommonClientOptions {
  appId: string;
  /** Signing region, one of VOLCENGINE_RTC_HOSTS (regions.ts). */
  region: string;
  credentials: VolcengineRtcCredentials;
}

/** A CallAnswer and, on success, the answer's `Result` object (when it has one). */
export interface VolcengineReply {
  answer: CallAnswer;
  result?: JsonObject;
}

export class VolcengineRest {
  readonly options: VolcengineRestOptions;
  private readonly base: URL;
  private readonly signer: VolcengineSigner;
  private readonly scrubber: SecretScrubber;

  /** Throws VendorConfigError for an unknown region or a malformed endpoint. */
  constructor(options: VolcengineRestOptions) {
    this.options = options;
    const host = volcengineRtcHost(options.region);
    this.base = options.endpoint ? parseEndpoint('volcengineRTC', options.endpoint) : new URL(`https://${host}/`);
    this.signer = new VolcengineSigner(options.credentials);
    this.scrubber = new SecretScrubber([options.credentials.secretAccessKey, options.credentials.sessionToken]);
  }

  /**
   * The caller of one action. All AppIds of one Volcengine account share the quota, so the bucket
   * is keyed by the account's access key (as a fingerprint: key ids do not belong in metric labels).
   */
  caller(action: string): VendorCaller {
    const { options } = this;
    return createQuotaCaller({
      vendor: 'volcengineRTC',
      action,
      account: options.appId,
      quotaAccount: accessKeyFingerprint(options.credentials.accessKeyId),
      requestsPerSecond: options.requestsPerSecond,
      quotaOwner: options.quotaOwner,
      runtime: options.runtime,
      scrubber: this.scrubber,
    });
  }

  /** POSTs `body` to `?Action=<action>&Version=<version>`, freshly signed; throws only TransportError. */
  async send(action: string, version: string, body: string): Promise<VolcengineReply> {
    const url = new URL(this.base.href);
    url.search = `Action=${action}&Version=${version}`;
    const signed = this.signer.sign({
      method: 'POST',
      path: url.pathname,
      query: { Action: action, Version: version },
      // The docs/demos form signs content-type and host; host as sent (with any port).
      headers: { 'Content-Type': CONTENT_TYPE, Host: url.host },
      body,
      timeMs: this.options.runtime.clock.now(),
      region: this.options.region,
      service: VOLCENGINE_RTC_SERVICE,
    });
    // undici sets Host itself (from the URL, the value we signed); it must not be sent twice.
    const { Host: _host, ...headers } = signed.headers;
    return parse(await sendPost(this.options.runtime, { url, headers, body }), url);
  }
}

/** Success only when ResponseMetadata.Error is absent, whatever the HTTP status. */
function parse({ status, bodyText, retryAfterMs }: HttpResponse, url: URL): VolcengineReply {
  let envelope: JsonObject;
  try {
    envelope = parseJsonObject(bodyText, url);
  } catch (error) {
    if (status !== 200) return { answer: httpStatusAnswer(status, url, retryAfterMs) };
    throw error;
  }
  const metadata = envelope['ResponseMetadata'];
  if (!isJsonObject(metadata)) {
    if (status !== 200) return { answer: httpStatusAnswer(status, url, retryAfterMs) };
    throw malformed(url, 'no ResponseMetadata object');
  }
  const requestId = stringField(metadata, 'RequestId') ?? '';
  const error = metadata['Error'];
  if (isJsonObject(error)) {
    const code = errorCode(error);
    return { answer: vendorCodeAnswer(VOLCENGINE_RTC_ERRORS, code, stringField(error, 'Message') ?? '', requestId, retryAfterMs) };
  }
  if (status !== 200) return { answer: { ...httpStatusAnswer(status, url, retryAfterMs), requestId } };
  const result = envelope['Result'];
  return isJsonObject(result) ? { answer: successAnswer(requestId), result } : { answer: successAnswer(requestId) };
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
