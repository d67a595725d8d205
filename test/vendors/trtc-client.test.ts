// TencentTrtcClient specifics against the TRTC simulator: numeric rooms, the RoomNotExist batch
// rule, idempotent kicks, temporary credentials and clock skew.

import assert from 'node:assert/strict';
import { startTrtcSimulator, type TrtcSimulator } from '../../src/sandbox/index.ts';
import { skewedClock } from '../../src/vendors/clock.ts';
import { createVendorClient } from '../../src/vendors/factory.ts';
import type { VendorRuntime } from '../../src/vendors/runtime.ts';
import type { ProviderConfig } from '../../src/vendors/types.ts';
import { capturingRuntime, TRTC_ACCOUNT, users } from './helpers.ts';

describe('TencentTrtcClient', () => {
  let sim: TrtcSimulator;
  let runtime: VendorRuntime;
  const config = (): ProviderConfig => ({
    vendor: 'tencentTRTC',
    sdkAppId: TRTC_ACCOUNT.sdkAppId,
    region: 'ap-singapore',
    endpoint: sim.url,
    credentials: { secretId: TRTC_ACCOUNT.secretId, secretKey: TRTC_ACCOUNT.secretKey },
  });

  before(async () => {
    sim = await startTrtcSimulator({ accounts: [TRTC_ACCOUNT], requestsPerSecond: Infinity });
  });
  after(async () => sim.close());
  beforeEach(() => {
    sim.clearCalls();
    sim.faults.clear();
    ({ runtime } = capturingRuntime());
  });
  afterEach(async () => runtime.close());

  it('uses RemoveUserByStrRoomId for String rooms and RemoveUser (integer RoomId) for Numeric rooms', async () => {
    sim.addMembers('12345', ['alice'], { roomIdType: 'String' });
    sim.addMembers('12345', ['bob'], { roomIdType: 'Numeric' });
    const client = createVendorClient(config(), runtime);
    const [numeric] = await client.removeUsers({ roomId: '12345', roomIdType: 'Numeric', userIds: ['bob'], reason: '' });
    assert.equal(numeric?.outcome, 'Removed');
    assert.equal(sim.calls[0]?.action, 'RemoveUser');
    assert.deepEqual(sim.members('12345', { roomIdType: 'Numeric' }), []);
    assert.deepEqual(sim.members('12345', { roomIdType: 'String' }), ['alice'], 'a different room');
    const [text] = await client.removeUsers({ roomId: '12345', roomIdType: 'String', userIds: ['alice'], reason: '' });
    assert.equal(text?.outcome, 'Removed');
    assert.equal(sim.calls[1]?.action, 'RemoveUserByStrRoomId');
  });

  it('refuses a Numeric room id out of range without calling the vendor', async () => {
    const client = createVendorClient(config(), runtime);
    for (const roomId of ['0', '4294967295', 'abc', '-1', '1.5']) {
      const [result] = await client.removeUsers({ roomId, roomIdType: 'Numeric', userIds: ['bob'], reason: '' });
      assert.equal(result?.outcome, 'Terminal');
      assert.equal(result?.code, 'Request.InvalidRoomId');
    }
    assert.equal(sim.calls.length, 0);
  });

  it('re-asks a batch answered RoomNotExist one user at a time before marking AlreadyAbsent (docs/vendors.md#the-boundary)', async () => {
    const client = createVendorClient(config(), runtime);
    const results = await client.removeUsers({ roomId: 'gone', roomIdType: 'String', userIds: users('x', 3), reason: '' });
    assert.deepEqual(results.map((r) => [r.outcome, r.code]), Array(3).fill(['AlreadyAbsent', 'FailedOperation.RoomNotExist']));
    assert.deepEqual(sim.calls.map((c) => c.userIds.length), [3, 1, 1, 1]);
    assert.ok(results.every((r) => r.requestId !== '' && r.requestId !== sim.calls[0]?.requestId), 'decided by the single-user calls');
  });

  it('a single-user RoomNotExist answer is final', async () => {
    const client = createVendorClient(config(), runtime);
    const [result] = await client.removeUsers({ roomId: 'gone', roomIdType: 'String', userIds: ['x'], reason: '' });
    assert.equal(result?.outcome, 'AlreadyAbsent');
    assert.equal(sim.calls.length, 1);
  });

  it('removing a user who is not in an existing room succeeds (the simulator treats kicks as idempotent)', async () => {
    sim.addMembers('lobby', ['alice']);
    const client = createVendorClient(config(), runtime);
    const [result] = await client.removeUsers({ roomId: 'lobby', roomIdType: 'String', userIds: ['ghost'], reason: '' });
    assert.equal(result?.outcome, 'Removed');
    assert.deepEqual(sim.members('lobby'), ['alice']);
  });

  it('sends X-TC-Token with temporary credentials', async () => {
    const tokenSim = await startTrtcSimulator({ accounts: [{ ...TRTC_ACCOUNT, token: 'tmp-token' }], requestsPerSecond: Infinity });
    try {
      tokenSim.addMembers('r', ['alice']);
      const base = { ...config(), endpoint: tokenSim.url } as ProviderConfig & { vendor: 'tencentTRTC' };
      const withToken = createVendorClient({ ...base, credentials: { ...base.credentials, token: 'tmp-token' } }, runtime);
      assert.equal((await withToken.removeUsers({ roomId: 'r', roomIdType: 'String', userIds: ['alice'], reason: '' }))[0]?.outcome, 'Removed');
      const [missing] = await createVendorClient(base, runtime).removeUsers({ roomId: 'r', roomIdType: 'String', userIds: ['x'], reason: '' });
      assert.equal(missing?.code, 'AuthFailure.TokenFailure');
      assert.equal(missing?.outcome, 'Terminal');
    } finally {
      await tokenSim.close();
    }
  });

  it('re-signs once with a fresh timestamp on SignatureExpire; a skewed clock then fails Terminal', async () => {
    const { runtime: skewed } = capturingRuntime({ clock: skewedClock(-10 * 60_000) });
    try {
      sim.addMembers('r2', ['alice']);
      const [result] = await createVendorClient(config(), skewed).removeUsers({ roomId: 'r2', roomIdType: 'String', userIds: ['alice'], reason: '' });
      assert.equal(result?.code, 'AuthFailure.SignatureExpire');
      assert.equal(result?.outcome, 'Terminal');
      assert.equal(sim.calls.length, 2);
    } finally {
      await skewed.close();
    }
  });

  it('an unsupported region is the vendor\'s Terminal UnsupportedRegion', async () => {
    const [result] = await createVendorClient({ ...config(), region: 'ap-mars' }, runtime).removeUsers({
      roomId: 'r',
      roomIdType: 'String',
      userIds: ['a'],
      reason: '',
    });
    assert.equal(result?.code, 'UnsupportedRegion');
    assert.equal(result?.outcome, 'Terminal');
  });

  it('limits each action per SdkAppId to the configured rate', async () => {
    sim.addMembers('paced', users('p', 4));
    const { runtime: observed } = capturingRuntime({
      observer: { onLimiterWait: (_vendor, _action, waited) => waits.push(waited) },
    });
    const waits: number[] = [];
    try {
      const client = createVendorClient({ ...config(), requestsPerSecond: 5 }, observed);
      await Promise.all(users('p', 4).map((u) => client.removeUsers({ roomId: 'paced', roomIdType: 'String', userIds: [u], reason: '' })));
      assert.equal(waits.length, 4);
      assert.ok(waits.filter((w) => w > 0).length >= 3, 'calls after the first waited for tokens');
    } finally {
      await observed.close();
    }
  });
});
