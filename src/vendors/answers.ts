// Building CallAnswers from what a vendor sent back: a success, a vendor code looked up in the
// vendor's table, or an HTTP status that carried no code we could read.

import type { ErrorCodeTable } from './error-table.ts';
import { httpStatusCode, outcomeForHttpStatus, TransportError } from './errors.ts';
import { redactUrl } from './redact.ts';
import type { CallAnswer } from './vendor-call.ts';

export function successAnswer(requestId: string): CallAnswer {
  return { outcome: 'Removed', code: '', message: '', requestId };
}

export function vendorCodeAnswer(
  table: ErrorCodeTable,
  code: string,
  message: string,
  requestId: string,
  retryAfterMs?: number,
): CallAnswer {
  const rule = table.classify(code);
  const answer: CallAnswer = { outcome: rule.outcome, code, message, requestId };
  const wait = Math.max(retryAfterMs ?? 0, rule.minRetryAfterMs ?? 0);
  if (wait > 0) answer.retryAfterMs = wait;
  if (rule.throttle === true) answer.throttle = true;
  if (rule.resign === true) answer.resign = true;
  if (rule.accountWide === true) answer.accountWide = true;
  return answer;
}

const ACCOUNT_WIDE_HTTP: ReadonlySet<number> = new Set([401, 403, 404, 405]);

export function httpStatusAnswer(status: number, url: URL, retryAfterMs?: number): CallAnswer {
  const answer: CallAnswer = {
    outcome: outcomeForHttpStatus(status),
    code: httpStatusCode(status),
    message: `HTTP ${status} from ${redactUrl(url)}`,
    requestId: '',
  };
  if (retryAfterMs !== undefined) answer.retryAfterMs = retryAfterMs;
  // 429 is a rate-limit answer whatever the vendor: slow the bucket down too.
  if (status === 429) answer.throttle = true;
  // Refused credentials, or an endpoint without this API: every call of the account gets the same.
  if (ACCOUNT_WIDE_HTTP.has(status)) answer.accountWide = true;
  return answer;
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON object or throws a Transport.MalformedResponse naming the redacted URL. */
export function parseJsonObject(text: string, url: URL): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed(url, 'body is not JSON');
  }
  if (!isJsonObject(parsed)) throw malformed(url, 'body is not a JSON object');
  return parsed;
}

export function malformed(url: URL, why: string): TransportError {
  return new TransportError('Transport.MalformedResponse', `malformed response from ${redactUrl(url)}: ${why}`);
}

export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** A request we refuse to send, because the vendor would reject it anyway. Always Terminal, about these users. */
export function invalidRequestAnswer(code: string, message: string): CallAnswer {
  return { outcome: 'Terminal', code, message, requestId: '' };
}
