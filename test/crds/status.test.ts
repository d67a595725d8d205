// status is the operator's record of what happened, so only the status subresource writes it:
// a spec write cannot forge it, a status write cannot change what was asked for, and a status
// of 500 users at their maximum sizes still fits in one object.

import assert from 'node:assert/strict';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { GROUP, VERSION } from '../../src/api/types.ts';
import type { RoomBan, RoomBanStatus, RoomProvider, UserStatus } from '../../src/api/types.ts';
import { providerStatus, roomBanStatus } from '../api/samples.ts';
import { freshNamespace, installCrds, type TestCluster, testCluster } from '../harness/cluster.ts';
import { copy, create, roomBan, statusOf, trtcProvider } from './support.ts';

describe('CRD status subresource', function () {
  this.timeout(180_000);
  let c: TestCluster;
  let ns: string;
  let api: CustomObjectsApi;

  before(async () => {
    c = await testCluster();
    await installCrds(c);
    api = c.admin.makeApiClient(CustomObjectsApi);
  });

  beforeEach(async () => {
    ns = await freshNamespace(c, 'status');
  });

  const roomBans = () => ({ group: GROUP, version: VERSION, namespace: ns, plural: 'roombans' });
  const get = async (name: string) => (await api.getNamespacedCustomObject({ ...roomBans(), name })) as RoomBan;
  const writeStatus = async (object: RoomBan, status: RoomBanStatus) =>
    (await api.replaceNamespacedCustomObjectStatus({ ...roomBans(), name: object.metadata.name, body: { ...object, status } })) as RoomBan;

  it('drops a status sent with a create; a new ban reads observedGeneration 0, behind its generation', async () => {
    const created = await create<RoomBan>(c.admin, ns, { ...roomBan('forged'), status: roomBanStatus });
    // The schema's default, so kstatus reads a ban the operator has not seen as InProgress, not Current.
    assert.deepEqual(created.status, { observedGeneration: 0 });
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual((await get('forged')).status, { observedGeneration: 0 });
  });

  it('ignores the status in a spec update, and bumps metadata.generation', async () => {
    const created = await create<RoomBan>(c.admin, ns, roomBan('spec-write'));
    const recorded = await writeStatus(created, roomBanStatus);
    assert.deepEqual(recorded.status, roomBanStatus);

    const forged = copy(recorded);
    forged.spec.users = [...forged.spec.users, 'test3'];
    forged.status = { ...roomBanStatus, progress: '3/3', summary: { total: 3, removed: 3, pending: 0, failed: 0 } };
    const updated = (await api.replaceNamespacedCustomObject({ ...roomBans(), name: 'spec-write', body: forged })) as RoomBan;

    assert.deepEqual(updated.spec.users, ['test1', 'test2', 'test3']);
    assert.equal(updated.metadata.generation, 2);
    assert.deepEqual(updated.status, roomBanStatus);
    assert.deepEqual((await get('spec-write')).status, roomBanStatus);
  });

  it('ignores the spec in a status write, and leaves metadata.generation alone', async () => {
    const created = await create<RoomBan>(c.admin, ns, roomBan('status-write'));
    const tampered = copy(created);
    tampered.spec.users = ['someone-else'];
    tampered.spec.roomId = 'another-room';
    const written = await writeStatus(tampered, roomBanStatus);

    assert.deepEqual(written.spec, created.spec);
    assert.equal(written.metadata.generation, 1);
    assert.deepEqual(written.status, roomBanStatus);
    const stored = await get('status-write');
    assert.deepEqual(stored.spec, created.spec);
    assert.deepEqual(stored.status, roomBanStatus);
  });

  it('validates status writes against the schema too, naming the field', async () => {
    const created = await create<RoomBan>(c.admin, ns, roomBan('bad-status'));
    const [first, second] = roomBanStatus.users ?? [];
    assert.ok(first && second);
    // status.users is an atomic list (see the CRD): the operator, its only writer, keeps userIds unique.
    const cases: [RoomBanStatus, string, RegExp][] = [
      [{ ...roomBanStatus, users: [{ ...first, state: 'Kicked' as UserStatus['state'] }] }, 'status.users[0].state', /Unsupported value: "Kicked"/],
      [{ ...roomBanStatus, progress: 'two of three' }, 'status.progress', /should match/],
      [{ ...roomBanStatus, users: [{ ...first, message: 'm'.repeat(513) }] }, 'status.users[0].message', /Too long/],
    ];
    for (const [status, field, says] of cases) {
      const error = await writeStatus(created, status).then(() => assert.fail(`accepted a bad ${field}`), statusOf);
      assert.equal(error.code, 422);
      const cause = error.causes.find((candidate) => candidate.field === field);
      assert.ok(cause, `${field} in ${error.message}`);
      assert.match(cause.message ?? '', says);
    }
  });

  it('stores a status of 500 users with every field at its maximum in under 1 MiB (etcd allows 1.5 MiB)', async () => {
    const users = Array.from({ length: 500 }, (_, i) => `${i}`.padStart(128, 'u'));
    const created = await create<RoomBan>(c.admin, ns, { ...roomBan('max-status'), spec: { ...roomBan().spec, users } });
    const longest = (template: string, length: number) => template.padEnd(length, 'x');
    const status: RoomBanStatus = {
      ...roomBanStatus,
      progress: '0/500',
      summary: { total: 500, removed: 0, pending: 0, failed: 500 },
      conditions: (roomBanStatus.conditions ?? []).map((condition) => ({ ...condition, message: longest('', 1024) })),
      users: users.map((userId) => ({
        userId,
        state: 'AlreadyAbsent',
        requestId: longest('req-', 128),
        vendorCode: longest('FailedOperation.', 64),
        message: longest('vendor said: ', 512),
        attempts: 2147483647,
        lastAttemptTime: '2026-11-21T10:00:00Z',
      })),
    };
    const written = await writeStatus(created, status);
    assert.equal(written.status?.users?.length, 500);

    // The whole stored object, managedFields included, as etcd holds it (JSON for custom resources):
    // ~770 KB. Under 1 MiB leaves room for annotations (the API server caps them at 256 KiB) and
    // another field manager of spec.users within etcd's 1.5 MiB.
    const bytes = Buffer.byteLength(JSON.stringify(await get('max-status')));
    assert.ok(bytes < 1024 * 1024, `${bytes} bytes is under 1 MiB`);
  });

  it('keeps RoomProvider status behind its subresource too', async () => {
    const created = await create<RoomProvider>(c.admin, ns, { ...trtcProvider(), status: providerStatus });
    assert.equal(created.status, undefined);
    const tampered = { ...copy(created), spec: { ...created.spec, rateLimit: { requestsPerSecond: 1 } }, status: providerStatus };
    const common = { group: GROUP, version: VERSION, namespace: ns, plural: 'roomproviders', name: created.metadata.name };
    const written = (await api.replaceNamespacedCustomObjectStatus({ ...common, body: tampered })) as RoomProvider;
    assert.deepEqual(written.status, providerStatus);
    assert.deepEqual(written.spec, created.spec);
    assert.equal(written.metadata.generation, 1);
  });
});
