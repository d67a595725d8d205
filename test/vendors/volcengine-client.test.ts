// VolcengineRtcClient specifics against the Volcengine simulator: one user per call, STS tokens,
// regions, clock skew and the account-wide limiter.

import assert from 'node:assert/strict';
import { startVolcengineSimulator, type VolcengineSimulator } from '../../src/sandbox/index.ts';
import { skewedClock } from '../../src/vendors/clock.ts';
import { createVendorClient } from '../../src/vendors/factory.ts';
import type { VendorRuntime } from '../../src/vendors/runtime.ts';
import type { ProviderConfig } from '../../src/vendors/types.ts';
import { capturingRuntime, VOLC_ACCOUNT } from './helpers.ts';

describe('VolcengineRtcClient', () => {
  let sim: VolcengineSimulator;
  let runtime: VendorRuntime;
  const config = (overrides: Partial<ProviderConfig & { vendor: 'volcengineRTC' }> = {}): ProviderConfig => ({
    vendor: 'volcengineRTC',
    appId: VOLC_ACCOUNT.appIds[0] as string,
    region: 'cn-north-1',
    endpoint: sim.url,
    credentials: { accessKeyId: VOLC_ACCOUNT.accessKeyId, secretAccessKey: VOLC_ACCOUNT.secretAccessKey },
    ...overrides,
  });
  const kick = (roomId: string, userIds: string[]) => ({ roomId, roomIdType: 'String' as const, userIds, reason: '' });

  before(async () => {
    sim = await startVolcengineSimulator({ accounts: [VOLC_ACCOUNT], requestsPerSecond: Infinity });
  });
  after(async () => sim.close());
  beforeEach(() => {
    sim.clearCalls();
    sim.faults.clear();
    ({ runtime } = capturingRuntime());
  });
  afterEach(async () => runtime.close());

  it('kicks one user per call with Action=KickUser and returns Volcengine RequestIds', async () => {
    sim.addMembers('r1', ['a', 'b']);
    const client = createVendorClient(config(), runtime);
    assert.equal(client.maxUsersPerCall, 1);
    const results = [...(await client.removeUsers(kick('r1', ['a']))), ...(await client.removeUsers(kick('r1', ['b'])))];
    assert.deepEqual(sim.calls.map((c) => [c.action, c.userIds]), [
      ['KickUser', ['a']],
      ['KickUser', ['b']],
    ].sort());
    assert.ok(results.every((r) => /^\d{14}[0-9A-F]{18}$/.test(r.requestId)));
  });

  it('kicking a user who is not in the room is a success (no absent answer is documented)', async () => {
    const [result] = await createVendorClient(config(), runtime).removeUsers(kick('empty', ['ghost']));
    assert.equal(result?.outcome, 'Removed');
  });

  it('signs and sends X-Security-Token with STS credentials', async () => {
    const sts = await startVolcengineSimulator({ accounts: [{ ...VOLC_ACCOUNT, sessionToken: 'sts-token' }], requestsPerSecond: Infinity });
    try {
      const credentials = { ...VOLC_ACCOUNT, sessionToken: 'sts-token' };
      const [ok] = await createVendorClient(config({ endpoint: sts.url, credentials }), runtime).removeUsers(kick('r', ['a']));
      assert.equal(ok?.outcome, 'Removed');
      const [missing] = await createVendorClient(config({ endpoint: sts.url }), runtime).removeUsers(kick('r', ['a']));
      assert.deepEqual([missing?.code, missing?.outcome], ['InvalidSecretToken', 'Terminal']);
    } finally {
      await sts.close();
    }
  });

  it('re-signs once with a fresh X-Date on InvalidTimestamp; a skewed clock then fails Terminal', async () => {
    const { runtime: skewed } = capturingRuntime({ clock: skewedClock(30 * 60_000) });
    try {
      const [result] = await createVendorClient(config(), skewed).removeUsers(kick('r', ['a']));
      assert.deepEqual([result?.code, result?.outcome], ['InvalidTimestamp', 'Terminal']);
      assert.equal(sim.calls.length, 2);
    } finally {
      await skewed.close();
    }
  });

  it('an unknown region is a Terminal config error naming the region', async () => {
    const [result] = await createVendorClient(config({ region: 'mars-east-1' }), runtime).removeUsers(kick('r', ['a']));
    assert.equal(result?.code, 'Config.UnknownRegion');
    assert.match(result?.message ?? '', /"mars-east-1"/);
    assert.equal(sim.calls.length, 0);
  });

  it("a wrong AppId for the account is the vendor's Terminal AccountIdMismatch", async () => {
    const other = await startVolcengineSimulator({
      accounts: [VOLC_ACCOUNT, { accessKeyId: 'AKLTother', secretAccessKey: 'other', appIds: ['otherapp'] }],
      requestsPerSecond: Infinity,
    });
    try {
      const [result] = await createVendorClient(config({ endpoint: other.url, appId: 'otherapp' }), runtime).removeUsers(kick('r', ['a']));
      assert.deepEqual([result?.code, result?.outcome], ['InvalidParameter.AccountIdMismatch', 'Terminal']);
    } finally {
      await other.close();
    }
  });

  it('paces all AppIds of one account through one shared bucket (docs/vendors.md#volcengine-endpoints-and-regions)', async () => {
    const shared = await startVolcengineSimulator({
      accounts: [{ ...VOLC_ACCOUNT, appIds: ['appone', 'apptwo'] }],
      requestsPerSecond: Infinity,
    });
    // Virtual time: a sleep advances the clock on the next macrotask (after the released waiters
    // have run), so waits are exact and the test takes no wall-clock time.
    const start = Date.now();
    let offset = 0;
    const clock = {
      now: () => start + offset,
      sleep: (ms: number) => new Promise<void>((resolve) => setImmediate(() => ((offset += ms), resolve()))),
    };
    const waits: number[] = [];
    const { runtime: paced } = capturingRuntime({
      clock,
      capOverrides: { volcengineRTC: 5 },
      observer: { onLimiterWait: (_v, _a, waited) => waits.push(waited) },
    });
    try {
      const one = createVendorClient(config({ endpoint: shared.url, appId: 'appone' }), paced);
      const two = createVendorClient(config({ endpoint: shared.url, appId: 'apptwo' }), paced);
      const each = (client: typeof one, users: string[]) => users.map((user) => client.removeUsers(kick('r', [user])));
      await Promise.all([...each(one, ['a', 'b', 'c']), ...each(two, ['d', 'e', 'f'])]);
      assert.equal(shared.calls.length, 6);
      // One bucket at 5/s, starting empty: tokens at 200, 400, ..., 1200 ms. Two would finish by 600 ms.
      assert.equal(Math.max(...waits), 1200);
    } finally {
      await paced.close();
      await shared.close();
    }
  });
});
