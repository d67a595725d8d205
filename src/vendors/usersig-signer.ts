// Tencent Chat admin UserSig, the TLSSigAPIv2 algorithm (docs/vendors.md#chat-usersig), implemented with
// node:crypto and node:zlib; cross-checked against tls-sig-api-v2 in test/vendors/signers.test.ts.

import { createHmac } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import type { Clock } from './clock.ts';

export interface UserSigFields {
  sdkAppId: number;
  identifier: string;
  /** TLS.time: Unix seconds when the sig was issued. */
  timeSeconds: number;
  /** TLS.expire: seconds of validity from timeSeconds. */
  expireSeconds: number;
}

/** The JSON document inside a UserSig, keys in the Node library's order (docs/vendors.md#chat-usersig step 3). */
export interface UserSigDocument {
  'TLS.ver': string;
  'TLS.identifier': string;
  'TLS.sdkappid': number;
  'TLS.time': number;
  'TLS.expire': number;
  'TLS.sig': string;
}

/** TLS.sig = base64(HMAC-SHA256(key, content)), content = four "name:value\n" lines (docs/vendors.md#chat-usersig steps 1-2). */
export function userSigHmac(key: string, fields: UserSigFields): string {
  const content =
    `TLS.identifier:${fields.identifier}\n` +
    `TLS.sdkappid:${fields.sdkAppId}\n` +
    `TLS.time:${fields.timeSeconds}\n` +
    `TLS.expire:${fields.expireSeconds}\n`;
  return createHmac('sha256', key).update(content, 'utf8').digest('base64');
}

export function generateUserSig(key: string, fields: UserSigFields): string {
  const document: UserSigDocument = {
    'TLS.ver': '2.0',
    'TLS.identifier': fields.identifier,
    'TLS.sdkappid': fields.sdkAppId,
    'TLS.time': fields.timeSeconds,
    'TLS.expire': fields.expireSeconds,
    'TLS.sig': userSigHmac(key, fields),
  };
  // zlib (RFC 1950) framing, default level, then the library's URL-safe substitutions (docs/vendors.md#chat-usersig step 4).
  const compressed = deflateSync(Buffer.from(JSON.stringify(document), 'utf8')).toString('base64');
  return compressed.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

/** Reverses generateUserSig. Throws on anything that is not a UserSig document. */
export function decodeUserSig(userSig: string): UserSigDocument {
  const base64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  const parsed: unknown = JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString('utf8'));
  if (!isUserSigDocument(parsed)) throw new Error('not a UserSig document');
  return parsed;
}

function isUserSigDocument(value: unknown): value is UserSigDocument {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Record<string, unknown>;
  return (
    typeof doc['TLS.ver'] === 'string' &&
    typeof doc['TLS.identifier'] === 'string' &&
    typeof doc['TLS.sdkappid'] === 'number' &&
    typeof doc['TLS.time'] === 'number' &&
    typeof doc['TLS.expire'] === 'number' &&
    typeof doc['TLS.sig'] === 'string'
  );
}

export interface AdminUserSigOptions {
  sdkAppId: number;
  identifier: string;
  key: string;
  clock: Clock;
  /** Validity of each minted sig. A day, as the vendor recommends for sigs (docs/vendors.md#chat-usersig). */
  expireSeconds?: number;
  /** Renew once less than this much validity is left; "well before expiry". */
  renewBeforeSeconds?: number;
}

/**
 * The admin UserSig for one (SDKAppID, identifier), minted from the app key, cached and renewed
 * well before it expires. `invalidate()` forces a fresh one (after 70001/70052, docs/vendors.md#chat-answers-and-errors).
 */
export class AdminUserSig {
  readonly sdkAppId: number;
  readonly identifier: string;
  readonly #key: string;
  readonly #clock: Clock;
  readonly #expireSeconds: number;
  readonly #renewBeforeSeconds: number;
  #current: { userSig: string; expiresAtSeconds: number } | undefined;

  constructor(options: AdminUserSigOptions) {
    this.sdkAppId = options.sdkAppId;
    this.identifier = options.identifier;
    this.#key = options.key;
    this.#clock = options.clock;
    this.#expireSeconds = options.expireSeconds ?? 86_400;
    this.#renewBeforeSeconds = options.renewBeforeSeconds ?? Math.floor(this.#expireSeconds / 2);
  }

  /** A sig with more than renewBeforeSeconds of validity left. */
  current(): string {
    const nowSeconds = Math.floor(this.#clock.now() / 1000);
    const cached = this.#current;
    if (cached !== undefined && cached.expiresAtSeconds - nowSeconds > this.#renewBeforeSeconds) return cached.userSig;
    const userSig = generateUserSig(this.#key, {
      sdkAppId: this.sdkAppId,
      identifier: this.identifier,
      timeSeconds: nowSeconds,
      expireSeconds: this.#expireSeconds,
    });
    this.#current = { userSig, expiresAtSeconds: nowSeconds + this.#expireSeconds };
    return userSig;
  }

  invalidate(): void {
    this.#current = undefined;
  }
}
