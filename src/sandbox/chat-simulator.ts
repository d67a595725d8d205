// A Tencent Chat Room Engine simulator: POST /v4/room_engine_http_srv/kick_user_out
// (docs/vendors.md#tencent-chat). It checks the admin UserSig the way the vendor does (decode, recompute
// TLS.sig with the app key, check identifier/sdkappid/expiry), independently of src/vendors.
// Chat does not sign the body, so a tampered body cannot be detected here (nor by the vendor).
//
// Membership choices (UNCONFIRMED, docs/vendors.md#the-boundary): a room without members does not exist
// (100004); a batch naming any non-member answers 100005, and by default removes nobody
// (`absentBatchBehaviour: 'removePresent'` removes the members it did name instead).
//
// Bans (docs/vendors.md#bans): ban_room_member, unban_room_member and get_banned_member_list, each
// with its own 200/s cap per SDKAppID. Choices (UNCONFIRMED):
// - Duration is read in seconds; a ban ends Duration seconds after the call on the simulator's
//   clock. A room with bans in force exists even without members.
// - ban_room_member bans non-members too (a pre-ban) and removes the members it names; a room with
//   neither members nor bans answers 100004.
// - unban_room_member of a user not banned is ignored (the call succeeds); a room with neither
//   members nor bans answers 100004.
// - get_banned_member_list accepts `Next` (a String offset, "" first) and `Offset` (a number) as its
//   cursor; the answer is {Response: {BannedAccountList: [{Member_Account, BannedUntil (unix
//   seconds)}], NextOffset}} with NextOffset 0 when done (`bannedListCursor: 'Next'` answers a
//   String `Next`, "" when done, instead). A room with no bans lists none.

import { createHmac } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { VendorName } from '../api/types.ts';
import { randomHex } from './prng.ts';
import { BanningSimulatorBase, listening } from './simulator-base.ts';
import { isObject, isStringArray, parseJson, safeEqual } from './simulator-server.ts';
import type { CallDescription, SimRequest, VendorFault, VendorReply } from './simulator-server.ts';
import type { CommonSimulatorOptions, RoomOptions } from './types.ts';

export interface ChatSimulatorAccount {
  sdkAppId: number;
  /** The app key UserSigs are minted from. */
  secretKey: string;
  /** The App admin account; default "administrator". */
  adminIdentifier?: string;
}

export interface ChatSimulatorOptions extends CommonSimulatorOptions {
  accounts: readonly ChatSimulatorAccount[];
  absentBatchBehaviour?: 'removeNone' | 'removePresent';
  /** The cursor field get_banned_member_list answers with; default NextOffset (a number). */
  bannedListCursor?: 'NextOffset' | 'Next';
}

/** Every Room Engine action's documented cap, per SDKAppID. */
const DOCUMENTED_CAP = 200;
const SERVICE_PATH = '/v4/room_engine_http_srv/';
const ACTIONS = new Set(['kick_user_out', 'ban_room_member', 'unban_room_member', 'get_banned_member_list']);
const MAX_MEMBERS = 20;
const MAX_REASON_BYTES = 1000;
const MAX_LIST_LIMIT = 100;

export async function startChatSimulator(options: ChatSimulatorOptions): Promise<ChatSimulator> {
  return listening(new ChatSimulator(options), options);
}

interface ChatError {
  code: number;
  info: string;
}

export class ChatSimulator extends BanningSimulatorBase {
  readonly vendor: VendorName = 'tencentChat';
  private readonly accounts: readonly ChatSimulatorAccount[];
  private readonly absentBatchBehaviour: 'removeNone' | 'removePresent';
  private readonly bannedListCursor: 'NextOffset' | 'Next';
  private sequence = 0;

  constructor(options: ChatSimulatorOptions) {
    if (options.accounts.length === 0) throw new Error('Chat simulator needs at least one account');
    super(options, { documentedCap: DOCUMENTED_CAP, startFunction: 'startChatSimulator' });
    this.accounts = options.accounts;
    this.absentBatchBehaviour = options.absentBatchBehaviour ?? 'removeNone';
    this.bannedListCursor = options.bannedListCursor ?? 'NextOffset';
  }

  describe(request: SimRequest): CallDescription {
    const body = parseJson(request.body);
    const fields = isObject(body) ? body : {};
    return {
      action: actionOf(request) ?? request.url.pathname,
      account: request.url.searchParams.get('sdkappid') ?? '',
      roomId: typeof fields['RoomId'] === 'string' ? fields['RoomId'] : '',
      userIds: isStringArray(fields['MemberList_Account']) ? fields['MemberList_Account'] : [],
    };
  }

  answer(request: SimRequest, fault: VendorFault | undefined, retryAfterSeconds: number | undefined): VendorReply {
    if (request.method !== 'POST') return this.reply({ code: 60002, info: 'only POST is supported' });
    const action = actionOf(request);
    if (action === undefined) return this.reply({ code: 60009, info: 'request resource is invalid' });
    const auth = this.authenticate(request.url.searchParams);
    if ('code' in auth) return this.reply(auth);
    if (!this.cap.admit(`${action}/${auth.sdkAppId}`, DOCUMENTED_CAP)) return this.rateLimited(retryAfterSeconds);
    if (fault === 'rateLimit') return this.rateLimited(retryAfterSeconds);
    if (fault === 'internalError') return this.reply({ code: 100001, info: 'internal error, please retry' });
    if (fault === 'authExpired') return this.reply({ code: 70001, info: 'UserSig expired' });
    if (typeof fault === 'object') return this.reply({ code: Number(fault.errorCode), info: `injected error ${fault.errorCode}` });
    const account = String(auth.sdkAppId);
    const body = parseJson(request.body);
    if (!isObject(body)) return this.reply({ code: 60003, info: 'request JSON is invalid' });
    switch (action) {
      case 'ban_room_member':
        return this.ban(body, account);
      case 'unban_room_member':
        return this.unban(body, account);
      case 'get_banned_member_list':
        return this.bannedList(body, account);
      default:
        return this.kick(body, account);
    }
  }

  /** docs/vendors.md#chat-endpoints-and-regions: the query carries the SDKAppID, the admin identifier and its UserSig. */
  private authenticate(query: URLSearchParams): ChatSimulatorAccount | ChatError {
    const sdkAppIdText = query.get('sdkappid');
    if (sdkAppIdText === null || sdkAppIdText === '') return { code: 60012, info: 'sdkappid is missing' };
    const account = this.accounts.find((a) => String(a.sdkAppId) === sdkAppIdText);
    if (account === undefined) return { code: 70020, info: 'SDKAppID not found' };
    if (query.get('contenttype') !== 'json') return { code: 60002, info: 'contenttype must be json' };
    const random = query.get('random');
    if (random === null || !/^\d+$/.test(random) || Number(random) > 4294967295) return { code: 60002, info: 'random is invalid' };
    const identifier = query.get('identifier');
    if (identifier === null || identifier === '') return { code: 60004, info: 'identifier is missing' };
    const userSig = query.get('usersig');
    if (userSig === null || userSig === '') return { code: 70002, info: 'UserSig is empty' };
    const sigError = this.verifyUserSig(account, identifier, userSig);
    if (sigError !== undefined) return sigError;
    if (identifier !== (account.adminIdentifier ?? 'administrator')) return { code: 60010, info: 'the request requires App admin permissions' };
    return account;
  }

  private verifyUserSig(account: ChatSimulatorAccount, identifier: string, userSig: string): ChatError | undefined {
    const document = decodeUserSigDocument(userSig);
    if (document === undefined) return { code: 70003, info: 'UserSig check failed' };
    if (document.sdkappid !== account.sdkAppId) return { code: 70014, info: 'sdkappid does not match the UserSig' };
    if (document.identifier !== identifier) return { code: 70013, info: 'identifier does not match the UserSig' };
    const content =
      `TLS.identifier:${document.identifier}\nTLS.sdkappid:${document.sdkappid}\n` +
      `TLS.time:${document.time}\nTLS.expire:${document.expire}\n`;
    const expected = createHmac('sha256', account.secretKey).update(content).digest('base64');
    if (!safeEqual(expected, document.sig)) return { code: 70009, info: 'UserSig verification failed' };
    if (document.time + document.expire < Math.floor(this.now() / 1000)) return { code: 70001, info: 'UserSig expired' };
    return undefined;
  }

  private kick(body: Record<string, unknown>, account: string): VendorReply {
    const checked = checkMembers(body, true);
    if ('code' in checked) return this.reply(checked);
    const { roomId, members } = checked;
    if (!this.rooms.exists(account, roomId, 'String')) return this.reply({ code: 100004, info: 'room does not exist' });
    const present = members.filter((m) => this.rooms.isMember(account, roomId, 'String', m));
    if (present.length < members.length) {
      if (this.absentBatchBehaviour === 'removePresent') this.rooms.remove(account, roomId, 'String', present);
      return this.reply({ code: 100005, info: 'not a room member' });
    }
    this.rooms.remove(account, roomId, 'String', members);
    return this.reply(undefined);
  }

  /** A room exists while it has members or bans in force. */
  private roomExists(account: string, roomId: string): boolean {
    return this.rooms.exists(account, roomId, 'String') || this.banBook.list(account, roomId).length > 0;
  }

  private ban(body: Record<string, unknown>, account: string): VendorReply {
    const checked = checkMembers(body, true);
    if ('code' in checked) return this.reply(checked);
    const duration = body['Duration'];
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration <= 0) {
      return this.reply({ code: 100002, info: 'Duration must be a positive integer (seconds)' });
    }
    const { roomId, members } = checked;
    if (!this.roomExists(account, roomId)) return this.reply({ code: 100004, info: 'room does not exist' });
    const until = this.now() + duration * 1000;
    for (const userId of members) this.banMember(account, roomId, userId, until);
    return this.reply(undefined);
  }

  private unban(body: Record<string, unknown>, account: string): VendorReply {
    const checked = checkMembers(body, false);
    if ('code' in checked) return this.reply(checked);
    const { roomId, members } = checked;
    if (!this.roomExists(account, roomId)) return this.reply({ code: 100004, info: 'room does not exist' });
    for (const userId of members) this.banBook.lift(account, roomId, userId);
    return this.reply(undefined);
  }

  private bannedList(body: Record<string, unknown>, account: string): VendorReply {
    const roomId = body['RoomId'];
    if (typeof roomId !== 'string' || roomId === '') return this.reply({ code: 100002, info: 'RoomId is invalid' });
    const limit = body['Limit'] ?? MAX_LIST_LIMIT;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      return this.reply({ code: 100002, info: `Limit must be 1 to ${MAX_LIST_LIMIT}` });
    }
    const offset = listOffset(body);
    if (offset === undefined) return this.reply({ code: 100002, info: 'Next/Offset is invalid' });
    const all = this.banBook.list(account, roomId);
    const page = all.slice(offset, offset + limit);
    const next = offset + page.length < all.length ? offset + page.length : 0;
    const cursor = this.bannedListCursor === 'Next' ? { Next: next === 0 ? '' : String(next) } : { NextOffset: next };
    const list = page.map((ban) => ({ Member_Account: ban.userId, BannedUntil: Math.floor(ban.bannedUntilMs / 1000) }));
    return this.reply(undefined, { BannedAccountList: list, ...cursor });
  }

  private rateLimited(retryAfterSeconds: number | undefined): VendorReply {
    const reply = this.reply({ code: 60007, info: 'REST API call frequency exceeds the limit' });
    return retryAfterSeconds === undefined ? reply : { ...reply, headers: { 'Retry-After': String(retryAfterSeconds) } };
  }

  /** Every answer is HTTP 200; the result is in ErrorCode (docs/vendors.md#chat-action). */
  private reply(error: ChatError | undefined, response?: Record<string, unknown>): VendorReply {
    this.sequence += 1;
    const requestId = `Id-${randomHex(this.random, 32)}-O-Seq-${this.sequence}`;
    const body = {
      ActionStatus: error === undefined ? 'OK' : 'FAIL',
      ErrorCode: error?.code ?? 0,
      ErrorInfo: error?.info ?? '',
      RequestId: requestId,
      ...(response === undefined ? {} : { Response: response }),
    };
    return { status: 200, body, code: error === undefined ? '' : String(error.code), requestId };
  }

  protected accountOf(options: RoomOptions): string {
    return String(options.account ?? (this.accounts[0] as ChatSimulatorAccount).sdkAppId);
  }
}

/** The Room Engine action a request names, or undefined for any other path. */
function actionOf(request: SimRequest): string | undefined {
  const { pathname } = request.url;
  if (!pathname.startsWith(SERVICE_PATH)) return undefined;
  const action = pathname.slice(SERVICE_PATH.length);
  return ACTIONS.has(action) ? action : undefined;
}

/** RoomId, MemberList_Account (1..20) and, where the action requires one, Reason (<= 1000 bytes). */
function checkMembers(body: Record<string, unknown>, needsReason: boolean): { roomId: string; members: string[] } | ChatError {
  const roomId = body['RoomId'];
  const members = body['MemberList_Account'];
  const reason = body['Reason'];
  if (typeof roomId !== 'string' || roomId === '') return { code: 100002, info: 'RoomId is invalid' };
  if (!isStringArray(members) || members.length === 0 || members.length > MAX_MEMBERS) {
    return { code: 100002, info: `MemberList_Account must hold 1 to ${MAX_MEMBERS} accounts` };
  }
  if (needsReason && (typeof reason !== 'string' || Buffer.byteLength(reason) > MAX_REASON_BYTES)) {
    return { code: 100002, info: `Reason is required, at most ${MAX_REASON_BYTES} bytes` };
  }
  return { roomId, members };
}

/** The page's start: `Next` (a String offset, "" = 0) or `Offset` (a number); undefined when malformed. */
function listOffset(body: Record<string, unknown>): number | undefined {
  const next = body['Next'];
  const offset = body['Offset'];
  if (typeof next === 'string') return next === '' ? 0 : /^\d+$/.test(next) ? Number(next) : undefined;
  if (next !== undefined) return undefined;
  if (offset === undefined) return 0;
  return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

interface DecodedUserSig {
  identifier: string;
  sdkappid: number;
  time: number;
  expire: number;
  sig: string;
}

function decodeUserSigDocument(userSig: string): DecodedUserSig | undefined {
  try {
    const base64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
    const doc: unknown = JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString('utf8'));
    if (!isObject(doc)) return undefined;
    const [identifier, sdkappid, time, expire, sig] = [doc['TLS.identifier'], doc['TLS.sdkappid'], doc['TLS.time'], doc['TLS.expire'], doc['TLS.sig']];
    if (typeof identifier !== 'string' || typeof sdkappid !== 'number' || typeof time !== 'number') return undefined;
    if (typeof expire !== 'number' || typeof sig !== 'string') return undefined;
    return { identifier, sdkappid, time, expire, sig };
  } catch {
    return undefined;
  }
}
