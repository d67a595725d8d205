// Volcengine RTC: KickUser, Version 2020-12-01, one user per call, Action/Version in the query,
// signed with Volcengine HMAC-SHA256 (docs/vendors.md#volcengine-rtc). Bans are in
// volcengine-rtc-bans.ts (docs/vendors.md#bans).

import type { UserResult } from '../api/results.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
import { removeBatch } from './batch.ts';
import type { CallKind, RemovalRequest, VendorClient } from './types.ts';
import type { VendorCaller } from './vendor-call.ts';
import { VolcengineRtcBans } from './volcengine-rtc-bans.ts';
import { VolcengineRest, type VolcengineRestOptions } from './volcengine-rtc-rest.ts';

export { accessKeyFingerprint } from './volcengine-rtc-rest.ts';

export const VOLCENGINE_KICK_ACTION = 'KickUser';
export const VOLCENGINE_KICK_VERSION = '2020-12-01';

export type VolcengineRtcClientOptions = VolcengineRestOptions;

export class VolcengineRtcClient implements VendorClient {
  readonly vendor = 'volcengineRTC' as const;
  readonly maxUsersPerCall = VENDOR_RULES.volcengineRTC.usersPerCall;
  readonly bans: VolcengineRtcBans;
  private readonly rest: VolcengineRest;
  private readonly caller: VendorCaller;

  /** Throws VendorConfigError for an unknown region or a malformed endpoint. */
  constructor(options: VolcengineRtcClientOptions) {
    this.rest = new VolcengineRest(options);
    this.caller = this.rest.caller(VOLCENGINE_KICK_ACTION);
    this.bans = new VolcengineRtcBans(this.rest);
  }

  waitingForRateLimit(): boolean {
    return this.caller.waitingForToken || this.bans.waitingForToken;
  }

  estimatedWaitMs(kind: CallKind): number {
    return kind === 'kick' ? this.caller.estimatedWaitMs : this.bans.estimatedWaitMs(kind);
  }

  async removeUsers(request: RemovalRequest): Promise<UserResult[]> {
    return removeBatch(request.userIds, this.maxUsersPerCall, async (userIds) => {
      const body = JSON.stringify({ AppId: this.rest.options.appId, RoomId: request.roomId, UserId: userIds[0] });
      return this.caller.call(userIds.length, async () => (await this.rest.send(VOLCENGINE_KICK_ACTION, VOLCENGINE_KICK_VERSION, body)).answer);
    });
  }
}
