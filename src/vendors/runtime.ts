// What every vendor client of the process shares: the rate-limit buckets, the HTTP pools, the
// clock, the observer and the logger. Created once by the operator (or a test) and passed
// explicitly to createVendorClient; there are no module-level singletons.

import type { VendorName } from '../api/types.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
import { systemClock, type Clock } from './clock.ts';
import { HttpTransport, type HttpTimeouts } from './http.ts';
import { LimiterRegistry, type ThrottlePolicy } from './limiter-registry.ts';
import type { VendorObserver } from './types.ts';

/** The documented per-second caps of the removal actions (api/vendor-rules.ts). */
export const DOCUMENTED_CAPS: Readonly<Record<VendorName, number>> = {
  tencentTRTC: VENDOR_RULES.tencentTRTC.requestsPerSecond,
  tencentChat: VENDOR_RULES.tencentChat.requestsPerSecond,
  volcengineRTC: VENDOR_RULES.volcengineRTC.requestsPerSecond,
};

/**
 * The documented per-second cap of each wire action, per account (api/vendor-rules.ts): the removal
 * actions and, where the vendor has a ban API, its ban, lift and observe actions. Every action has
 * a bucket of its own (docs/vendors.md#bans), so observation calls never take a ban's or a lift's
 * token. An action missing here is paced at the vendor's removal cap.
 */
export const DOCUMENTED_ACTION_CAPS: Readonly<Record<VendorName, Readonly<Record<string, number>>>> = {
  tencentTRTC: actionCaps('tencentTRTC', ['RemoveUserByStrRoomId', 'RemoveUser']),
  tencentChat: actionCaps('tencentChat', ['kick_user_out']),
  volcengineRTC: actionCaps('volcengineRTC', ['KickUser']),
};

function actionCaps(vendor: VendorName, removalActions: readonly string[]): Record<string, number> {
  const rules = VENDOR_RULES[vendor];
  const caps: Record<string, number> = {};
  for (const action of removalActions) caps[action] = rules.requestsPerSecond;
  for (const cap of Object.values(rules.ban?.actions ?? {})) caps[cap.name] = cap.requestsPerSecond;
  return caps;
}

/** pino-compatible: `logger.warn({ ...fields }, 'message')`. */
export interface VendorLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface VendorRuntime {
  readonly clock: Clock;
  readonly limiters: LimiterRegistry;
  readonly http: HttpTransport;
  /** Connect/headers/body/overall timeouts every call uses. */
  readonly timeouts: HttpTimeouts;
  readonly observer: VendorObserver;
  readonly logger: VendorLogger | undefined;
  /**
   * The per-second cap to enforce for a vendor's wire action (DOCUMENTED_ACTION_CAPS; without an
   * action, the removal action's): documented, or the vendor's override for sandboxes, which then
   * holds for every action of that vendor.
   */
  capFor(vendor: VendorName, action?: string): number;
  close(): Promise<void>;
}

/** What every vendor client is given besides its account, credentials and region. */
export interface CommonClientOptions {
  /** Base URL override (sandbox/tests); default the vendor's public endpoint (regions.ts). */
  endpoint?: string;
  /** The provider's `rateLimit`: a bucket of its own under the account's; undefined for none. */
  requestsPerSecond?: number;
  /**
   * The provider this client belongs to (the operator passes its key). A provider's calls queue
   * together and take turns with other providers' at the account's bucket; clients that name no
   * owner share one queue.
   */
  quotaOwner?: string;
  runtime: VendorRuntime;
}

export interface VendorRuntimeOptions {
  clock?: Clock;
  observer?: VendorObserver;
  logger?: VendorLogger;
  timeouts?: Partial<HttpTimeouts>;
  connectionsPerOrigin?: number;
  throttle?: ThrottlePolicy;
  /**
   * Replaces the documented caps (sandboxes, benchmarks, load tests against a simulator whose cap
   * is lifted): a vendor's override is the cap of each of its actions (removal, ban, lift and
   * observe alike; each still has a bucket of its own). Never set in production: the documented
   * caps are what the vendors enforce.
   */
  capOverrides?: Partial<Record<VendorName, number>>;
  /** Extra CA certificate (PEM) to trust, e.g. an https sandbox's. Verification stays on. */
  extraCaPem?: string;
}

export function createVendorRuntime(options: VendorRuntimeOptions = {}): VendorRuntime {
  const clock = options.clock ?? systemClock;
  const http = new HttpTransport({
    clock,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.connectionsPerOrigin ? { connectionsPerOrigin: options.connectionsPerOrigin } : {}),
    ...(options.extraCaPem ? { extraCaPem: options.extraCaPem } : {}),
  });
  const limiters = new LimiterRegistry({ clock, ...(options.throttle ? { throttle: options.throttle } : {}) });
  const overrides = options.capOverrides ?? {};
  return {
    clock,
    limiters,
    http,
    timeouts: http.timeouts,
    observer: options.observer ?? {},
    logger: options.logger,
    capFor: (vendor, action) =>
      overrides[vendor] ?? (action === undefined ? undefined : DOCUMENTED_ACTION_CAPS[vendor][action]) ?? DOCUMENTED_CAPS[vendor],
    close: () => http.close(),
  };
}
