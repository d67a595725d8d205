// The public surface of src/vendors. Code above the vendor boundary imports from here only (a
// test reads the imports); the results it speaks are in api/results.ts, its rules in api/vendor-rules.ts.

export type {
  CallKind,
  BanClient,
  BanObservation,
  BanRequest,
  LiftRequest,
  ObserveRequest,
  ProviderConfig,
  RemovalRequest,
  VendorCallRecord,
  VendorClient,
  VendorObserver,
} from './types.ts';
export { createVendorClient, validateProviderConfig, checkProviderConfig, MisconfiguredVendorClient, type VendorClientOptions } from './factory.ts';
export {
  createVendorRuntime,
  DOCUMENTED_CAPS,
  DOCUMENTED_ACTION_CAPS,
  type VendorLogger,
  type VendorRuntime,
  type VendorRuntimeOptions,
} from './runtime.ts';
export { systemClock, skewedClock, type Clock } from './clock.ts';
export { DEFAULT_HTTP_TIMEOUTS, parseRetryAfter, type HttpTimeouts } from './http.ts';
export { TokenBucket } from './token-bucket.ts';
export { LimiterRegistry, DEFAULT_THROTTLE_POLICY, type LimiterKey, type ThrottlePolicy } from './limiter-registry.ts';
export { TransportError, VendorConfigError, type TransportCode, type ConfigCode } from './errors.ts';
export { TENCENT_CHAT_DOMAINS, VOLCENGINE_RTC_HOSTS, TRTC_DEFAULT_HOST } from './regions.ts';
export { redactUrl } from './redact.ts';
export { metricCode } from './metric-code.ts';
export { TencentTrtcClient } from './tencent-trtc-client.ts';
export { TencentChatClient } from './tencent-chat-client.ts';
export { VolcengineRtcClient } from './volcengine-rtc-client.ts';
export { TENCENT_TRTC_ERRORS } from './tencent-trtc-errors.ts';
export { TENCENT_CHAT_ERRORS } from './tencent-chat-errors.ts';
export { VOLCENGINE_RTC_ERRORS } from './volcengine-rtc-errors.ts';
