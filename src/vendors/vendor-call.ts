// One vendor call, the same way for every vendor: wait for a token, send, turn whatever happened
// into a CallAnswer, re-sign and retry once when the vendor says the signature aged, report to the
// observer and the logger, and slow the account's bucket after a rate-limit answer.

import type { VendorName } from '../api/types.ts';
import { TransportError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import { MAX_USER_MESSAGE_CHARS } from '../api/bounds.ts';
import type { RemovalOutcome } from '../api/results.ts';
import { truncateChars } from '../common/text.ts';
import type { SecretScrubber } from './redact.ts';
import type { ProviderQuota } from './provider-quota.ts';
import type { VendorRuntime } from './runtime.ts';

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
  /** Terminal about the account, not the users: see ErrorRule.accountWide. */
  accountWide?: boolean;
}

export interface SendContext {
  /** 0 for the first attempt, 1 for the re-signed retry. */
  attempt: number;
}

/** Builds, signs and sends one request; throws only TransportError. */
export type SendOnce = (context: SendContext) => Promise<CallAnswer>;

export interface VendorCallerOptions {
  vendor: VendorName;
  action: string;
  /** The account as reported to the observer and logs (SdkAppId / AppId). */
  account: string;
  quota: ProviderQuota;
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
  /** The provider's `rateLimit` (its own bucket); undefined for none. */
  requestsPerSecond: number | undefined;
  /** The provider the client belongs to (see CommonClientOptions.quotaOwner). */
  quotaOwner: string | undefined;
  runtime: VendorRuntime;
  scrubber: SecretScrubber;
}

/**
 * A caller paced by the provider's own bucket (its `rateLimit`), nested under the account's shared
 * bucket at the documented cap of `action`, where the provider takes turns with the account's other
 * providers. Each action has its own pair of buckets: a provider's `rateLimit` applies to each of its
 * actions separately (docs/vendors.md#bans).
 */
export function createQuotaCaller(options: QuotaCallerOptions): VendorCaller {
  const { vendor, action, account, quotaAccount, requestsPerSecond, quotaOwner, runtime, scrubber } = options;
  const quota = runtime.limiters.quota(
    { vendor, action, account: quotaAccount ?? account },
    { owner: quotaOwner ?? '', capPerSecond: runtime.capFor(vendor, action), ...(requestsPerSecond !== undefined ? { ownPerSecond: requestsPerSecond } : {}) },
  );
  return new VendorCaller({ vendor, action, account, quota, runtime, scrubber });
}

/** Sends one attempt's POST. */
export function sendPost(runtime: VendorRuntime, request: Pick<HttpRequest, 'url' | 'headers' | 'body'>): Promise<HttpResponse> {
  return runtime.http.send({ url: request.url, method: 'POST', headers: request.headers, body: request.body });
}

export class VendorCaller {
  private readonly options: VendorCallerOptions;

  constructor(options: VendorCallerOptions) {
    this.options = options;
  }

  /** True while calls of this caller's provider are queued for a token. */
  get waitingForToken(): boolean {
    return this.options.quota.waiting;
  }

  /** How long a call made now would wait for its token, in ms (an estimate). */
  get estimatedWaitMs(): number {
    return this.options.quota.estimatedWaitMs();
  }

  /** Never rejects: every failure is an answer. */
  async call(userCount: number, send: SendOnce): Promise<CallAnswer> {
    await this.waitForToken();
    const first = await this.attempt(userCount, send, { attempt: 0 });
    if (first.resign !== true) return first;
    await this.waitForToken();
    const second = await this.attempt(userCount, send, { attempt: 1 });
    // The retry's answer stands; a second "expired" is final (clock skew needs a human).
    return { ...second, resign: false };
  }

  private async waitForToken(): Promise<void> {
    const { quota, runtime, vendor, action } = this.options;
    const waitedMs = await quota.take();
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
      message: truncateChars(scrubber.scrub(answer.message), MAX_USER_MESSAGE_CHARS),
      requestId: scrubber.scrub(answer.requestId),
    };
  }

  private report(answer: CallAnswer, users: number, durationMs: number): void {
    const { vendor, action, account, runtime, quota } = this.options;
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
      // The vendor counts the account: slow the shared bucket, whoever's call it was.
      runtime.limiters.throttled(quota.shared, answer.retryAfterMs);
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
      return { outcome: error.outcome, code: error.code, message: error.message, requestId: '', ...(error.accountWide ? { accountWide: true } : {}) };
    }
    // A bug in our own request building must still not escape as an untyped exception; it will
    // not fix itself, so it is Terminal and visible rather than retried forever.
    const name = error instanceof Error ? error.name : typeof error;
    return { outcome: 'Terminal', code: 'Client.Internal', message: `internal client error (${name})`, requestId: '' };
  }
}
