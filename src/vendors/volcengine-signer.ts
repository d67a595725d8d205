// Volcengine OpenAPI HMAC-SHA256 request signing (docs/vendors.md#volcengine-signing), with node:crypto.
// Signs every header it is given plus x-date, x-content-sha256 and (with STS) x-security-token.
// Our client passes content-type and host (the docs/demos form); the official Node SDK passes
// neither, and test/vendors/signers.test.ts feeds this signer the SDK's header set to compare.

import { createHash, createHmac } from 'node:crypto';

export interface VolcengineCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface VolcengineRequest {
  method: string;
  path: string;
  query: Readonly<Record<string, string>>;
  /** Headers to sign besides the ones the signer adds (names in any case). */
  headers: Readonly<Record<string, string>>;
  body: string | Buffer;
  /** Signing time, ms since the epoch. */
  timeMs: number;
  region: string;
  service: string;
}

export interface VolcengineSignature {
  /** Every header to send: the ones given, plus X-Date, X-Content-Sha256, X-Security-Token, Authorization. */
  headers: Record<string, string>;
  signature: string;
  signedHeaders: string;
  canonicalRequest: string;
  hashedCanonicalRequest: string;
}

export const VOLCENGINE_ALGORITHM = 'HMAC-SHA256';

export class VolcengineSigner {
  readonly accessKeyId: string;
  readonly #secretAccessKey: string;
  readonly #sessionToken: string | undefined;

  constructor(credentials: VolcengineCredentials) {
    this.accessKeyId = credentials.accessKeyId;
    this.#secretAccessKey = credentials.secretAccessKey;
    this.#sessionToken = credentials.sessionToken === '' ? undefined : credentials.sessionToken;
  }

  sign(request: VolcengineRequest): VolcengineSignature {
    const xDate = volcengineDateTime(request.timeMs);
    const shortDate = xDate.slice(0, 8);
    const contentSha256 = sha256Hex(request.body);
    const headers: Record<string, string> = { ...request.headers, 'X-Date': xDate, 'X-Content-Sha256': contentSha256 };
    // docs/vendors.md#volcengine-signing: an STS token travels in X-Security-Token and must then be signed.
    if (this.#sessionToken !== undefined) headers['X-Security-Token'] = this.#sessionToken;

    const { canonicalHeaders, signedHeaders } = canonicalizeHeaders(headers);
    const canonicalRequest = [
      request.method.toUpperCase(),
      request.path,
      canonicalQueryString(request.query),
      `${canonicalHeaders}\n`,
      signedHeaders,
      contentSha256,
    ].join('\n');
    const hashedCanonicalRequest = sha256Hex(canonicalRequest);
    const credentialScope = `${shortDate}/${request.region}/${request.service}/request`;
    const stringToSign = [VOLCENGINE_ALGORITHM, xDate, credentialScope, hashedCanonicalRequest].join('\n');
    const signingKey = deriveSigningKey(this.#secretAccessKey, shortDate, request.region, request.service);
    const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
    headers['Authorization'] =
      `${VOLCENGINE_ALGORITHM} Credential=${this.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return { headers, signature, signedHeaders, canonicalRequest, hashedCanonicalRequest };
  }
}

/** docs/vendors.md#volcengine-signing step 4: no prefix on the secret (unlike TC3). */
function deriveSigningKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const kDate = hmac(secret, shortDate);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'request');
}

/** X-Date: UTC YYYYMMDD'T'HHMMSS'Z'. */
export function volcengineDateTime(timeMs: number): string {
  return new Date(timeMs).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/** Sorted by lowercase name; values trimmed with inner whitespace runs collapsed (as the SDK does). */
export function canonicalizeHeaders(headers: Readonly<Record<string, string>>): {
  canonicalHeaders: string;
  signedHeaders: string;
} {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.replace(/\s+/g, ' ').trim()] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    canonicalHeaders: entries.map(([name, value]) => `${name}:${value}`).join('\n'),
    signedHeaders: entries.map(([name]) => name).join(';'),
  };
}

/** RFC 3986-encoded names and values, sorted by name (docs/vendors.md#volcengine-signing step 1). */
export function canonicalQueryString(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${rfc3986(name)}=${rfc3986(query[name] ?? '')}`)
    .join('&');
}

export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
