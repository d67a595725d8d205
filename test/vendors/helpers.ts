// Shared pieces of the vendor tests: seeded random inputs, runtimes with short timeouts, a log
// capture, and one fixture per vendor (simulator + matching client) so contract tests can run the
// same assertions against all three.

import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { VendorName } from '../../src/api/types.ts';
import {
  startChatSimulator,
  startTrtcSimulator,
  startVolcengineSimulator,
  type VendorSimulator,
} from '../../src/sandbox/index.ts';
import { mulberry32 } from '../../src/sandbox/prng.ts';
import type { ErrorCodeTable } from '../../src/vendors/error-table.ts';
import { createVendorClient } from '../../src/vendors/factory.ts';
import { createVendorRuntime, type VendorRuntime, type VendorRuntimeOptions } from '../../src/vendors/runtime.ts';
import { TENCENT_CHAT_ERRORS } from '../../src/vendors/tencent-chat-errors.ts';
import { TENCENT_TRTC_ERRORS } from '../../src/vendors/tencent-trtc-errors.ts';
import type { ProviderConfig, VendorCallRecord, VendorClient } from '../../src/vendors/types.ts';
import { VOLCENGINE_RTC_ERRORS } from '../../src/vendors/volcengine-rtc-errors.ts';

export const FIXTURES = new URL('./fixtures/', import.meta.url);
export const SELF_SIGNED = {
  key: readFileSync(new URL('self-signed-key.pem', FIXTURES), 'utf8'),
  cert: readFileSync(new URL('self-signed-cert.pem', FIXTURES), 'utf8'),
};

// ------------------------------------------------------------------ random inputs

export type Random = () => number;
export { mulberry32 };

const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyz0123456789_-',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ@.',
  'äöüßéèñçøåÆ',
  '房间用户测试禁言踢出',
  'ルームユーザー',
  '😀🎧🔇🚫',
  ' \t"\\/{}[]:,',
];

export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Strings mixing ASCII, Latin-1, CJK, emoji and JSON-special characters. */
export function randomText(random: Random, minLength: number, maxLength: number): string {
  const length = randomInt(random, minLength, maxLength);
  let out = '';
  for (let i = 0; i < length; i += 1) out += pick(random, [...pick(random, ALPHABETS)]);
  return out;
}

/** IDs the vendors accept (ASCII [A-Za-z0-9_-]). */
export function randomId(random: Random, maxLength = 32): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
  const length = randomInt(random, 1, maxLength);
  let out = '';
  for (let i = 0; i < length; i += 1) out += pick(random, [...alphabet]);
  return out;
}

// ------------------------------------------------------------------ runtime and capture

export interface Capture {
  calls: VendorCallRecord[];
  throttled: string[];
  logs: string[];
}

/** A runtime whose observer and pino logger write into `capture`. */
export function capturingRuntime(options: VendorRuntimeOptions = {}): { runtime: VendorRuntime; capture: Capture } {
  const capture: Capture = { calls: [], throttled: [], logs: [] };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      capture.logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  const runtime = createVendorRuntime({
    timeouts: { connectMs: 2_000, headersMs: 2_000, bodyMs: 2_000, totalMs: 5_000 },
    logger,
    observer: {
      onCall: (record) => capture.calls.push(record),
      onThrottled: (vendor, action, account) => capture.throttled.push(`${vendor}/${action}/${account}`),
    },
    ...options,
  });
  return { runtime, capture };
}

// ------------------------------------------------------------------ one fixture per vendor

export interface VendorFixture {
  vendor: VendorName;
  simulator: VendorSimulator;
  config: ProviderConfig;
  table: ErrorCodeTable;
  /** Every secret the client holds, for leak assertions. */
  secrets: string[];
  maxUsersPerCall: number;
  client(runtime: VendorRuntime, overrides?: Partial<ProviderConfig>): VendorClient;
  /** A code of this vendor's rate-limit answer, a retryable code and a terminal one. */
  codes: { rateLimit: string; retryable: string; terminal: string; authExpired: string };
}

export const TRTC_ACCOUNT = { sdkAppId: 1400000001, secretId: 'AKIDtestTRTC0001', secretKey: 'trtc-secret-KEY-0001-do-not-leak' };
export const CHAT_ACCOUNT = { sdkAppId: 1400000002, secretKey: 'chat-app-KEY-0002-do-not-leak', adminIdentifier: 'administrator' };
export const VOLC_ACCOUNT = {
  accessKeyId: 'AKLTtestVOLC0003',
  secretAccessKey: 'volc-secret-KEY-0003-do-not-leak',
  appIds: ['appvolc0003'],
};

export interface SimulatorTuning {
  requestsPerSecond?: number;
  burst?: number;
  seed?: number;
  tls?: { key: string; cert: string };
  /** The simulator's clock (signature freshness, ban expiry). */
  now?: () => number;
}

export async function startFixture(vendor: VendorName, tuning: SimulatorTuning = {}): Promise<VendorFixture> {
  const common = { requestsPerSecond: Infinity, seed: 7, ...tuning };
  switch (vendor) {
    case 'tencentTRTC': {
      const simulator = await startTrtcSimulator({ accounts: [TRTC_ACCOUNT], ...common });
      const config: ProviderConfig = {
        vendor,
        sdkAppId: TRTC_ACCOUNT.sdkAppId,
        region: 'ap-guangzhou',
        endpoint: simulator.url,
        credentials: { secretId: TRTC_ACCOUNT.secretId, secretKey: TRTC_ACCOUNT.secretKey },
      };
      return fixture(vendor, simulator, config, TENCENT_TRTC_ERRORS, [TRTC_ACCOUNT.secretKey], 10, {
        rateLimit: 'RequestLimitExceeded',
        retryable: 'InternalError',
        terminal: 'AuthFailure.SignatureFailure',
        authExpired: 'AuthFailure.SignatureExpire',
      });
    }
    case 'tencentChat': {
      const simulator = await startChatSimulator({ accounts: [CHAT_ACCOUNT], ...common });
      const config: ProviderConfig = {
        vendor,
        sdkAppId: CHAT_ACCOUNT.sdkAppId,
        region: 'singapore',
        adminIdentifier: CHAT_ACCOUNT.adminIdentifier,
        endpoint: simulator.url,
        credentials: { secretKey: CHAT_ACCOUNT.secretKey },
      };
      return fixture(vendor, simulator, config, TENCENT_CHAT_ERRORS, [CHAT_ACCOUNT.secretKey], 20, {
        rateLimit: '60007',
        retryable: '100001',
        terminal: '70009',
        authExpired: '70001',
      });
    }
    case 'volcengineRTC': {
      const simulator = await startVolcengineSimulator({ accounts: [VOLC_ACCOUNT], ...common });
      const config: ProviderConfig = {
        vendor,
        appId: VOLC_ACCOUNT.appIds[0] as string,
        region: 'cn-north-1',
        endpoint: simulator.url,
        credentials: { accessKeyId: VOLC_ACCOUNT.accessKeyId, secretAccessKey: VOLC_ACCOUNT.secretAccessKey },
      };
      return fixture(vendor, simulator, config, VOLCENGINE_RTC_ERRORS, [VOLC_ACCOUNT.secretAccessKey], 1, {
        rateLimit: 'FlowLimitExceeded.QPSOverLimit',
        retryable: 'InternalError',
        terminal: 'SignatureDoesNotMatch',
        authExpired: 'InvalidTimestamp',
      });
    }
  }
}

function fixture(
  vendor: VendorName,
  simulator: VendorSimulator,
  config: ProviderConfig,
  table: ErrorCodeTable,
  secrets: string[],
  maxUsersPerCall: number,
  codes: VendorFixture['codes'],
): VendorFixture {
  return {
    vendor,
    simulator,
    config,
    table,
    secrets,
    maxUsersPerCall,
    codes,
    client: (runtime, overrides = {}) => createVendorClient({ ...config, ...overrides } as ProviderConfig, runtime),
  };
}

export const ALL_VENDORS: readonly VendorName[] = ['tencentTRTC', 'tencentChat', 'volcengineRTC'];

export function users(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

/** Asserts none of `secrets` appears anywhere in `values` (serialized). */
export function findLeaks(secrets: readonly string[], values: unknown[]): string[] {
  const haystack = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v, replacer))).join('\n');
  return secrets.filter((secret) => haystack.includes(secret));
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack, cause: value.cause };
  return value;
}
