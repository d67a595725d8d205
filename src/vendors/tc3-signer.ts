// TencentCloud API 3.0 request signing, TC3-HMAC-SHA256 (docs/vendors.md#trtc-signing), with node:crypto.
// Mirrors the official SDK's Sign.sign3 (docs/vendors.md#trtc-signing): signs exactly `content-type;host`, host without
// port, UTC date of the timestamp. Cross-checked against the SDK in test/vendors/signers.test.ts.

import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
}

export interface Tc3Request {
  method: string;
  /** Host name without port (what the SDK signs: `new URL(url).hostname`). */
  host: string;
  /** Canonical URI; always "/" for API 3.0. */
  path: string;
  /** Query string without "?"; "" for POST. */
  query: string;
  /** Exactly the Content-Type header value that is sent. */
  contentType: string;
  body: string | Buffer;
  /** The X-TC-Timestamp value, Unix seconds. */
  timestampSeconds: number;
  /** Credential-scope service, e.g. "trtc" (the first label of the product domain). */
  service: string;
}

export interface Tc3Signature {
  authorization: string;
  signature: string;
  credentialScope: string;
  signedHeaders: string;
  canonicalRequest: string;
  hashedCanonicalRequest: string;
}

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
const SIGNED_HEADERS = 'content-type;host';

export class Tc3Signer {
  readonly secretId: string;
  // A private field: never enumerated, so logging a client never prints the key.
  readonly #secretKey: string;
  /**
   * The derived signing key of the last date and service. It changes once a day, so it is derived
   * once, not per request, and held as a KeyObject: on Node 24 an HMAC keyed by a KeyObject costs a
   * tenth of one keyed by a Buffer (the key checks of createHmac), which was most of a call's CPU.
   */
  #signingKey: { scope: string; key: KeyObject } | undefined;

  constructor(credentials: Tc3Credentials) {
    this.secretId = credentials.secretId;
    this.#secretKey = credentials.secretKey;
  }

  sign(request: Tc3Request): Tc3Signature {
    const canonicalRequest = tc3CanonicalRequest(request);
    const hashedCanonicalRequest = sha256Hex(canonicalRequest);
    const date = utcDate(request.timestampSeconds);
    const credentialScope = `${date}/${request.service}/tc3_request`;
    const stringToSign = [TC3_ALGORITHM, String(request.timestampSeconds), credentialScope, hashedCanonicalRequest].join(
      '\n',
    );
    const signature = createHmac('sha256', this.#signingKeyFor(date, request.service)).update(stringToSign, 'utf8').digest('hex');
    const authorization = `${TC3_ALGORITHM} Credential=${this.secretId}/${credentialScope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
    return { authorization, signature, credentialScope, signedHeaders: SIGNED_HEADERS, canonicalRequest, hashedCanonicalRequest };
  }

  /** docs/vendors.md#trtc-signing step 3: kDate, kService, kSigning, for one date and service. */
  #signingKeyFor(date: string, service: string): KeyObject {
    const scope = `${date}/${service}`;
    if (this.#signingKey?.scope !== scope) {
      const kDate = hmac(`TC3${this.#secretKey}`, date);
      const kService = hmac(kDate, service);
      this.#signingKey = { scope, key: createSecretKey(hmac(kService, 'tc3_request')) };
    }
    return this.#signingKey.key;
  }
}

/** docs/vendors.md#trtc-signing step 1. Each header line ends in "\n" and is then joined by "\n": a blank line by design. */
export function tc3CanonicalRequest(request: Tc3Request): string {
  const canonicalHeaders = `content-type:${request.contentType.trim().toLowerCase()}\nhost:${request.host.trim().toLowerCase()}\n`;
  return [
    request.method.toUpperCase(),
    request.path,
    request.query,
    canonicalHeaders,
    SIGNED_HEADERS,
    sha256Hex(request.body),
  ].join('\n');
}

/** YYYY-MM-DD in UTC: a local-time date fails around midnight (docs/vendors.md#trtc-signing step 2). */
export function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
