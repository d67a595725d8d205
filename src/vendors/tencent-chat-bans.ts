// Tencent Chat Room Engine bans (docs/vendors.md#bans): ban_room_member, unban_room_member and
// get_banned_member_list, on the same UserSig, signature retry and error table as kick_user_out
// (tencent-chat-rest.ts). Each action has its own bucket at its documented 200/s.
//
// Choices where the docs are open (UNCONFIRMED, docs/vendors.md#bans):
// - Duration is sent in seconds (the doc example is 3600); `banDurationUnit: 'Milliseconds'`
//   (the provider's setting) sends durationSeconds * 1000 instead.
// - get_banned_member_list's cursor: we send `Next` (String, "" first) as the field table says,
//   and read the next cursor from `Next` or `NextOffset` in the answer; 0, "" or absent = done.
// - ban_room_member's codes beyond the common ones are not documented; its answers go through
//   kick_user_out's table (100004/100005 AlreadyAbsent, with the batch re-ask rule).

import type { UserResult } from '../api/results.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
import { isJsonObject, stringField, type JsonObject } from './answers.ts';
import { removeBatch } from './batch.ts';
import { chatReason, chatReasonProblem, responseData, type ChatRest } from './tencent-chat-rest.ts';
import type { BanClient, BanObservation, BanRequest, LiftRequest, ObserveRequest } from './types.ts';
import type { CallAnswer, VendorCaller } from './vendor-call.ts';
import { BanCallers } from './ban-callers.ts';
import { checkBanDuration, checkObserveSize, unknownObservations } from './ban-checks.ts';

export type ChatBanDurationUnit = 'Seconds' | 'Milliseconds';

const RULES =
  VENDOR_RULES.tencentChat.ban ??
  ((): never => {
    throw new Error('VENDOR_RULES.tencentChat.ban is undefined');
  })();
const { ban: BAN, lift: LIFT, observe: OBSERVE } = RULES.actions;
/** get_banned_member_list's documented page size. */
export const CHAT_BANNED_PAGE_LIMIT = 100;
/** A bound on pages per observation, so a cursor that never ends cannot loop forever. */
const MAX_PAGES = 1_000;

export class TencentChatBans implements BanClient {
  readonly usersPerBan = RULES.usersPerBan;
  readonly usersPerLift = RULES.usersPerLift;
  readonly usersPerObserve = RULES.usersPerObserve;
  private readonly rest: ChatRest;
  private readonly durationUnit: ChatBanDurationUnit;
  private readonly callers: BanCallers;

  constructor(rest: ChatRest, durationUnit: ChatBanDurationUnit) {
    this.rest = rest;
    this.durationUnit = durationUnit;
    this.callers = new BanCallers(RULES.actions, (action) => rest.caller(action));
  }

  /** True while a ban, lift or observation of this provider is queued for a token. */
  get waitingForToken(): boolean {
    return this.callers.waitingForToken;
  }

  /** How long a ban or lift made now would wait for its token (VendorClient.estimatedWaitMs). */
  estimatedWaitMs(kind: 'ban' | 'lift'): number {
    return this.callers.estimatedWaitMs(kind);
  }

  async banUsers(request: BanRequest): Promise<UserResult[]> {
    const reason = chatReason(request.reason);
    return removeBatch(request.userIds, this.usersPerBan, async (userIds) => {
      const problem = chatReasonProblem(reason) ?? checkBanDuration(RULES, request.durationSeconds);
      if (problem !== undefined) return problem;
      const duration = this.durationUnit === 'Milliseconds' ? request.durationSeconds * 1000 : request.durationSeconds;
      const body = JSON.stringify({ RoomId: request.roomId, MemberList_Account: userIds, Reason: reason, Duration: duration });
      return this.post(this.callers.ban, BAN.name, userIds.length, body);
    });
  }

  /** AlreadyAbsent (room gone, not a member) means nothing to lift; a batch so answered is re-asked one by one. */
  async liftBans(request: LiftRequest): Promise<UserResult[]> {
    return removeBatch(request.userIds, this.usersPerLift, async (userIds) => {
      const body = JSON.stringify({ RoomId: request.roomId, MemberList_Account: userIds });
      return this.post(this.callers.lift, LIFT.name, userIds.length, body);
    });
  }

  /**
   * Pages the room's banned list until it ends: a requested user listed is held (until BannedUntil),
   * one not listed is lifted. A failed page makes every user unknown with that page's answer.
   */
  async observeBans(request: ObserveRequest): Promise<BanObservation[]> {
    checkObserveSize(request.userIds, this.usersPerObserve);
    if (request.userIds.length === 0) return [];
    const bannedUntil = new Map<string, number | undefined>();
    const seen = new Set<string>();
    let cursor = '';
    let requestId = '';
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = JSON.stringify({ RoomId: request.roomId, Limit: CHAT_BANNED_PAGE_LIMIT, Next: cursor });
      let data: JsonObject | undefined;
      const answer = await this.callers.observe.call(1, async (context) => {
        const reply = await this.rest.send(OBSERVE.name, body, context);
        data = reply.body === undefined ? undefined : responseData(reply.body);
        return reply.answer;
      });
      requestId = answer.requestId;
      if (answer.outcome !== 'Removed') return unknownObservations(request.userIds, answer);
      for (const entry of listed(data ?? {})) bannedUntil.set(entry.userId, entry.bannedUntilMs);
      cursor = nextCursor(data ?? {});
      if (cursor === '') return request.userIds.map((userId) => observation(userId, bannedUntil, requestId));
      if (seen.has(cursor)) break;
      seen.add(cursor);
    }
    return unknownObservations(request.userIds, {
      outcome: 'Retryable',
      code: 'Transport.MalformedResponse',
      message: `get_banned_member_list did not end (cursor repeated or over ${MAX_PAGES} pages)`,
      requestId,
    });
  }

  private post(caller: VendorCaller, action: string, users: number, body: string): Promise<CallAnswer> {
    return caller.call(users, async (context) => (await this.rest.send(action, body, context)).answer);
  }
}

function observation(userId: string, bannedUntil: ReadonlyMap<string, number | undefined>, requestId: string): BanObservation {
  if (!bannedUntil.has(userId)) return { userId, state: 'lifted', requestId };
  const until = bannedUntil.get(userId);
  return until === undefined ? { userId, state: 'held', requestId } : { userId, state: 'held', bannedUntilMs: until, requestId };
}

/** BannedAccountList[{Member_Account, BannedUntil (unix seconds)}]; entries that are not objects are skipped. */
function listed(data: JsonObject): Array<{ userId: string; bannedUntilMs: number | undefined }> {
  const list = data['BannedAccountList'];
  if (!Array.isArray(list)) return [];
  return list.filter(isJsonObject).flatMap((entry) => {
    const userId = stringField(entry, 'Member_Account');
    if (userId === undefined) return [];
    const until = entry['BannedUntil'];
    return [{ userId, bannedUntilMs: typeof until === 'number' && Number.isFinite(until) && until > 0 ? until * 1000 : undefined }];
  });
}

/** The next page's cursor from `Next` (String) or `NextOffset` (number); "" when the list is done. */
function nextCursor(data: JsonObject): string {
  for (const key of ['Next', 'NextOffset']) {
    const value = data[key];
    if (typeof value === 'string' && value !== '' && value !== '0') return value;
    if (typeof value === 'number' && value !== 0) return String(value);
  }
  return '';
}
