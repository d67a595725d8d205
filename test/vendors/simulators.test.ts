// The simulators themselves: they accept requests signed by the vendors' official packages, reject
// wrong keys, stale timestamps and tampered bodies with the vendor's own errors, enforce their
// caps, and inject faults deterministically for a seed.

import assert from 'node:assert/strict';
import Tc3SignModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import VolcSignModule from '@volcengine/openapi/lib/base/sign.js';
import { Api as TlsSigApi } from 'tls-sig-api-v2';
import { request } from 'undici';
import {
  startAllSimulators,
  startChatSimulator,
  startTrtcSimulator,
  startVolcengineSimulator,
  type ChatSimulator,
  type TrtcSimulator,
  type VolcengineSimulator,
} from '../../src/sandbox/index.ts';
import { createVendorClient } from '../../src/vendors/factory.ts';
import { Tc3Signer } from '../../src/vendors/tc3-signer.ts';
import { generateUserSig } from '../../src/vendors/usersig-signer.ts';
import { VolcengineSigner } from '../../src/vendors/volcengine-signer.ts';
import { capturingRuntime, CHAT_ACCOUNT, TRTC_ACCOUNT, users, VOLC_ACCOUNT } from './helpers.ts';

const Sign = Tc3SignModule.default;
const VolcSigner = VolcSignModule.default;

interface RawAnswer {
  status: number;
  json: Record<string, unknown>;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  const response = await request(url, { method: 'POST', headers, body });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

// ------------------------------------------------------------------ TRTC

describe('TRTC simulator', () => {
  let sim: TrtcSimulator;
  const body = JSON.stringify({ SdkAppId: TRTC_ACCOUNT.sdkAppId, RoomId: 'room', UserIds: ['alice'] });

  function signedHeaders(options: { key?: string; secretId?: string; timestamp?: number; signedBody?: string } = {}): Record<string, string> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signer = new Tc3Signer({ secretId: options.secretId ?? TRTC_ACCOUNT.secretId, secretKey: options.key ?? TRTC_ACCOUNT.secretKey });
    const { authorization } = signer.sign({
      method: 'POST',
      host: '127.0.0.1',
      path: '/',
      query: '',
      contentType: 'application/json',
      body: options.signedBody ?? body,
      timestampSeconds: timestamp,
      service: 'trtc',
    });
    return {
      'Content-Type': 'application/json',
      'X-TC-Action': 'RemoveUserByStrRoomId',
      'X-TC-Version': '2019-07-22',
      'X-TC-Region': 'ap-guangzhou',
      'X-TC-Timestamp': String(timestamp),
      Authorization: authorization,
    };
  }

  function errorCode(answer: RawAnswer): string | undefined {
    const response = answer.json['Response'] as { Error?: { Code: string } };
    return response.Error?.Code;
  }

  before(async () => {
    sim = await startTrtcSimulator({ accounts: [TRTC_ACCOUNT], requestsPerSecond: Infinity });
    sim.addMembers('room', users('u', 100).concat('alice'));
  });
  after(async () => sim.close());

  it('accepts a request signed by the official SDK (Sign.sign3)', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const authorization = Sign.sign3({
      method: 'POST',
      url: `${sim.url}/`,
      payload: JSON.parse(body) as object,
      timestamp,
      service: 'trtc',
      secretId: TRTC_ACCOUNT.secretId,
      secretKey: TRTC_ACCOUNT.secretKey,
      multipart: false,
      boundary: '',
      headers: { 'Content-Type': 'application/json' },
    });
    const answer = await post(`${sim.url}/`, { ...signedHeaders({ timestamp }), Authorization: authorization }, body);
    assert.equal(errorCode(answer), undefined);
    assert.match(String((answer.json['Response'] as { RequestId: string }).RequestId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('rejects a wrong key with AuthFailure.SignatureFailure', async () => {
    assert.equal(errorCode(await post(`${sim.url}/`, signedHeaders({ key: 'wrong' }), body)), 'AuthFailure.SignatureFailure');
  });

  it('rejects an unknown SecretId with AuthFailure.SecretIdNotFound', async () => {
    assert.equal(errorCode(await post(`${sim.url}/`, signedHeaders({ secretId: 'AKIDnobody' }), body)), 'AuthFailure.SecretIdNotFound');
  });

  it('rejects a timestamp more than 5 minutes old with AuthFailure.SignatureExpire', async () => {
    const stale = Math.floor(Date.now() / 1000) - 301;
    assert.equal(errorCode(await post(`${sim.url}/`, signedHeaders({ timestamp: stale }), body)), 'AuthFailure.SignatureExpire');
  });

  it('rejects a tampered body with AuthFailure.SignatureFailure', async () => {
    const tampered = body.replace('alice', 'mallory');
    assert.equal(errorCode(await post(`${sim.url}/`, signedHeaders(), tampered)), 'AuthFailure.SignatureFailure');
  });

  it('rejects a malformed Authorization with AuthFailure.InvalidAuthorization', async () => {
    assert.equal(errorCode(await post(`${sim.url}/`, { ...signedHeaders(), Authorization: 'Basic x' }, body)), 'AuthFailure.InvalidAuthorization');
  });

  it('answers the cap with RequestLimitExceeded and counts the rejections', async () => {
    // A frozen simulator clock: no tokens refill during the burst, so the count is exact.
    const frozen = Date.now();
    const capped = await startTrtcSimulator({ accounts: [TRTC_ACCOUNT], requestsPerSecond: 20, now: () => frozen });
    try {
      capped.addMembers('room', ['alice']);
      const answers = await Promise.all(Array.from({ length: 30 }, () => post(`${capped.url}/`, signedHeaders(), body)));
      const limited = answers.filter((a) => errorCode(a) === 'RequestLimitExceeded').length;
      assert.equal(limited, 10, '20 of 30 fit the cap');
      assert.equal(capped.rateLimitRejections, limited);
      capped.setRequestsPerSecond(Infinity);
      const after = await Promise.all(Array.from({ length: 30 }, () => post(`${capped.url}/`, signedHeaders(), body)));
      assert.ok(after.every((a) => errorCode(a) !== 'RequestLimitExceeded'), 'the cap can be lifted');
    } finally {
      await capped.close();
    }
  });
});

// ------------------------------------------------------------------ Chat

describe('Chat simulator', () => {
  let sim: ChatSimulator;
  const body = JSON.stringify({ RoomId: 'room', MemberList_Account: ['alice'], Reason: 'r' });

  function url(userSig: string, identifier = CHAT_ACCOUNT.adminIdentifier): string {
    const query = new URLSearchParams({ sdkappid: String(CHAT_ACCOUNT.sdkAppId), identifier, usersig: userSig, random: '42', contenttype: 'json' });
    return `${sim.url}/v4/room_engine_http_srv/kick_user_out?${query.toString()}`;
  }

  function userSig(options: { key?: string; identifier?: string; time?: number; expire?: number } = {}): string {
    return generateUserSig(options.key ?? CHAT_ACCOUNT.secretKey, {
      sdkAppId: CHAT_ACCOUNT.sdkAppId,
      identifier: options.identifier ?? CHAT_ACCOUNT.adminIdentifier,
      timeSeconds: options.time ?? Math.floor(Date.now() / 1000),
      expireSeconds: options.expire ?? 86_400,
    });
  }

  before(async () => {
    sim = await startChatSimulator({ accounts: [CHAT_ACCOUNT], requestsPerSecond: Infinity });
    sim.addMembers('room', ['alice', 'bob']);
  });
  after(async () => sim.close());

  it('accepts a UserSig minted by the official tls-sig-api-v2', async () => {
    const official = new TlsSigApi(CHAT_ACCOUNT.sdkAppId, CHAT_ACCOUNT.secretKey).genUserSig(CHAT_ACCOUNT.adminIdentifier, 86_400);
    const answer = await post(url(official), { 'Content-Type': 'application/json' }, body);
    assert.deepEqual([answer.json['ErrorCode'], answer.json['ActionStatus']], [0, 'OK']);
    assert.match(String(answer.json['RequestId']), /^Id-[0-9a-f]{32}-O-Seq-\d+$/);
  });

  it('rejects a UserSig minted with a wrong key (70009)', async () => {
    const answer = await post(url(userSig({ key: 'wrong' })), {}, body);
    assert.equal(answer.json['ErrorCode'], 70009);
  });

  it('rejects an expired UserSig (70001)', async () => {
    const answer = await post(url(userSig({ time: Math.floor(Date.now() / 1000) - 100, expire: 60 })), {}, body);
    assert.equal(answer.json['ErrorCode'], 70001);
  });

  it("rejects a UserSig for another identifier (70013) and a missing one (70002)", async () => {
    assert.equal((await post(url(userSig({ identifier: 'someone' })), {}, body)).json['ErrorCode'], 70013);
    assert.equal((await post(url(''), {}, body)).json['ErrorCode'], 70002);
  });

  it('serves the ban paths with the same UserSig check, and get_banned_member_list takes an Offset cursor too', async () => {
    const at = (action: string, sig = userSig()) =>
      `${sim.url}/v4/room_engine_http_srv/${action}?${new URLSearchParams({ sdkappid: String(CHAT_ACCOUNT.sdkAppId), identifier: CHAT_ACCOUNT.adminIdentifier, usersig: sig, random: '7', contenttype: 'json' }).toString()}`;
    const banBody = JSON.stringify({ RoomId: 'room', MemberList_Account: ['alice', 'bob'], Reason: 'r', Duration: 120 });
    assert.equal((await post(at('ban_room_member', userSig({ key: 'wrong' })), {}, banBody)).json['ErrorCode'], 70009);
    assert.equal((await post(at('ban_room_member'), {}, banBody)).json['ErrorCode'], 0);
    assert.deepEqual(sim.members('room'), []);
    assert.deepEqual(sim.joinUser('room', 'alice').joined, false);
    const byOffset = await post(at('get_banned_member_list'), {}, JSON.stringify({ RoomId: 'room', Limit: 1, Offset: 1 }));
    const response = byOffset.json['Response'] as { BannedAccountList: Array<{ Member_Account: string; BannedUntil: number }>; NextOffset: number };
    assert.deepEqual(response.BannedAccountList.map((b) => b.Member_Account), ['bob']);
    assert.equal(response.NextOffset, 0);
    assert.ok(Math.abs((response.BannedAccountList[0]?.BannedUntil ?? 0) - (Math.floor(Date.now() / 1000) + 120)) <= 2);
    const unban = await post(at('unban_room_member'), {}, JSON.stringify({ RoomId: 'room', MemberList_Account: ['alice', 'bob'] }));
    assert.equal(unban.json['ErrorCode'], 0);
    assert.deepEqual(sim.bans('room'), []);
    sim.addMembers('room', ['alice', 'bob']);
  });

  it('rejects a garbled UserSig (70003)', async () => {
    assert.equal((await post(url('eJnot-a-sig'), {}, body)).json['ErrorCode'], 70003);
  });
});

// ------------------------------------------------------------------ Volcengine

describe('Volcengine simulator', () => {
  let sim: VolcengineSimulator;
  const body = JSON.stringify({ AppId: VOLC_ACCOUNT.appIds[0], RoomId: 'room', UserId: 'alice' });

  function signed(options: { key?: string; timeMs?: number; signedBody?: string } = {}): Record<string, string> {
    const signer = new VolcengineSigner({ accessKeyId: VOLC_ACCOUNT.accessKeyId, secretAccessKey: options.key ?? VOLC_ACCOUNT.secretAccessKey });
    return signer.sign({
      method: 'POST',
      path: '/',
      query: { Action: 'KickUser', Version: '2020-12-01' },
      headers: { 'Content-Type': 'application/json', Host: new URL(sim.url).host },
      body: options.signedBody ?? body,
      timeMs: options.timeMs ?? Date.now(),
      region: 'cn-north-1',
      service: 'rtc',
    }).headers;
  }

  function errorCode(answer: RawAnswer): string | undefined {
    const metadata = answer.json['ResponseMetadata'] as { Error?: { Code: string } };
    return metadata.Error?.Code;
  }

  const kickUrl = () => `${sim.url}/?Action=KickUser&Version=2020-12-01`;

  before(async () => {
    sim = await startVolcengineSimulator({ accounts: [VOLC_ACCOUNT], requestsPerSecond: Infinity });
  });
  after(async () => sim.close());

  it('accepts a request signed by the official @volcengine/openapi Signer (its SignedHeaders form)', async () => {
    const req = {
      region: 'cn-north-1',
      method: 'POST',
      pathname: '/',
      params: { Action: 'KickUser', Version: '2020-12-01' },
      headers: { 'Content-Type': 'application/json' } as Record<string, string>,
      body,
    };
    new VolcSigner(req, 'rtc').addAuthorization({ accessKeyId: VOLC_ACCOUNT.accessKeyId, secretKey: VOLC_ACCOUNT.secretAccessKey });
    assert.match(String(req.headers['Authorization']), /SignedHeaders=x-content-sha256;x-date,/);
    const answer = await post(kickUrl(), req.headers, body);
    assert.equal(errorCode(answer), undefined);
    assert.equal(answer.status, 200);
    assert.match(String((answer.json['ResponseMetadata'] as { RequestId: string }).RequestId), /^\d{14}[0-9A-F]{18}$/);
  });

  for (const [action, version, banBody] of [
    ['BanRoomUser', '2023-11-01', { AppId: VOLC_ACCOUNT.appIds[0], RoomId: 'room', UserId: 'alice', ForbiddenInterval: 60 }],
    ['UpdateBanRoomUserRule', '2023-11-01', { AppId: VOLC_ACCOUNT.appIds[0], RoomId: 'room', UserId: 'alice', ForbiddenInterval: 0 }],
    ['GetRoomUsersProperty', '2023-11-01', { AppId: VOLC_ACCOUNT.appIds[0], RoomId: 'room', UserIds: ['alice'] }],
  ] as const) {
    it(`accepts ${action} ${version} signed by the official Signer, and refuses another version`, async () => {
      const text = JSON.stringify(banBody);
      const signedBy = (v: string) => {
        const req = {
          region: 'cn-north-1',
          method: 'POST',
          pathname: '/',
          params: { Action: action, Version: v },
          headers: { 'Content-Type': 'application/json' } as Record<string, string>,
          body: text,
        };
        new VolcSigner(req, 'rtc').addAuthorization({ accessKeyId: VOLC_ACCOUNT.accessKeyId, secretKey: VOLC_ACCOUNT.secretAccessKey });
        return req.headers;
      };
      const answer = await post(`${sim.url}/?Action=${action}&Version=${version}`, signedBy(version), text);
      assert.deepEqual([answer.status, errorCode(answer)], [200, undefined]);
      assert.equal((answer.json['ResponseMetadata'] as { Action: string }).Action, action);
      const old = await post(`${sim.url}/?Action=${action}&Version=2020-12-01`, signedBy('2020-12-01'), text);
      assert.equal(errorCode(old), 'InvalidActionOrVersion');
    });
  }

  it('clamps ForbiddenInterval as documented ({0, [10, 604800]})', async () => {
    const ban = async (user: string, interval: number) => {
      const text = JSON.stringify({ AppId: VOLC_ACCOUNT.appIds[0], RoomId: 'clamp', UserId: user, ForbiddenInterval: interval });
      const signer = new VolcengineSigner({ accessKeyId: VOLC_ACCOUNT.accessKeyId, secretAccessKey: VOLC_ACCOUNT.secretAccessKey });
      const { Host: _host, ...headers } = signer.sign({
        method: 'POST',
        path: '/',
        query: { Action: 'BanRoomUser', Version: '2023-11-01' },
        headers: { 'Content-Type': 'application/json', Host: new URL(sim.url).host },
        body: text,
        timeMs: Date.now(),
        region: 'cn-north-1',
        service: 'rtc',
      }).headers;
      return post(`${sim.url}/?Action=BanRoomUser&Version=2023-11-01`, headers, text);
    };
    const before = Date.now();
    await ban('low', 3);
    await ban('high', 10_000_000);
    await ban('kick', 0);
    const second = await ban('low', 60);
    assert.equal((second.json['Result'] as { Message: string }).Message, 'User has been banned');
    const ends = Object.fromEntries(sim.bans('clamp').map((b) => [b.userId, b.bannedUntilMs - before]));
    assert.ok((ends['low'] ?? 0) >= 9_000 && (ends['low'] ?? 0) <= 11_000, 'below 10 -> 10 (kept on the repeat)');
    assert.ok((ends['high'] ?? 0) >= 604_799_000 && (ends['high'] ?? 0) <= 604_801_000, 'above 604800 -> 604800');
    assert.equal(ends['kick'], undefined, '0 kicks without a ban');
  });

  it('accepts the four-header form our client sends', async () => {
    const { Host: _host, ...headers } = signed();
    assert.equal(errorCode(await post(kickUrl(), headers, body)), undefined);
  });

  it('rejects a wrong key with SignatureDoesNotMatch (401)', async () => {
    const { Host: _host, ...headers } = signed({ key: 'wrong' });
    const answer = await post(kickUrl(), headers, body);
    assert.deepEqual([answer.status, errorCode(answer)], [401, 'SignatureDoesNotMatch']);
  });

  it('rejects a stale X-Date with InvalidTimestamp', async () => {
    const { Host: _host, ...headers } = signed({ timeMs: Date.now() - 16 * 60_000 });
    assert.equal(errorCode(await post(kickUrl(), headers, body)), 'InvalidTimestamp');
  });

  it('rejects a tampered body with SignatureDoesNotMatch', async () => {
    const { Host: _host, ...headers } = signed();
    assert.equal(errorCode(await post(kickUrl(), headers, body.replace('alice', 'mallory'))), 'SignatureDoesNotMatch');
  });

  it('rejects an unsigned request with MissingAuthenticationToken', async () => {
    assert.equal(errorCode(await post(kickUrl(), { 'Content-Type': 'application/json' }, body)), 'MissingAuthenticationToken');
  });
});

// ------------------------------------------------------------------ shared behaviour

describe('simulator faults and call log', () => {
  it('draws the same faults for the same seed', async () => {
    const run = async (): Promise<string[]> => {
      const all = await startAllSimulators({ seed: 99, trtc: { requestsPerSecond: Infinity } });
      const { runtime } = capturingRuntime({ capOverrides: { tencentTRTC: 1_000 } });
      try {
        all.trtc.faults.set({ probabilities: { serverError: 0.2, internalError: 0.2, malformedJson: 0.1 } });
        all.trtc.addMembers('room', users('u', 30));
        const client = createVendorClient(all.providerConfigs().tencentTRTC, runtime);
        for (const user of users('u', 30)) await client.removeUsers({ roomId: 'room', roomIdType: 'String', userIds: [user], reason: '' });
        return all.trtc.calls.map((c) => c.fault ?? '-');
      } finally {
        await runtime.close();
        await all.close();
      }
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.some((f) => f !== '-') && first.some((f) => f === '-'), 'some faults, some clean calls');
  });

  it('holds a request until released (tests change the world while a call is in flight); clear() releases', async () => {
    const all = await startAllSimulators();
    const { runtime } = capturingRuntime();
    try {
      all.volcengine.addMembers('room', ['a', 'b']);
      const client = createVendorClient(all.providerConfigs().volcengineRTC, runtime);
      const kick = (user: string) => client.removeUsers({ roomId: 'room', roomIdType: 'String', userIds: [user], reason: '' });
      const hold = all.volcengine.faults.holdNext();
      let answered = false;
      const call = kick('a').then((results) => {
        answered = true;
        return results;
      });
      await hold.received;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(answered, false, 'held');
      assert.deepEqual(all.volcengine.members('room'), ['a', 'b'], 'not carried out while held');
      hold.release();
      assert.equal((await call)[0]?.outcome, 'Removed');
      assert.equal((await kick('b'))[0]?.outcome, 'Removed', 'one hold holds one request');
      all.volcengine.addMembers('room', ['c']);
      all.volcengine.faults.holdNext();
      const held = kick('c');
      await new Promise((r) => setTimeout(r, 100));
      all.volcengine.faults.clear();
      assert.equal((await held)[0]?.outcome, 'Removed');
    } finally {
      await runtime.close();
      await all.close();
    }
  });

  it('records vendor, action, account, room, users, code, RequestId and time for every call', async () => {
    const all = await startAllSimulators();
    const { runtime } = capturingRuntime();
    try {
      const configs = all.providerConfigs();
      all.chat.addMembers('room', ['a']);
      const before = Date.now();
      const [result] = await createVendorClient(configs.tencentChat, runtime).removeUsers({ roomId: 'room', roomIdType: 'String', userIds: ['a', 'b'], reason: 'x' });
      assert.equal(result?.outcome, 'Removed');
      const [first] = all.chat.calls;
      assert.ok(first);
      assert.equal(first.vendor, 'tencentChat');
      assert.equal(first.action, 'kick_user_out');
      assert.equal(first.account, String(configs.tencentChat.vendor === 'tencentChat' ? configs.tencentChat.sdkAppId : ''));
      assert.equal(first.roomId, 'room');
      assert.deepEqual(first.userIds, ['a', 'b']);
      assert.equal(first.code, '100005');
      assert.ok(first.time >= before);
      assert.notEqual(first.requestId, '');
    } finally {
      await runtime.close();
      await all.close();
    }
  });
});
