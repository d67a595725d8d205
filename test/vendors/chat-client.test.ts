// TencentChatClient specifics against the Chat simulator: the 100004/100005 batch rule, Reason,
// regions, UserSig expiry and admin checks.

import assert from 'node:assert/strict';
import { startChatSimulator, type ChatSimulator } from '../../src/sandbox/index.ts';
import { skewedClock } from '../../src/vendors/clock.ts';
import { createVendorClient, validateProviderConfig } from '../../src/vendors/factory.ts';
import { TENCENT_CHAT_DOMAINS } from '../../src/vendors/regions.ts';
import type { VendorRuntime } from '../../src/vendors/runtime.ts';
import type { ProviderConfig } from '../../src/vendors/types.ts';
import { capturingRuntime, CHAT_ACCOUNT } from './helpers.ts';

describe('TencentChatClient', () => {
  let sim: ChatSimulator;
  let runtime: VendorRuntime;
  const config = (overrides: Partial<ProviderConfig & { vendor: 'tencentChat' }> = {}): ProviderConfig => ({
    vendor: 'tencentChat',
    sdkAppId: CHAT_ACCOUNT.sdkAppId,
    region: 'singapore',
    adminIdentifier: CHAT_ACCOUNT.adminIdentifier,
    endpoint: sim.url,
    credentials: { secretKey: CHAT_ACCOUNT.secretKey },
    ...overrides,
  });
  const kick = (roomId: string, userIds: string[], reason = 'spam') => ({ roomId, roomIdType: 'String' as const, userIds, reason });

  before(async () => {
    sim = await startChatSimulator({ accounts: [CHAT_ACCOUNT], requestsPerSecond: Infinity });
  });
  after(async () => sim.close());
  beforeEach(() => {
    sim.clearCalls();
    sim.faults.clear();
    ({ runtime } = capturingRuntime());
  });
  afterEach(async () => runtime.close());

  it('re-asks a batch answered 100005 one user at a time: members are Removed, non-members AlreadyAbsent', async () => {
    sim.addMembers('mixed', ['a', 'b', 'keep']);
    const results = await createVendorClient(config(), runtime).removeUsers(kick('mixed', ['a', 'b', 'c']));
    assert.deepEqual(results.map((r) => [r.userId, r.outcome, r.code]), [
      ['a', 'Removed', ''],
      ['b', 'Removed', ''],
      ['c', 'AlreadyAbsent', '100005'],
    ]);
    assert.deepEqual(sim.calls.map((c) => c.userIds.length), [3, 1, 1, 1]);
    assert.deepEqual(sim.members('mixed'), ['keep']);
  });

  it('is right too when the vendor removed the members it could before answering 100005', async () => {
    const eager = await startChatSimulator({ accounts: [CHAT_ACCOUNT], requestsPerSecond: Infinity, absentBatchBehaviour: 'removePresent' });
    try {
      eager.addMembers('mixed', ['a', 'b', 'keep']);
      const results = await createVendorClient(config({ endpoint: eager.url }), runtime).removeUsers(kick('mixed', ['a', 'b', 'c']));
      assert.ok(results.every((r) => r.outcome === 'AlreadyAbsent'));
      assert.deepEqual(eager.members('mixed'), ['keep']);
    } finally {
      await eager.close();
    }
  });

  it('re-asks a batch answered 100004 (no such room); a single-user answer is final', async () => {
    const results = await createVendorClient(config(), runtime).removeUsers(kick('nowhere', ['a', 'b']));
    assert.deepEqual(results.map((r) => [r.outcome, r.code]), [
      ['AlreadyAbsent', '100004'],
      ['AlreadyAbsent', '100004'],
    ]);
    assert.deepEqual(sim.calls.map((c) => c.userIds.length), [2, 1, 1]);
  });

  it('sends a default Reason when the RoomBan has none, and refuses one over 1000 bytes', async () => {
    sim.addMembers('r', ['a', 'b']);
    const client = createVendorClient(config(), runtime);
    assert.equal((await client.removeUsers(kick('r', ['a'], '')))[0]?.outcome, 'Removed');
    const [tooLong] = await client.removeUsers(kick('r', ['b'], '禁'.repeat(334))); // 1002 bytes
    assert.equal(tooLong?.outcome, 'Terminal');
    assert.equal(tooLong?.code, 'Request.InvalidReason');
    assert.equal(sim.calls.length, 1);
  });

  it('an unknown region is a Terminal config error naming the region; no call is made', async () => {
    const bad = config({ region: 'atlantis' });
    delete (bad as { endpoint?: string }).endpoint;
    const [result] = await createVendorClient(bad, runtime).removeUsers(kick('r', ['a']));
    assert.equal(result?.outcome, 'Terminal');
    assert.equal(result?.code, 'Config.UnknownRegion');
    assert.match(result?.message ?? '', /"atlantis"/);
    assert.equal(validateProviderConfig(bad, runtime)?.code, 'Config.UnknownRegion');
  });

  it('maps every documented region name to its domain', () => {
    for (const region of ['china', 'singapore', 'korea', 'japan', 'germany', 'india', 'usa', 'indonesia', 'Singapore']) {
      const cfg = config({ region });
      delete (cfg as { endpoint?: string }).endpoint;
      assert.equal(validateProviderConfig(cfg, runtime), undefined, region);
    }
    assert.equal(TENCENT_CHAT_DOMAINS['singapore'], 'adminapisgp.im.qcloud.com');
    assert.equal(TENCENT_CHAT_DOMAINS['china'], 'console.tim.qq.com');
  });

  it('regenerates an expired UserSig once; a clock too far behind then fails Terminal (70001)', async () => {
    const { runtime: skewed } = capturingRuntime({ clock: skewedClock(-3 * 86_400_000) });
    try {
      sim.addMembers('r3', ['a']);
      const [result] = await createVendorClient(config(), skewed).removeUsers(kick('r3', ['a']));
      assert.equal(result?.code, '70001');
      assert.equal(result?.outcome, 'Terminal');
      assert.equal(sim.calls.length, 2);
    } finally {
      await skewed.close();
    }
  });

  it('a wrong app key is 70009 and a non-admin identifier 60010, both Terminal', async () => {
    sim.addMembers('r4', ['a']);
    const [wrongKey] = await createVendorClient(config({ credentials: { secretKey: 'not-the-key' } }), runtime).removeUsers(kick('r4', ['a']));
    assert.deepEqual([wrongKey?.code, wrongKey?.outcome], ['70009', 'Terminal']);
    const [notAdmin] = await createVendorClient(config({ adminIdentifier: 'alice' }), runtime).removeUsers(kick('r4', ['a']));
    assert.deepEqual([notAdmin?.code, notAdmin?.outcome], ['60010', 'Terminal']);
  });

  it('returns RequestIds in the vendor format', async () => {
    sim.addMembers('r5', ['a']);
    const [result] = await createVendorClient(config(), runtime).removeUsers(kick('r5', ['a']));
    assert.match(result?.requestId ?? '', /^Id-[0-9a-f]{32}-O-Seq-\d+$/);
  });
});
