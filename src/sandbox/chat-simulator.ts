// A Tencent Chat Room Engine simulator: POST /v4/room_engine_http_srv/kick_user_out
// (docs/vendors.md#tencent-chat). It checks the admin UserSig the way the vendor does (decode, recompute
// TLS.sig with the app key, check identifier/sdkappid/expiry), independently of src/vendors.
// Chat does not sign the body, so a tampered body cannot be detected here (nor by the vendor).
//
// Membership choices (UNCONFIRMED, docs/vendors.md#the-boundary): a room without members does not exist
// (100004); a batch naming any non-member answers 100005, and by default removes nobody
// (`absentBatchBehaviour: 'removePresent'` removes the members it did name instead).

import { createHmac } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { VendorName } from '../api/types.ts';
import { randomHex } from './prng.ts';
import { listening, SimulatorBase } from './simulator-base.ts';
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
}

const DOCUMENTED_CAP = 200;
const KICK_PATH = '/v4/room_engine_http_srv/kick_user_out';
const MAX_MEMBERS = 20;
const MAX_REASON_BYTES = 1000;

export async function startChatSimulator(options: ChatSimulatorOptions): Promise<ChatSimulator> {
  return listening(new ChatSimulator(options), options);
}

interface ChatError {
  code: number;
  info: string;
}

export class ChatSimulator extends SimulatorBase {
  readonly vendor: VendorName = 'tencentChat';
  private readonly accounts: readonly ChatSimulatorAccount[];
  private readonly absentBatchBehaviour: 'removeNone' | 'removePresent';
  private sequence = 0;

  constructor(options: ChatSimulatorOptions) {
    if (options.accounts.length === 0) throw new Error('Chat simulator needs at least one account');
    super(options, { documentedCap: DOCUMENTED_CAP, startFunction: 'startChatSimulator' });
    this.accounts = options.accounts;
    this.absentBatchBehaviour = options.absentBatchBehaviour ?? 'removeNone';
  }

  describe(request: SimRequest): CallDescription {
    const body = parseJson(request.body);
    const fields = isObject(body) ? body : {};
    return {
      action: request.url.pathname === KICK_PATH ? 'kick_user_out' : request.url.pathname,
      account: request.url.searchParams.get('sdkappid') ?? '',
      roomId: typeof fields['RoomId'] === 'string' ? fields['RoomId'] : '',
      userIds: isStringArray(fields['MemberList_Account']) ? fields['MemberList_Account'] : [],
    };
  }

  answer(request: SimRequest, fault: VendorFault | undefined, retryAfterSeconds: number | undefined): VendorReply {
    if (request.method !== 'POST') return this.reply({ code: 60002, info: 'only POST is supported' });
    if (request.url.pathname !== KICK_PATH) return this.reply({ code: 60009, info: 'request resource is invalid' });
    const auth = this.authenticate(request.url.searchParams);
    if ('code' in auth) return this.reply(auth);
    if (!this.cap.admit(String(auth.sdkAppId))) return this.rateLimited(retryAfterSeconds);
    if (fault === 'rateLimit') return this.rateLimited(retryAfterSeconds);
    if (fault === 'internalError') return this.reply({ code: 100001, info: 'internal error, please retry' });
    if (fault === 'authExpired') return this.reply({ code: 70001, info: 'UserSig expired' });
    if (typeof fault === 'object') return this.reply({ code: Number(fault.errorCode), info: `injected error ${fault.errorCode}` });
    return this.kick(request, String(auth.sdkAppId));
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

  private kick(request: SimRequest, account: string): VendorReply {
    const body = parseJson(request.body);
    if (!isObject(body)) return this.reply({ code: 60003, info: 'request JSON is invalid' });
    const roomId = body['RoomId'];
    const members = body['MemberList_Account'];
    const reason = body['Reason'];
    if (typeof roomId !== 'string' || roomId === '') return this.reply({ code: 100002, info: 'RoomId is invalid' });
    if (!isStringArray(members) || members.length === 0 || members.length > MAX_MEMBERS) {
      return this.reply({ code: 100002, info: `MemberList_Account must hold 1 to ${MAX_MEMBERS} accounts` });
    }
    if (typeof reason !== 'string' || Buffer.byteLength(reason) > MAX_REASON_BYTES) {
      return this.reply({ code: 100002, info: `Reason is required, at most ${MAX_REASON_BYTES} bytes` });
    }
    if (!this.rooms.exists(account, roomId, 'String')) return this.reply({ code: 100004, info: 'room does not exist' });
    const present = members.filter((m) => this.rooms.isMember(account, roomId, 'String', m));
    if (present.length < members.length) {
      if (this.absentBatchBehaviour === 'removePresent') this.rooms.remove(account, roomId, 'String', present);
      return this.reply({ code: 100005, info: 'not a room member' });
    }
    this.rooms.remove(account, roomId, 'String', members);
    return this.reply(undefined);
  }

  private rateLimited(retryAfterSeconds: number | undefined): VendorReply {
    const reply = this.reply({ code: 60007, info: 'REST API call frequency exceeds the limit' });
    return retryAfterSeconds === undefined ? reply : { ...reply, headers: { 'Retry-After': String(retryAfterSeconds) } };
  }

  /** Every answer is HTTP 200; the result is in ErrorCode (docs/vendors.md#chat-action). */
  private reply(error: ChatError | undefined): VendorReply {
    this.sequence += 1;
    const requestId = `Id-${randomHex(this.random, 32)}-O-Seq-${this.sequence}`;
    const body = {
      ActionStatus: error === undefined ? 'OK' : 'FAIL',
      ErrorCode: error?.code ?? 0,
      ErrorInfo: error?.info ?? '',
      RequestId: requestId,
    };
    return { status: 200, body, code: error === undefined ? '' : String(error.code), requestId };
  }

  protected accountOf(options: RoomOptions): string {
    return String(options.account ?? (this.accounts[0] as ChatSimulatorAccount).sdkAppId);
  }
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
