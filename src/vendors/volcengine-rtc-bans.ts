// Volcengine RTC bans (docs/vendors.md#bans): BanRoomUser, UpdateBanRoomUserRule and
// GetRoomUsersProperty, Version 2023-11-01, signed as KickUser (volcengine-rtc-rest.ts). Every
// call names AppId + RoomId + UserId: the AppId + UserId scope would act on every room of the app
// (with ForbiddenInterval 0 it kicks the user from all of them), so it is never used.
//
// Choices where the docs are open (UNCONFIRMED, docs/vendors.md#bans):
// - A repeated BanRoomUser "does not fail" and answers "User has been banned"; whether it re-applies
//   the interval is not stated. So on that answer we follow with UpdateBanRoomUserRule and the same
//   interval: the ban then runs durationSeconds from now either way (if the repeat did re-apply,
//   the update is harmless). The follow-up is the lift action, so it takes the lift bucket's token.
// - GetRoomUsersProperty's method is not stated (GetRoomOnlineUsers is GET): we POST a JSON body,
//   as every other action here, because UserIds is an array and its GET encoding is not stated.
// - The lift of a user with no ban in force: no "not banned" code is documented, so nothing maps to
//   AlreadyAbsent; an answer of success is Removed (lifted).
// - Observation: Status 1 (in the room) means the ban is gone (the user is back); 0 or not listed
//   means it holds. There is no API listing the bans in force.

import type { UserResult } from '../api/results.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
import { isJsonObject, stringField, type JsonObject } from './answers.ts';
import { BanCallers } from './ban-callers.ts';
import { checkBanDuration, checkObserveSize, unknownObservations } from './ban-checks.ts';
import { removeBatch } from './batch.ts';
import type { BanClient, BanObservation, BanRequest, LiftRequest, ObserveRequest } from './types.ts';
import type { CallAnswer } from './vendor-call.ts';
import type { VolcengineRest } from './volcengine-rtc-rest.ts';

export const VOLCENGINE_BAN_VERSION = '2023-11-01';
const RULES =
  VENDOR_RULES.volcengineRTC.ban ??
  ((): never => {
    throw new Error('VENDOR_RULES.volcengineRTC.ban is undefined');
  })();
const { ban: BAN, lift: LIFT, observe: OBSERVE } = RULES.actions;
/** BanRoomUser's answer to a repeat (2023-11-01): the user was banned already. */
const ALREADY_BANNED = /has been banned/i;

export class VolcengineRtcBans implements BanClient {
  readonly usersPerBan = RULES.usersPerBan;
  readonly usersPerLift = RULES.usersPerLift;
  readonly usersPerObserve = RULES.usersPerObserve;
  private readonly rest: VolcengineRest;
  private readonly callers: BanCallers;

  constructor(rest: VolcengineRest) {
    this.rest = rest;
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
    return removeBatch(request.userIds, this.usersPerBan, async ([userId]) => {
      const problem = checkBanDuration(RULES, request.durationSeconds);
      if (problem !== undefined) return problem;
      const body = this.body(request.roomId, userId as string, request.durationSeconds);
      let result: JsonObject | undefined;
      const banned = await this.callers.ban.call(1, async () => {
        const reply = await this.rest.send(BAN.name, VOLCENGINE_BAN_VERSION, body);
        result = reply.result;
        return reply.answer;
      });
      if (banned.outcome !== 'Removed' || !ALREADY_BANNED.test(resultMessage(result))) return banned;
      // Banned already: set the interval again, so the ban runs durationSeconds from now.
      return this.update(body);
    });
  }

  /** UpdateBanRoomUserRule with ForbiddenInterval 0 lets the user back into this room. */
  async liftBans(request: LiftRequest): Promise<UserResult[]> {
    return removeBatch(request.userIds, this.usersPerLift, async ([userId]) => this.update(this.body(request.roomId, userId as string, 0)));
  }

  async observeBans(request: ObserveRequest): Promise<BanObservation[]> {
    checkObserveSize(request.userIds, this.usersPerObserve);
    if (request.userIds.length === 0) return [];
    const { appId } = this.rest.options;
    const body = JSON.stringify({ AppId: appId, RoomId: request.roomId, UserIds: request.userIds });
    let result: JsonObject | undefined;
    const answer = await this.callers.observe.call(request.userIds.length, async () => {
      const reply = await this.rest.send(OBSERVE.name, VOLCENGINE_BAN_VERSION, body);
      result = reply.result;
      return reply.answer;
    });
    if (answer.outcome !== 'Removed') return unknownObservations(request.userIds, answer);
    const inRoom = usersInRoom(result);
    return request.userIds.map((userId) => ({ userId, state: inRoom.has(userId) ? 'lifted' : 'held', requestId: answer.requestId }));
  }

  private body(roomId: string, userId: string, forbiddenInterval: number): string {
    return JSON.stringify({ AppId: this.rest.options.appId, RoomId: roomId, UserId: userId, ForbiddenInterval: forbiddenInterval });
  }

  private update(body: string): Promise<CallAnswer> {
    return this.callers.lift.call(1, async () => (await this.rest.send(LIFT.name, VOLCENGINE_BAN_VERSION, body)).answer);
  }
}

/** `Result.Message` (2023-11-01) or `Result.message` (2020-12-01). */
function resultMessage(result: JsonObject | undefined): string {
  if (result === undefined) return '';
  return stringField(result, 'Message') ?? stringField(result, 'message') ?? '';
}

/** The users GetRoomUsersProperty lists with Status 1 (in the room). */
function usersInRoom(result: JsonObject | undefined): Set<string> {
  const list = result?.['UserList'];
  if (!Array.isArray(list)) return new Set();
  return new Set(
    list
      .filter(isJsonObject)
      .filter((user) => user['Status'] === 1)
      .flatMap((user) => {
        const id = stringField(user, 'UserID') ?? stringField(user, 'UserId');
        return id === undefined ? [] : [id];
      }),
  );
}
