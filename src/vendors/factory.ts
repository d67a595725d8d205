// createVendorClient: the one way the rest of the operator gets a VendorClient. It never throws:
// a configuration the vendor could never accept (unknown region, malformed endpoint) yields a
// client whose every user result is Terminal with a message naming the problem.

import type { VendorName } from '../api/types.ts';
import { VendorConfigError } from './errors.ts';
import type { VendorRuntime } from './runtime.ts';
import { CHAT_MAX_USERS_PER_CALL, TencentChatClient } from './tencent-chat-client.ts';
import { TencentTrtcClient, TRTC_MAX_USERS_PER_CALL } from './tencent-trtc-client.ts';
import type { ProviderConfig, RemovalRequest, UserResult, VendorClient } from './types.ts';
import { VOLCENGINE_MAX_USERS_PER_CALL, VolcengineRtcClient } from './volcengine-rtc-client.ts';

export const MAX_USERS_PER_CALL: Record<VendorName, number> = {
  tencentTRTC: TRTC_MAX_USERS_PER_CALL,
  tencentChat: CHAT_MAX_USERS_PER_CALL,
  volcengineRTC: VOLCENGINE_MAX_USERS_PER_CALL,
};

export function createVendorClient(config: ProviderConfig, runtime: VendorRuntime): VendorClient {
  try {
    return buildClient(config, runtime);
  } catch (error) {
    if (error instanceof VendorConfigError) return new MisconfiguredVendorClient(config.vendor, error);
    throw error;
  }
}

/** The configuration error createVendorClient would report, or undefined when the config is usable. */
export function validateProviderConfig(config: ProviderConfig, runtime: VendorRuntime): VendorConfigError | undefined {
  try {
    buildClient(config, runtime);
    return undefined;
  } catch (error) {
    if (error instanceof VendorConfigError) return error;
    throw error;
  }
}

function buildClient(config: ProviderConfig, runtime: VendorRuntime): VendorClient {
  const common = {
    region: config.region,
    runtime,
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
      });
    case 'volcengineRTC':
      return new VolcengineRtcClient({ ...common, appId: config.appId, credentials: config.credentials });
  }
}

/** Answers Terminal for everyone: nothing can change until a human fixes the provider. */
export class MisconfiguredVendorClient implements VendorClient {
  readonly vendor: VendorName;
  readonly maxUsersPerCall: number;
  readonly error: VendorConfigError;

  constructor(vendor: VendorName, error: VendorConfigError) {
    this.vendor = vendor;
    this.maxUsersPerCall = MAX_USERS_PER_CALL[vendor];
    this.error = error;
  }

  waitingForRateLimit(): boolean {
    return false;
  }

  async removeUsers(request: RemovalRequest, signal?: AbortSignal): Promise<UserResult[]> {
    signal?.throwIfAborted();
    return request.userIds.map((userId) => ({
      userId,
      outcome: 'Terminal',
      code: this.error.code,
      message: this.error.message,
      requestId: '',
    }));
  }
}
