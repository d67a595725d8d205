// The one HTTP stack of the vendor boundary (docs/vendors.md#the-boundary): undici, with a
// keep-alive pool per origin (undici's Agent keeps one Pool per origin), connect/headers/body
// timeouts and an overall deadline on every call. Every failure leaves this module as a
// TransportError with a message that names only the redacted URL.

import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';
import { MAX_RETRY_AFTER_MS } from '../common/backoff.ts';
import type { Clock } from './clock.ts';
import { TransportError, type TransportCode } from './errors.ts';
import { redactUrl } from './redact.ts';

export interface HttpTimeouts {
  /** TCP + TLS handshake. */
  connectMs: number;
  /** From request sent to response headers received. */
  headersMs: number;
  /** Maximum gap between response body chunks. */
  bodyMs: number;
  /** The whole call, whatever stage it is in. */
  totalMs: number;
}

// Chat's REST server gives up after 3 s (docs/vendors.md#chat-endpoints-and-regions), so our limits sit above that.
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  connectMs: 5_000,
  headersMs: 10_000,
  bodyMs: 10_000,
  totalMs: 15_000,
};

export interface HttpTransportOptions {
  clock: Clock;
  timeouts?: Partial<HttpTimeouts>;
  /** Sockets kept per origin. */
  connectionsPerOrigin?: number;
  keepAliveMs?: number;
  /** Answers larger than this are refused as malformed (vendor answers are tiny). */
  maxResponseBytes?: number;
  /** Extra trusted CA (PEM) added to Node's roots, e.g. a sandbox's certificate. Never disables verification. */
  extraCaPem?: string;
}

export interface HttpRequest {
  url: URL;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

export interface HttpResponse {
  status: number;
  bodyText: string;
  /** From a Retry-After header, if any. */
  retryAfterMs?: number;
}

export class HttpTransport {
  readonly timeouts: HttpTimeouts;
  private readonly clock: Clock;
  private readonly agent: Agent;
  private readonly maxResponseBytes: number;

  constructor(options: HttpTransportOptions) {
    this.clock = options.clock;
    this.timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    const ca = options.extraCaPem === undefined ? undefined : [...rootCertificates, options.extraCaPem];
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 64,
      keepAliveTimeout: options.keepAliveMs ?? 30_000,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      connect: { timeout: this.timeouts.connectMs, rejectUnauthorized: true, ...(ca ? { ca } : {}) },
    });
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const deadline = AbortSignal.timeout(this.timeouts.totalMs);
    try {
      const response = await request(req.url, {
        dispatcher: this.agent,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: deadline,
      });
      const bodyText = await this.readBody(response.body, req.url);
      const retryAfterMs = parseRetryAfter(headerValue(response.headers['retry-after']), this.clock.now());
      return { status: response.statusCode, bodyText, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw classifyTransportError(error, { url: req.url, deadlinePassed: deadline.aborted });
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async readBody(body: AsyncIterable<Buffer>, url: URL): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.maxResponseBytes) {
        throw new TransportError(
          'Transport.MalformedResponse',
          `response from ${redactUrl(url)} exceeds ${this.maxResponseBytes} bytes`,
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms, at most
 * MAX_RETRY_AFTER_MS (the one bound on every Retry-After the operator honours).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), MAX_RETRY_AFTER_MS);
}

interface FailureContext {
  url: URL;
  deadlinePassed: boolean;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TLS_CODE_PATTERN = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|HOSTNAME_MISMATCH/;

/** Maps anything undici or Node throws to a TransportError. */
export function classifyTransportError(error: unknown, context: FailureContext): TransportError {
  const where = redactUrl(context.url);
  if (context.deadlinePassed) return new TransportError('Transport.Timeout', `call to ${where} timed out`);
  const codes = errorCodes(error);
  const code = transportCodeFor(codes);
  const detail = codes.length > 0 ? ` (${codes.join(', ')})` : '';
  return new TransportError(code, `${TRANSPORT_DESCRIPTIONS[code]} calling ${where}${detail}`);
}

function transportCodeFor(codes: readonly string[]): TransportCode {
  if (codes.some((c) => TLS_CODE_PATTERN.test(c))) return 'Transport.Tls';
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return 'Transport.Timeout';
  if (codes.some((c) => DNS_CODES.has(c))) return 'Transport.Dns';
  if (codes.includes('ECONNREFUSED')) return 'Transport.ConnectionRefused';
  if (codes.some((c) => RESET_CODES.has(c))) return 'Transport.ConnectionReset';
  if (codes.includes('UND_ERR_ABORTED') || codes.includes('AbortError')) return 'Transport.Aborted';
  if (codes.includes('UND_ERR_INVALID_ARG') || codes.includes('ERR_INVALID_CHAR') || codes.includes('ERR_INVALID_ARG_VALUE')) return 'Transport.InvalidRequest';
  return 'Transport.Socket';
}

const TRANSPORT_DESCRIPTIONS: Record<TransportCode, string> = {
  'Transport.Timeout': 'timed out',
  'Transport.ConnectionReset': 'connection reset',
  'Transport.ConnectionRefused': 'connection refused',
  'Transport.Dns': 'host name did not resolve',
  'Transport.Tls': 'TLS handshake or certificate verification failed',
  'Transport.MalformedResponse': 'malformed response',
  'Transport.Aborted': 'aborted',
  'Transport.InvalidRequest': 'request refused by the HTTP client before sending (an invalid header or argument)',
  'Transport.Socket': 'socket error',
};

/** `code` values (and AbortError names) along the error's cause chain; only identifiers, no text. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) codes.push(code);
    if (current.name === 'AbortError') codes.push('AbortError');
    if (current instanceof AggregateError) {
      for (const inner of current.errors) codes.push(...errorCodes(inner));
    }
    current = current.cause;
  }
  return [...new Set(codes)];
}
