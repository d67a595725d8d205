// createVendorClient: the one way the rest of the operator gets a VendorClient. It never throws:
// a configuration the vendor could never accept (unknown region, malformed endpoint) yields a
// client whose every user result is Terminal with a message naming the problem.

import type { UserResult } from '../api/results.ts';
import type { VendorName } from '../api/types.ts';
import { VENDOR_RULES, type BanRules } from '../api/vendor-rules.ts';
import { checkObserveSize, unknownObservations } from './ban-checks.ts';
import { removeBatch } from './batch.ts';
import { VendorConfigError } from './errors.ts';
import type { VendorRuntime } from './runtime.ts';
import { TencentChatClient } from './tencent-chat-client.ts';
import { TencentTrtcClient } from './tencent-trtc-client.ts';
import type { BanClient, BanObservation, BanRequest, LiftRequest, ObserveRequest, ProviderConfig, RemovalRequest, VendorClient } from './types.ts';
import type { CallAnswer } from './vendor-call.ts';
import { VolcengineRtcClient } from './volcengine-rtc-client.ts';
import { parseEndpoint, tencentChatDomain, trtcRegion, volcengineRtcHost } from './regions.ts';

/** How the client is used, beyond what its provider says. */
export interface VendorClientOptions {
  /** The provider the client belongs to, for its share of the account's rate limit (CommonClientOptions.quotaOwner). */
  quotaOwner?: string;
}

export function createVendorClient(config: ProviderConfig, runtime: VendorRuntime, options: VendorClientOptions = {}): VendorClient {
  try {
    return buildClient(config, runtime, options);
  } catch (error) {
    if (error instanceof VendorConfigError) return new MisconfiguredVendorClient(config.vendor, error);
    throw error;
  }
}

/** The configuration error createVendorClient would report, or undefined when the config is usable. */
export function validateProviderConfig(config: ProviderConfig, runtime: VendorRuntime): VendorConfigError | undefined {
  try {
    buildClient(config, runtime, {});
    return undefined;
  } catch (error) {
    if (error instanceof VendorConfigError) return error;
    throw error;
  }
}

/**
 * validateProviderConfig without building a client: no rate-limit bucket, pool or signer is
 * touched, so a provider's status can be checked as often as it changes. The checks are the ones the
 * clients' constructors make (test/vendors pins the two to agree).
 */
export function checkProviderConfig(config: ProviderConfig): VendorConfigError | undefined {
  try {
    switch (config.vendor) {
      case 'tencentTRTC':
        trtcRegion(config.region);
        break;
      case 'tencentChat':
        // With a custom endpoint the region picks nothing (the client does not look it up).
        if (config.endpoint === undefined) tencentChatDomain(config.region);
        break;
      case 'volcengineRTC':
        volcengineRtcHost(config.region);
        break;
    }
    if (config.endpoint !== undefined) parseEndpoint(config.vendor, config.endpoint);
    return undefined;
  } catch (error) {
    if (error instanceof VendorConfigError) return error;
    throw error;
  }
}

function buildClient(config: ProviderConfig, runtime: VendorRuntime, options: VendorClientOptions): VendorClient {
  const common = {
    region: config.region,
    runtime,
    ...(options.quotaOwner !== undefined ? { quotaOwner: options.quotaOwner } : {}),
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(config.requestsPerSecond !== undefined ? { requestsPerSecond: config.requestsPerSecond } : {}),
  };
  switch (config.vendor) {
    case 'tencentTRTC':
      return new TencentTrtcClient({ ...common, sdkAppId: config.sdkAppId, credentials: config.credentials });
    case 'tencentChat':
      return new TencentChatClient({
        ...common,
        sdkAppId: config.sdkAppId,
        adminIdentifier: config.adminIdentifier,
        credentials: config.credentials,
        ...(config.banDurationUnit !== undefined ? { banDurationUnit: config.banDurationUnit } : {}),
      });
    case 'volcengineRTC':
      return new VolcengineRtcClient({ ...common, appId: config.appId, credentials: config.credentials });
  }
}

/** Answers Terminal for everyone: nothing can change until a human fixes the provider. */
export class MisconfiguredVendorClient implements VendorClient {
  readonly vendor: VendorName;
  readonly maxUsersPerCall: number;
  /** For a vendor with a ban API, a BanClient as refused as removeUsers; observations are unknown. */
  readonly bans: BanClient | undefined;
  readonly error: VendorConfigError;

  constructor(vendor: VendorName, error: VendorConfigError) {
    this.vendor = vendor;
    this.maxUsersPerCall = VENDOR_RULES[vendor].usersPerCall;
    this.error = error;
    const rules = VENDOR_RULES[vendor].ban;
    this.bans = rules === undefined ? undefined : new MisconfiguredBans(rules, refusal(error));
  }

  waitingForRateLimit(): boolean {
    return false;
  }

  estimatedWaitMs(): number {
    return 0;
  }

  async removeUsers(request: RemovalRequest): Promise<UserResult[]> {
    const answer = refusal(this.error);
    return removeBatch(request.userIds, this.maxUsersPerCall, async () => answer);
  }
}

/** The configuration problem as every call's answer: Terminal and account-wide, no call made. */
function refusal(error: VendorConfigError): CallAnswer {
  return { outcome: 'Terminal', code: error.code, message: error.message, requestId: '', accountWide: true };
}

class MisconfiguredBans implements BanClient {
  readonly usersPerBan: number;
  readonly usersPerLift: number;
  readonly usersPerObserve: number;
  private readonly answer: CallAnswer;

  constructor(rules: BanRules, answer: CallAnswer) {
    this.usersPerBan = rules.usersPerBan;
    this.usersPerLift = rules.usersPerLift;
    this.usersPerObserve = rules.usersPerObserve;
    this.answer = answer;
  }

  async banUsers(request: BanRequest): Promise<UserResult[]> {
    return removeBatch(request.userIds, this.usersPerBan, async () => this.answer);
  }

  async liftBans(request: LiftRequest): Promise<UserResult[]> {
    return removeBatch(request.userIds, this.usersPerLift, async () => this.answer);
  }

  async observeBans(request: ObserveRequest): Promise<BanObservation[]> {
    checkObserveSize(request.userIds, this.usersPerObserve);
    return unknownObservations(request.userIds, this.answer);
  }
}
