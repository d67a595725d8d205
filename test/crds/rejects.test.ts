// Every mistake a manifest can make that the schema or CEL can catch is refused at create time by
// the real API server, with an error that names the offending field. One `it` per mistake.

import assert from 'node:assert/strict';
import type { RoomBan, RoomProvider } from '../../src/api/types.ts';
import { VENDOR_RULES } from '../../src/api/vendor-rules.ts';
import {
  type ApiStatus,
  chatProvider,
  clusterProvider,
  copy,
  create,
  rejection,
  replaceRoomBan,
  roomBan,
  statusOf,
  useCrdNamespace,
  trtcProvider,
  volcengineProvider,
  withDefaults,
} from './support.ts';

// The bounds the CRD's CEL rules enforce are the operator's own vendor rules (api/vendor-rules.ts):
// these tests read them from there, so the two cannot drift apart.
const MAX_ROOM = VENDOR_RULES.tencentTRTC.maxNumericRoomId ?? 0;
const REASON_BYTES = VENDOR_RULES.tencentChat.maxReasonBytes ?? 0;
const CAP = { trtc: VENDOR_RULES.tencentTRTC.requestsPerSecond, chat: VENDOR_RULES.tencentChat.requestsPerSecond, volc: VENDOR_RULES.volcengineRTC.requestsPerSecond };
const numericRange = new RegExp(`decimal integer from 1 to ${MAX_ROOM}`);

interface Case {
  title: string;
  object: RoomBan | RoomProvider;
  /** The field the API server must name, e.g. "spec.users[1]". */
  field: string;
  /** What the message must also say. */
  says?: RegExp;
  /** 422 Invalid (schema, CEL) unless the request does not even decode (400, strict decoding). */
  code?: 400 | 422;
}

/**
 * `base` with fields changed, by dotted path ("spec.tencentTRTC.sdkAppId"); `undefined` deletes the
 * field. The changes break the types on purpose: that is the point.
 */
function broken<T extends RoomBan | RoomProvider>(base: T, changes: Record<string, unknown>): T {
  const object = copy(base);
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop() ?? assert.fail(`empty path`);
    let parent = object as unknown as Record<string, unknown>;
    for (const key of keys) parent = (parent[key] ??= {}) as Record<string, unknown>;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return object;
}

const threeByteChars = (count: number) => '禁'.repeat(count); // U+7981: 3 bytes in UTF-8

const ROOM_BAN_CASES: Case[] = [
  { title: 'a duration under 10s', object: broken(roomBan(), { 'spec.duration': '9s' }), field: 'spec.duration', says: /must be from 10s to 168h/ },
  { title: 'a duration over 168h', object: broken(roomBan(), { 'spec.duration': '168h1s' }), field: 'spec.duration', says: /must be from 10s to 168h/ },
  { title: 'a duration in days (not Go syntax)', object: broken(roomBan(), { 'spec.duration': '7d' }), field: 'spec.duration', says: /should match/ },
  { title: 'a duration without a unit', object: broken(roomBan(), { 'spec.duration': '3600' }), field: 'spec.duration', says: /should match/ },
  { title: 'a negative duration', object: broken(roomBan(), { 'spec.duration': '-1h' }), field: 'spec.duration', says: /should match/ },
  { title: 'a duration given as a number', object: broken(roomBan(), { 'spec.duration': 3600 }), field: 'spec.duration', says: /must be of type string/ },
  { title: 'an unknown deletionPolicy', object: broken(roomBan(), { 'spec.deletionPolicy': 'Delete' }), field: 'spec.deletionPolicy', says: /Unsupported value: "Delete"/ },
  { title: 'a RoomBan without users', object: broken(roomBan(), { 'spec.users': undefined }), field: 'spec.users', says: /Required/ },
  { title: 'an empty users list', object: broken(roomBan(), { 'spec.users': [] }), field: 'spec.users', says: /at least 1 item/ },
  { title: 'a duplicate user', object: broken(roomBan(), { 'spec.users': ['a', 'b', 'a'] }), field: 'spec.users[2]', says: /Duplicate value: "a"/ },
  {
    title: '501 users (status must fit in one etcd object)',
    object: broken(roomBan(), { 'spec.users': Array.from({ length: 501 }, (_, i) => `user${i}`) }),
    field: 'spec.users',
    says: /at most 500 items/,
  },
  { title: 'an empty user ID', object: broken(roomBan(), { 'spec.users': ['ok', ''] }), field: 'spec.users[1]', says: /at least 1 chars/ },
  { title: 'a user ID over 128 characters', object: broken(roomBan(), { 'spec.users': ['u'.repeat(129)] }), field: 'spec.users[0]', says: /Too long: may not be more than 128/ },
  { title: 'a user ID with a space', object: broken(roomBan(), { 'spec.users': ['bad user'] }), field: 'spec.users[0]', says: /should match/ },
  { title: 'a user ID with a slash', object: broken(roomBan(), { 'spec.users': ['a/b'] }), field: 'spec.users[0]', says: /should match/ },
  { title: 'a non-ASCII user ID', object: broken(roomBan(), { 'spec.users': ['用户1'] }), field: 'spec.users[0]', says: /should match/ },
  { title: 'a numeric user ID (unquoted in YAML)', object: broken(roomBan(), { 'spec.users': [12345] }), field: 'spec.users[0]', says: /must be of type string/ },
  { title: 'users given as a string', object: broken(roomBan(), { 'spec.users': 'test1,test2' }), field: 'spec.users', says: /must be of type array/ },
  { title: 'a RoomBan without roomId', object: broken(roomBan(), { 'spec.roomId': undefined }), field: 'spec.roomId', says: /Required/ },
  { title: 'an empty roomId', object: broken(roomBan(), { 'spec.roomId': '' }), field: 'spec.roomId', says: /at least 1 chars/ },
  { title: 'a roomId over 128 characters', object: broken(roomBan(), { 'spec.roomId': 'r'.repeat(129) }), field: 'spec.roomId', says: /Too long: may not be more than 128/ },
  { title: 'a roomId with a slash', object: broken(roomBan(), { 'spec.roomId': 'room/1' }), field: 'spec.roomId', says: /should match/ },
  { title: 'a roomId with a newline', object: broken(roomBan(), { 'spec.roomId': 'room\n1' }), field: 'spec.roomId', says: /should match/ },
  { title: 'a non-ASCII roomId', object: broken(roomBan(), { 'spec.roomId': '房间' }), field: 'spec.roomId', says: /should match/ },
  {
    title: 'a Numeric room that is not a number',
    object: broken(roomBan(), { 'spec.roomIdType': 'Numeric', 'spec.roomId': 'abcd' }),
    field: 'spec.roomId',
    says: numericRange,
  },
  {
    title: 'Numeric room 0',
    object: broken(roomBan(), { 'spec.roomIdType': 'Numeric', 'spec.roomId': '0' }),
    field: 'spec.roomId',
    says: numericRange,
  },
  {
    title: `Numeric room ${MAX_ROOM + 1}`,
    object: broken(roomBan(), { 'spec.roomIdType': 'Numeric', 'spec.roomId': String(MAX_ROOM + 1) }),
    field: 'spec.roomId',
    says: numericRange,
  },
  {
    title: 'a Numeric room with a leading zero (007 and 7 are the same room)',
    object: broken(roomBan(), { 'spec.roomIdType': 'Numeric', 'spec.roomId': '007' }),
    field: 'spec.roomId',
    says: /without leading zeros/,
  },
  {
    title: 'a Numeric room of 11 digits',
    object: broken(roomBan(), { 'spec.roomIdType': 'Numeric', 'spec.roomId': '10000000000' }),
    field: 'spec.roomId',
    says: numericRange,
  },
  { title: 'an unknown roomIdType', object: broken(roomBan(), { 'spec.roomIdType': 'Integer' }), field: 'spec.roomIdType', says: /Unsupported value: "Integer"/ },
  {
    title: `a reason over ${REASON_BYTES} bytes but under ${REASON_BYTES} characters`,
    object: broken(roomBan(), { 'spec.reason': threeByteChars(Math.ceil(REASON_BYTES / 3) + 66) }),
    field: 'spec.reason',
    says: new RegExp(`at most ${REASON_BYTES} bytes`),
  },
  { title: 'a reason over 1000 characters', object: broken(roomBan(), { 'spec.reason': 'x'.repeat(1001) }), field: 'spec.reason', says: /Too long: may not be more than 1000/ },
  { title: 'a RoomBan without providerRef', object: broken(roomBan(), { 'spec.providerRef': undefined }), field: 'spec.providerRef', says: /Required/ },
  { title: 'a providerRef without name', object: broken(roomBan(), { 'spec.providerRef': { kind: 'RoomProvider' } }), field: 'spec.providerRef.name', says: /Required/ },
  { title: 'a providerRef name that is not an object name', object: broken(roomBan(), { 'spec.providerRef.name': 'Trtc_Intl' }), field: 'spec.providerRef.name', says: /should match/ },
  { title: 'an unknown providerRef kind', object: broken(roomBan(), { 'spec.providerRef.kind': 'Provider' }), field: 'spec.providerRef.kind', says: /Unsupported value: "Provider"/ },
  { title: 'a RoomBan without spec', object: broken(roomBan(), { 'spec': undefined }), field: 'spec', says: /Required/ },
  { title: 'an unknown spec field (a typo)', object: broken(roomBan(), { 'spec.reasn': 'typo' }), field: 'spec.reasn', code: 400 },
  { title: 'an unknown providerRef field', object: broken(roomBan(), { 'spec.providerRef.namespace': 'other' }), field: 'spec.providerRef.namespace', code: 400 },
];

const PROVIDER_CASES: Case[] = [
  {
    title: 'a provider with no vendor member',
    object: broken(trtcProvider(), { 'spec.tencentTRTC': undefined }),
    field: 'spec',
    says: /exactly one of tencentTRTC, tencentChat or volcengineRTC/,
  },
  {
    title: 'a provider with two vendor members',
    object: broken(trtcProvider(), { 'spec.tencentChat': chatProvider().spec.tencentChat }),
    field: 'spec',
    says: /exactly one of tencentTRTC, tencentChat or volcengineRTC/,
  },
  { title: 'sdkAppId 0', object: broken(trtcProvider(), { 'spec.tencentTRTC.sdkAppId': 0 }), field: 'spec.tencentTRTC.sdkAppId', says: /greater than or equal to 1/ },
  {
    title: 'sdkAppId 4294967296 (over 32 bits)',
    object: broken(trtcProvider(), { 'spec.tencentTRTC.sdkAppId': 4294967296 }),
    field: 'spec.tencentTRTC.sdkAppId',
    says: /less than or equal to 4294967295/,
  },
  { title: 'sdkAppId as a string', object: broken(trtcProvider(), { 'spec.tencentTRTC.sdkAppId': '1400000001' }), field: 'spec.tencentTRTC.sdkAppId', says: /must be of type integer/ },
  { title: 'a Chat sdkAppId of 0', object: broken(chatProvider(), { 'spec.tencentChat.sdkAppId': 0 }), field: 'spec.tencentChat.sdkAppId', says: /greater than or equal to 1/ },
  { title: 'a TRTC provider without region', object: broken(trtcProvider(), { 'spec.tencentTRTC.region': undefined }), field: 'spec.tencentTRTC.region', says: /Required/ },
  { title: 'a region with capitals and spaces', object: broken(trtcProvider(), { 'spec.tencentTRTC.region': 'AP Singapore' }), field: 'spec.tencentTRTC.region', says: /should match/ },
  { title: 'a Chat provider without adminIdentifier', object: broken(chatProvider(), { 'spec.tencentChat.adminIdentifier': undefined }), field: 'spec.tencentChat.adminIdentifier', says: /Required/ },
  { title: 'a Chat adminIdentifier with @', object: broken(chatProvider(), { 'spec.tencentChat.adminIdentifier': 'admin@example' }), field: 'spec.tencentChat.adminIdentifier', says: /should match/ },
  { title: 'a Chat adminIdentifier over 32 characters', object: broken(chatProvider(), { 'spec.tencentChat.adminIdentifier': 'a'.repeat(33) }), field: 'spec.tencentChat.adminIdentifier', says: /Too long: may not be more than 32/ },
  { title: 'a Volcengine appId with punctuation', object: broken(volcengineProvider(), { 'spec.volcengineRTC.appId': 'app-id!' }), field: 'spec.volcengineRTC.appId', says: /should match/ },
  { title: 'a Volcengine provider without appId', object: broken(volcengineProvider(), { 'spec.volcengineRTC.appId': undefined }), field: 'spec.volcengineRTC.appId', says: /Required/ },
  { title: 'an endpoint that is not a URL', object: broken(trtcProvider(), { 'spec.tencentTRTC.endpoint': 'not a url' }), field: 'spec.tencentTRTC.endpoint', says: /absolute http or https URL/ },
  { title: 'an ftp endpoint', object: broken(chatProvider(), { 'spec.tencentChat.endpoint': 'ftp://sandbox.example/' }), field: 'spec.tencentChat.endpoint', says: /absolute http or https URL/ },
  { title: 'an endpoint without a host', object: broken(volcengineProvider(), { 'spec.volcengineRTC.endpoint': 'http://' }), field: 'spec.volcengineRTC.endpoint', says: /absolute http or https URL/ },
  { title: 'a relative endpoint', object: broken(trtcProvider(), { 'spec.tencentTRTC.endpoint': '/v4/api' }), field: 'spec.tencentTRTC.endpoint', says: /absolute http or https URL/ },
  { title: 'a Chat region the client does not know (sgp)', object: broken(chatProvider(), { 'spec.tencentChat.region': 'sgp' }), field: 'spec.tencentChat.region', says: /Unsupported value: "sgp"/ },
  { title: 'a Chat region named like an Object member (constructor)', object: broken(chatProvider(), { 'spec.tencentChat.region': 'constructor' }), field: 'spec.tencentChat.region', says: /Unsupported value: "constructor"/ },
  { title: 'a negative rateLimit', object: broken(trtcProvider(), { 'spec.rateLimit': { requestsPerSecond: -5 } }), field: 'spec.rateLimit.requestsPerSecond', says: /greater than or equal to 1/ },
  { title: 'a zero rateLimit', object: broken(trtcProvider(), { 'spec.rateLimit': { requestsPerSecond: 0 } }), field: 'spec.rateLimit.requestsPerSecond', says: /greater than or equal to 1/ },
  { title: 'a fractional rateLimit', object: broken(trtcProvider(), { 'spec.rateLimit': { requestsPerSecond: 1.5 } }), field: 'spec.rateLimit.requestsPerSecond', says: /must be of type int/ },
  { title: 'a rateLimit without requestsPerSecond', object: broken(trtcProvider(), { 'spec.rateLimit': {} }), field: 'spec.rateLimit.requestsPerSecond', says: /Required/ },
  { title: `a TRTC rateLimit above ${CAP.trtc}/s`, object: broken(trtcProvider(), { 'spec.rateLimit': { requestsPerSecond: CAP.trtc + 1 } }), field: 'spec.rateLimit.requestsPerSecond', says: new RegExp(`at most ${CAP.trtc} for tencentTRTC`) },
  { title: `a Chat rateLimit above ${CAP.chat}/s`, object: broken(chatProvider(), { 'spec.rateLimit': { requestsPerSecond: CAP.chat + 1 } }), field: 'spec.rateLimit.requestsPerSecond', says: new RegExp(`less than or equal to ${CAP.chat}`) },
  { title: `a Volcengine rateLimit above ${CAP.volc}/s`, object: broken(volcengineProvider(), { 'spec.rateLimit': { requestsPerSecond: CAP.volc + 1 } }), field: 'spec.rateLimit.requestsPerSecond', says: new RegExp(`at most ${CAP.volc} for volcengineRTC`) },
  {
    title: "a namespace in a RoomProvider's credentialsSecretRef",
    object: broken(trtcProvider(), { 'spec.credentialsSecretRef.namespace': 'kube-system' }),
    field: 'spec.credentialsSecretRef.namespace',
    says: /must not be set on a RoomProvider/,
  },
  { title: 'a provider without credentialsSecretRef', object: broken(trtcProvider(), { 'spec.credentialsSecretRef': undefined }), field: 'spec.credentialsSecretRef', says: /Required/ },
  { title: 'a credentialsSecretRef without name', object: broken(trtcProvider(), { 'spec.credentialsSecretRef': {} }), field: 'spec.credentialsSecretRef.name', says: /Required/ },
  {
    title: 'credentials inline instead of in a Secret',
    object: broken(trtcProvider(), { 'spec.tencentTRTC.secretKey': 'do-not-put-keys-here' }),
    field: 'spec.tencentTRTC.secretKey',
    code: 400,
  },
  {
    title: "a ClusterRoomProvider whose credentialsSecretRef has no namespace",
    object: broken(clusterProvider('crp-no-ns', 'x'), { 'spec.credentialsSecretRef.namespace': undefined }),
    field: 'spec.credentialsSecretRef.namespace',
    says: /Required/,
  },
  {
    title: 'a ClusterRoomProvider with no vendor member',
    object: broken(clusterProvider('crp-no-vendor', 'x'), { 'spec.tencentTRTC': undefined }),
    field: 'spec',
    says: /exactly one of tencentTRTC, tencentChat or volcengineRTC/,
  },
  {
    title: 'a ClusterRoomProvider with a TRTC rateLimit above 20/s',
    object: broken(clusterProvider('crp-too-fast', 'x'), { 'spec.rateLimit': { requestsPerSecond: 50 } }),
    field: 'spec.rateLimit.requestsPerSecond',
    says: /at most 20 for tencentTRTC/,
  },
  {
    title: 'a namespaceSelector requirement In without values',
    object: broken(clusterProvider('crp-in-empty', 'x'), { 'spec.namespaceSelector': { matchExpressions: [{ key: 'team', operator: 'In' }] } }),
    field: 'spec.namespaceSelector.matchExpressions[0].values',
    says: /must be non-empty for In and NotIn, and empty for Exists and DoesNotExist/,
  },
  {
    title: 'a namespaceSelector requirement NotIn with an empty values list',
    object: broken(clusterProvider('crp-notin-empty', 'x'), { 'spec.namespaceSelector': { matchExpressions: [{ key: 'team', operator: 'NotIn', values: [] }] } }),
    field: 'spec.namespaceSelector.matchExpressions[0].values',
    says: /must be non-empty for In and NotIn/,
  },
  {
    title: 'a namespaceSelector requirement Exists with values',
    object: broken(clusterProvider('crp-exists-values', 'x'), { 'spec.namespaceSelector': { matchExpressions: [{ key: 'team', operator: 'Exists', values: ['a'] }] } }),
    field: 'spec.namespaceSelector.matchExpressions[0].values',
    says: /empty for Exists and DoesNotExist/,
  },
  {
    title: 'a namespaceSelector operator outside In, NotIn, Exists, DoesNotExist',
    object: broken(clusterProvider('crp-bad-op', 'x'), { 'spec.namespaceSelector': { matchExpressions: [{ key: 'team', operator: 'Equals', values: ['a'] }] } }),
    field: 'spec.namespaceSelector.matchExpressions[0].operator',
    says: /Unsupported value: "Equals"/,
  },
  {
    title: 'a namespaceSelector requirement without a key',
    object: broken(clusterProvider('crp-no-key', 'x'), { 'spec.namespaceSelector': { matchExpressions: [{ operator: 'Exists' }] } }),
    field: 'spec.namespaceSelector.matchExpressions[0].key',
    says: /Required/,
  },
  {
    title: 'a namespaceSelector requirement whose key is not a label key',
    object: broken(clusterProvider('crp-bad-key', 'x'), { 'spec.namespaceSelector': { matchExpressions: [{ key: 'team name', operator: 'Exists' }] } }),
    field: 'spec.namespaceSelector.matchExpressions[0].key',
    says: /should match/,
  },
  {
    title: 'a namespaceSelector requirement value that is not a label value',
    object: broken(clusterProvider('crp-bad-value', 'x'), { 'spec.namespaceSelector': { matchExpressions: [{ key: 'team', operator: 'In', values: ['a b'] }] } }),
    field: 'spec.namespaceSelector.matchExpressions[0].values[0]',
    says: /should match/,
  },
  {
    title: 'a namespaceSelector matchLabels key that is not a label key',
    object: broken(clusterProvider('crp-bad-label-key', 'x'), { 'spec.namespaceSelector': { matchLabels: { '-team': 'a' } } }),
    field: 'spec.namespaceSelector.matchLabels',
    says: /every key must be a label key/,
  },
  {
    title: 'a namespaceSelector matchLabels value longer than 63 characters',
    object: broken(clusterProvider('crp-long-label', 'x'), { 'spec.namespaceSelector': { matchLabels: { team: 'a'.repeat(64) } } }),
    field: 'spec.namespaceSelector.matchLabels.team',
    says: /may not be longer than 63|Too long/,
  },
  {
    title: 'a namespaceSelector on a RoomProvider (it serves only its own namespace)',
    object: broken(trtcProvider('rp-selector'), { 'spec.namespaceSelector': { matchLabels: { team: 'a' } } }),
    field: 'spec.namespaceSelector',
    code: 400,
  },
];

function assertNamesField(status: ApiStatus, expected: Case): void {
  const code = expected.code ?? 422;
  assert.equal(status.code, code, status.message);
  if (code === 400) {
    assert.match(status.message, new RegExp(`unknown field "${expected.field.replaceAll('.', '\\.')}"`));
    return;
  }
  assert.ok(status.message.includes(`${expected.field}:`), `the message names ${expected.field}: ${status.message}`);
  // Exactly one complaint about the field: the rule meant for this mistake, not a neighbour's
  // (e.g. the 1000-byte CEL rule, not maxLength, for 400 three-byte characters).
  const causes = status.causes.filter((candidate) => candidate.field === expected.field);
  assert.equal(causes.length, 1, `one cause for ${expected.field} in ${JSON.stringify(status.causes)}`);
  if (expected.says) assert.match(causes[0]?.message ?? '', expected.says);
}

describe('CRD validation: invalid manifests are refused at create time, naming the field', function () {
  this.timeout(180_000);
  const env = useCrdNamespace('rejects');

  for (const expected of [...ROOM_BAN_CASES, ...PROVIDER_CASES]) {
    it(`refuses ${expected.title} (${expected.field})`, async () => {
      assertNamesField(await rejection(env.c.admin, env.ns, expected.object), expected);
    });
  }
});

describe('CRD validation: a ban\'s target cannot change while spec.duration is set', function () {
  this.timeout(180_000);
  const env = useCrdNamespace('ban-target');

  const update = async (name: string, from: Record<string, unknown>, to: Record<string, unknown>): Promise<ApiStatus | undefined> => {
    const created = await create<RoomBan>(env.c.admin, env.ns, broken(roomBan(name), from));
    try {
      await replaceRoomBan(env.c.admin, env.ns, broken(created, to));
      return undefined;
    } catch (error) {
      return statusOf(error);
    }
  };

  it('refuses a roomId change on a ban (spec.roomId), saying why', async () => {
    const refused = await update('ban-room', { 'spec.duration': '1h' }, { 'spec.roomId': 'other' });
    assertNamesField(refused ?? assert.fail('accepted'), { title: '', object: roomBan(), field: 'spec.roomId', says: /cannot change while spec.duration is set/ });
  });

  it('refuses a providerRef change on a ban', async () => {
    const refused = await update('ban-provider', { 'spec.duration': '1h' }, { 'spec.providerRef': { name: 'other' } });
    assertNamesField(refused ?? assert.fail('accepted'), { title: '', object: roomBan(), field: 'spec.roomId', says: /providerRef cannot change/ });
  });

  it('accepts removing the duration (the bans are lifted), adding one, and changing it', async () => {
    assert.equal(await update('ban-drop', { 'spec.duration': '1h' }, { 'spec.duration': undefined }), undefined);
    assert.equal(await update('ban-add', {}, { 'spec.duration': '1h' }), undefined);
    assert.equal(await update('ban-change', { 'spec.duration': '1h' }, { 'spec.duration': '2h', 'spec.users': ['x'] }), undefined);
    assert.equal(await update('kick-room', {}, { 'spec.roomId': 'other' }), undefined);
  });
});

describe('CRD validation: the limits themselves are accepted', function () {
  this.timeout(180_000);
  const env = useCrdNamespace('limits');

  const ACCEPTED: { title: string; object: RoomBan | RoomProvider }[] = [
    {
      title: '500 users of 128 characters each',
      object: broken(roomBan('max-users'), { 'spec.users': Array.from({ length: 500 }, (_, i) => `${i}`.padStart(128, 'u')) }),
    },
    { title: 'a user ID with every allowed character', object: broken(roomBan('user-chars'), { 'spec.users': ['Az09@._-', 'user@example.com'] }) },
    { title: 'a 128-character roomId', object: broken(roomBan('long-room'), { 'spec.roomId': 'r'.repeat(128) }) },
    {
      title: "a roomId with every character TRTC's string rooms allow",
      object: broken(roomBan('room-chars'), { 'spec.roomId': 'aZ09 !#$%&()+-:;<=.>?@[]^_{}|~' }),
    },
    { title: 'Numeric room 1', object: broken(roomBan('numeric-1'), { 'spec.roomIdType': 'Numeric', 'spec.roomId': '1' }) },
    { title: `Numeric room ${MAX_ROOM}`, object: broken(roomBan('numeric-max'), { 'spec.roomIdType': 'Numeric', 'spec.roomId': String(MAX_ROOM) }) },
    { title: `a reason of exactly ${REASON_BYTES} bytes`, object: broken(roomBan('reason-1000'), { 'spec.reason': `${threeByteChars(Math.floor(REASON_BYTES / 3))}${'x'.repeat(REASON_BYTES % 3)}` }) },
    { title: 'no reason', object: broken(roomBan('no-reason'), { 'spec.reason': undefined }) },
    { title: 'a duration of exactly 10s', object: broken(roomBan('ban-10s'), { 'spec.duration': '10s' }) },
    { title: 'a duration of exactly 168h, deletionPolicy Orphan', object: broken(roomBan('ban-168h'), { 'spec.duration': '168h', 'spec.deletionPolicy': 'Orphan' }) },
    { title: 'a duration of 1h30m', object: broken(roomBan('ban-90m'), { 'spec.duration': '1h30m' }) },
    { title: 'a ClusterRoomProvider kind in providerRef', object: broken(roomBan('crp-ref'), { 'spec.providerRef.kind': 'ClusterRoomProvider' }) },
    { title: 'sdkAppId 4294967295', object: broken(trtcProvider('max-app'), { 'spec.tencentTRTC.sdkAppId': 4294967295 }) },
    { title: `a TRTC rateLimit of exactly ${CAP.trtc}/s`, object: broken(trtcProvider('trtc-cap'), { 'spec.rateLimit': { requestsPerSecond: CAP.trtc } }) },
    { title: `a Chat rateLimit of exactly ${CAP.chat}/s`, object: broken(chatProvider('chat-cap'), { 'spec.rateLimit': { requestsPerSecond: CAP.chat } }) },
    { title: `a Volcengine rateLimit of exactly ${CAP.volc}/s`, object: broken(volcengineProvider('volc-cap'), { 'spec.rateLimit': { requestsPerSecond: CAP.volc } }) },
    { title: 'a rateLimit of 1/s', object: broken(volcengineProvider('volc-slow'), { 'spec.rateLimit': { requestsPerSecond: 1 } }) },
    { title: 'an http endpoint with a port and path', object: broken(chatProvider('chat-sandbox'), { 'spec.tencentChat.endpoint': 'http://127.0.0.1:9000/sandbox' }) },
    {
      title: 'a ClusterRoomProvider namespaceSelector with matchLabels and every operator',
      object: broken(clusterProvider('crp-selector-all', 'x'), { 'spec.namespaceSelector': {
        matchLabels: { 'roomban.io/tenant': 'moderation', 'empty-value': '' },
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b'] },
          { key: 'environment', operator: 'NotIn', values: ['dev'] },
          { key: 'example.com/moderated', operator: 'Exists' },
          { key: 'quarantined', operator: 'DoesNotExist', values: [] },
        ],
      } }),
    },
    { title: 'an empty ClusterRoomProvider namespaceSelector (every namespace)', object: broken(clusterProvider('crp-selector-empty', 'x'), { 'spec.namespaceSelector': {} }) },
  ];

  for (const { title, object } of ACCEPTED) {
    it(`accepts ${title}`, async () => {
      const created = await create<RoomBan | RoomProvider>(env.c.admin, env.ns, object);
      assert.deepEqual(created.spec, withDefaults(object).spec);
    });
  }
});
