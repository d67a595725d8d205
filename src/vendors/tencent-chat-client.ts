// Tencent Chat / TUIRoomKit Room Engine: v4/room_engine_http_srv/kick_user_out, authenticated by
// an admin UserSig in the query string (docs/vendors.md#tencent-chat). Bans are in
// tencent-chat-bans.ts (docs/vendors.md#bans).

import type { UserResult } from '../api/results.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
import { removeBatch } from './batch.ts';
import { TencentChatBans, type ChatBanDurationUnit } from './tencent-chat-bans.ts';
import { ChatRest, CHAT_SERVICE_PATH, chatReason, chatReasonProblem, type ChatRestOptions } from './tencent-chat-rest.ts';
import type { CallKind, RemovalRequest, VendorClient } from './types.ts';
import type { VendorCaller } from './vendor-call.ts';

export const CHAT_KICK_ACTION = 'kick_user_out';
export const CHAT_KICK_PATH = `${CHAT_SERVICE_PATH}/${CHAT_KICK_ACTION}`;
const RULES = VENDOR_RULES.tencentChat;

export interface TencentChatClientOptions extends ChatRestOptions {
  /** The unit ban_room_member's Duration is sent in (UNCONFIRMED; default Seconds, docs/vendors.md#bans). */
  banDurationUnit?: ChatBanDurationUnit;
}

export class TencentChatClient implements VendorClient {
  readonly vendor = 'tencentChat' as const;
  readonly maxUsersPerCall = RULES.usersPerCall;
  readonly bans: TencentChatBans;
  private readonly rest: ChatRest;
  private readonly caller: VendorCaller;

  /** Throws VendorConfigError for an unknown region or a malformed endpoint. */
  constructor(options: TencentChatClientOptions) {
    this.rest = new ChatRest(options);
    this.caller = this.rest.caller(CHAT_KICK_ACTION);
    this.bans = new TencentChatBans(this.rest, options.banDurationUnit ?? 'Seconds');
  }

  waitingForRateLimit(): boolean {
    return this.caller.waitingForToken || this.bans.waitingForToken;
  }

  estimatedWaitMs(kind: CallKind): number {
    return kind === 'kick' ? this.caller.estimatedWaitMs : this.bans.estimatedWaitMs(kind);
  }

  async removeUsers(request: RemovalRequest): Promise<UserResult[]> {
    const reason = chatReason(request.reason);
    return removeBatch(request.userIds, this.maxUsersPerCall, async (userIds) => {
      const problem = chatReasonProblem(reason);
      if (problem !== undefined) return problem;
      const body = JSON.stringify({ RoomId: request.roomId, MemberList_Account: userIds, Reason: reason });
      return this.caller.call(userIds.length, async (context) => (await this.rest.send(CHAT_KICK_ACTION, body, context)).answer);
    });
  }
}
