// One vendor call, the same way for every vendor: wait for a token, send, turn whatever happened
// into a CallAnswer, re-sign and retry once when the vendor says the signature aged, report to the
// observer and the logger, and slow the bucket after a rate-limit answer.

import type { VendorName } from '../api/types.ts';
import { TransportError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import { SecretScrubber, truncateMessage } from './redact.ts';
import { effectiveRate, type VendorRuntime } from './runtime.ts';
import type { TokenBucket } from './token-bucket.ts';
import type { RemovalOutcome } from './types.ts';

/** What one vendor call decided for every user in it. */
export interface CallAnswer {
  outcome: RemovalOutcome;
  /** Vendor code ("" on success), "HTTP.<status>", "Transport.*" or "Request.*". */
  code: string;
  message: string;
  requestId: string;
  retryAfterMs?: number;
  /** A rate-limit answer. */
  throttle?: boolean;
  /** Credentials aged out; worth one re-signed retry. */
  resign?: boolean;
}

export interface SendContext {
  /** 0 for the first attempt, 1 for the re-signed retry. */
  attempt: number;
  signal: AbortSignal | undefined;
}

/** Builds, signs and sends one request; throws only TransportError. */
export type SendOnce = (context: SendContext) => Promise<CallAnswer>;

export interface VendorCallerOptions {
  vendor: VendorName;
  action: string;
  /** The account as reported to the observer and logs (SdkAppId / AppId). */
  account: string;
  bucket: TokenBucket;
  runtime: VendorRuntime;
  scrubber: SecretScrubber;
}

export interface QuotaCallerOptions {
  vendor: VendorName;
  action: string;
  /** The account as reported to the observer and logs (SdkAppId / AppId). */
  account: string;
  /** The key the vendor counts its quota by, when it is not `account`. */
  quotaAccount?: string;
  /** The client's configured rate; undefined for the documented cap. */
  requestsPerSecond: number | undefined;
  runtime: VendorRuntime;
  scrubber: SecretScrubber;
}

/** A caller paced by the runtime's bucket for the vendor's quota key, at the client's effective rate. */
export function createQuotaCaller(options: QuotaCallerOptions): VendorCaller {
  const { vendor, action, account, quotaAccount, requestsPerSecond, runtime, scrubber } = options;
  const bucket = runtime.limiters.bucket(
    { vendor, action, account: quotaAccount ?? account },
    effectiveRate(runtime, vendor, requestsPerSecond),
  );
  return new VendorCaller({ vendor, action, account, bucket, runtime, scrubber });
}

/** Sends one attempt's POST; the attempt's signal aborts it. */
export function sendPost(
  runtime: VendorRuntime,
  request: Pick<HttpRequest, 'url' | 'headers' | 'body'>,
  context: SendContext,
): Promise<HttpResponse> {
  return runtime.http.send({
    url: request.url,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    ...(context.signal ? { signal: context.signal } : {}),
  });
}

export class VendorCaller {
  private readonly options: VendorCallerOptions;

  constructor(options: VendorCallerOptions) {
    this.options = options;
  }

  /** True while calls are queued for a token of this caller's bucket. */
  get waitingForToken(): boolean {
    return this.options.bucket.queued > 0;
  }

  /**
   * Rejects (with the signal's reason) only when the signal aborts before the first attempt is
   * sent. Any later failure is an answer.
   */
  async call(userCount: number, send: SendOnce, signal?: AbortSignal): Promise<CallAnswer> {
    await this.waitForToken(signal);
    const first = await this.attempt(userCount, send, { attempt: 0, signal });
    if (first.resign !== true) return first;
    try {
      await this.waitForToken(signal);
    } catch {
      return first;
    }
    const second = await this.attempt(userCount, send, { attempt: 1, signal });
    // The retry's answer stands; a second "expired" is final (clock skew needs a human).
    return { ...second, resign: false };
  }

  private async waitForToken(signal: AbortSignal | undefined): Promise<void> {
    const { bucket, runtime, vendor, action } = this.options;
    const waitedMs = await bucket.take(signal);
    runtime.observer.onLimiterWait?.(vendor, action, waitedMs);
  }

  private async attempt(userCount: number, send: SendOnce, context: SendContext): Promise<CallAnswer> {
    const { runtime } = this.options;
    const startedAt = runtime.clock.now();
    const answer = this.sanitize(await sendSafely(send, context));
    const durationMs = runtime.clock.now() - startedAt;
    this.report(answer, userCount, durationMs);
    return answer;
  }

  private sanitize(answer: CallAnswer): CallAnswer {
    const { scrubber } = this.options;
    return {
      ...answer,
      code: scrubber.scrub(answer.code),
      message: truncateMessage(scrubber.scrub(answer.message)),
      requestId: scrubber.scrub(answer.requestId),
    };
  }

  private report(answer: CallAnswer, users: number, durationMs: number): void {
    const { vendor, action, account, runtime, bucket } = this.options;
    runtime.observer.onCall?.({
      vendor,
      action,
      account,
      outcome: answer.outcome,
      code: answer.code,
      requestId: answer.requestId,
      users,
      durationMs,
    });
    if (answer.throttle === true) {
      runtime.limiters.throttled(bucket, answer.retryAfterMs);
      runtime.observer.onThrottled?.(vendor, action, account);
    }
    const fields = { vendor, action, account, outcome: answer.outcome, code: answer.code, requestId: answer.requestId, users, durationMs };
    if (answer.outcome === 'Removed') runtime.logger?.debug(fields, 'vendor call succeeded');
    else runtime.logger?.warn({ ...fields, message: answer.message }, 'vendor call did not succeed');
  }
}

async function sendSafely(send: SendOnce, context: SendContext): Promise<CallAnswer> {
  try {
    return await send(context);
  } catch (error) {
    if (error instanceof TransportError) {
      return { outcome: error.outcome, code: error.code, message: error.message, requestId: '' };
    }
    // A bug in our own request building must still not escape as an untyped exception; it will
    // not fix itself, so it is Terminal and visible rather than retried forever.
    const name = error instanceof Error ? error.name : typeof error;
    return { outcome: 'Terminal', code: 'Client.Internal', message: `internal client error (${name})`, requestId: '' };
  }
}
