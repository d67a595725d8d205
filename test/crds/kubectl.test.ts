// What a moderator sees with a real kubectl: printer columns fed by status, short names, the
// moderation category, field selectors, kubectl wait, and kubectl explain teaching the API.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { GROUP, VERSION } from '../../src/api/types.ts';
import type { RoomBan, RoomBanStatus, RoomProvider } from '../../src/api/types.ts';
import { loadCrd, schemaAt, schemaOf } from '../api/crd-files.ts';
import { providerStatus, roomBanStatus } from '../api/samples.ts';
import { freshNamespace, installCrds, type TestCluster, testCluster } from '../harness/cluster.ts';
import { chatProvider, clusterProvider, create, roomBan, trtcProvider, volcengineProvider } from './support.ts';

/** The rows of a kubectl table, split into columns on runs of 2+ spaces, keyed by header. */
function table(stdout: string): Record<string, string>[] {
  const [header = '', ...rows] = stdout.trimEnd().split('\n');
  const names = header.trim().split(/\s{2,}/);
  return rows.map((row) => {
    // Cells are aligned under their headers; empty cells are blank, so slice by header offsets.
    const starts = names.map((name) => header.indexOf(name));
    return Object.fromEntries(names.map((name, i) => [name, row.slice(starts[i], starts[i + 1]).trim()]));
  });
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('kubectl with the CRDs', function () {
  this.timeout(180_000);
  let c: TestCluster;
  let ns: string;
  let api: CustomObjectsApi;
  const suffix = randomBytes(3).toString('hex');
  const sharedName = `shared-${suffix}`;

  before(async () => {
    c = await testCluster();
    await installCrds(c);
    api = c.admin.makeApiClient(CustomObjectsApi);
    ns = await freshNamespace(c, 'kubectl');

    const provider = await create<RoomProvider>(c.admin, ns, trtcProvider());
    await api.replaceNamespacedCustomObjectStatus({
      group: GROUP, version: VERSION, namespace: ns, plural: 'roomproviders', name: provider.metadata.name,
      body: { ...provider, status: providerStatus },
    });
    await create(c.admin, ns, chatProvider());
    await create(c.admin, ns, volcengineProvider());
    await create(c.admin, ns, clusterProvider(sharedName, ns));

    const inProgress: RoomBanStatus = {
      ...roomBanStatus,
      progress: '1/2',
      summary: { total: 2, removed: 1, pending: 1, failed: 0 },
      conditions: [
        { type: 'Ready', status: 'False', reason: 'Progressing', message: '1/2 users removed, 1 pending', lastTransitionTime: '2026-11-21T10:00:00Z' },
        { type: 'Reconciling', status: 'True', reason: 'Progressing', message: '1/2 users removed, 1 pending', lastTransitionTime: '2026-11-21T10:00:00Z' },
      ],
    };
    await writeStatus(await create<RoomBan>(c.admin, ns, roomBan('raid')), inProgress);
    await writeStatus(await create<RoomBan>(c.admin, ns, {
      ...roomBan('done'),
      spec: { ...roomBan().spec, providerRef: { kind: 'ClusterRoomProvider', name: sharedName }, roomId: 'town hall' },
    }), roomBanStatus);
  });

  async function writeStatus(object: RoomBan, status: RoomBanStatus): Promise<void> {
    await api.replaceNamespacedCustomObjectStatus({
      group: GROUP, version: VERSION, namespace: ns, plural: 'roombans', name: object.metadata.name, body: { ...object, status },
    });
  }

  async function kubectl(...args: string[]): Promise<string> {
    const result = await c.kubectl(args);
    assert.equal(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  /** `kubectl explain`, one line; retried while the API server is still publishing the CRD's OpenAPI. */
  async function explain(path: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const result = await c.kubectl(['explain', path]);
      if (result.code === 0) return oneLine(result.stdout);
      if (attempt >= 30) assert.fail(`kubectl explain ${path}: ${result.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  it('`kubectl get roombans` prints Provider, Room, Removed (from status), Expires (bans) and Ready', async () => {
    const out = await kubectl('get', 'roombans', '-n', ns);
    assert.match(out.split('\n')[0] ?? '', /^NAME\s+PROVIDER\s+ROOM\s+REMOVED\s+EXPIRES\s+READY\s+AGE$/);
    const rows = table(out);
    assert.deepEqual(rows.find((row) => row.NAME === 'raid'), { NAME: 'raid', PROVIDER: 'trtc-intl', ROOM: 'abcd', REMOVED: '1/2', EXPIRES: rows.find((row) => row.NAME === 'raid')?.EXPIRES, READY: 'False', AGE: rows.find((row) => row.NAME === 'raid')?.AGE });
    // A date column: status.expiresAt shown as a time relative to now.
    assert.match(rows.find((row) => row.NAME === 'raid')?.EXPIRES ?? '', /^\d+[smhd]/);
    assert.match(rows.find((row) => row.NAME === 'raid')?.AGE ?? '', /^\d+s$/);
    const done = rows.find((row) => row.NAME === 'done');
    assert.equal(done?.PROVIDER, sharedName);
    assert.equal(done?.ROOM, 'town hall');
    assert.equal(done?.REMOVED, '2/2');
    assert.equal(done?.READY, 'True');
  });

  it('`kubectl get rb -o wide` adds the Ready reason and the failed count', async () => {
    const out = await kubectl('get', 'rb', '-n', ns, '-o', 'wide');
    assert.match(out.split('\n')[0] ?? '', /^NAME\s+PROVIDER\s+ROOM\s+REMOVED\s+EXPIRES\s+READY\s+STATUS\s+FAILED\s+AGE$/);
    const raid = table(out).find((row) => row.NAME === 'raid');
    assert.equal(raid?.STATUS, 'Progressing');
    assert.equal(raid?.FAILED, '0');
  });

  it('answers to the short names rb, rp and crp', async () => {
    assert.deepEqual((await kubectl('get', 'rb', '-n', ns, '-o', 'name')).trim().split('\n').sort(),
      ['roomban.roomban.io/done', 'roomban.roomban.io/raid']);
    assert.match(await kubectl('get', 'rp', '-n', ns, '-o', 'name'), /^roomprovider\.roomban\.io\/trtc-intl$/m);
    assert.match(await kubectl('get', 'crp', sharedName, '-o', 'name'), new RegExp(`^clusterroomprovider\\.roomban\\.io/${sharedName}$`, 'm'));
  });

  it('shows each provider\'s vendor, application, region and readiness', async () => {
    const out = await kubectl('get', 'roomproviders', '-n', ns);
    assert.match(out.split('\n')[0] ?? '', /^NAME\s+TRTC\s+CHAT\s+VOLCENGINE\s+REGION\s+READY\s+AGE$/);
    const rows = new Map(table(out).map((row) => [row.NAME, row]));
    assert.deepEqual({ ...rows.get('trtc-intl'), AGE: '' }, { NAME: 'trtc-intl', TRTC: '1400000001', CHAT: '', VOLCENGINE: '', REGION: 'ap-singapore', READY: 'True', AGE: '' });
    assert.deepEqual({ ...rows.get('chat-sgp'), AGE: '' }, { NAME: 'chat-sgp', TRTC: '', CHAT: '1400000002', VOLCENGINE: '', REGION: 'singapore', READY: '', AGE: '' });
    assert.deepEqual({ ...rows.get('volc-cn'), AGE: '' }, { NAME: 'volc-cn', TRTC: '', CHAT: '', VOLCENGINE: '0123456789abcdef01234567', REGION: 'cn-north-1', READY: '', AGE: '' });

    const wide = table(await kubectl('get', 'clusterroomproviders', sharedName, '-o', 'wide'))[0];
    assert.equal(wide?.TRTC, '1400000003');
    assert.equal(wide?.SECRET, 'shared-trtc-credentials');
    assert.equal(wide?.['SECRET NAMESPACE'], ns);
  });

  it('lists RoomBans and providers under `kubectl get moderation`', async () => {
    const out = await kubectl('get', 'moderation', '-n', ns, '-o', 'name');
    const names = out.trim().split('\n');
    for (const expected of [
      'roomban.roomban.io/raid',
      'roomban.roomban.io/done',
      'roomprovider.roomban.io/trtc-intl',
      'roomprovider.roomban.io/chat-sgp',
      `clusterroomprovider.roomban.io/${sharedName}`,
    ]) assert.ok(names.includes(expected), `${expected} in ${out}`);
  });

  it('selects RoomBans by provider and room with --field-selector', async () => {
    assert.equal((await kubectl('get', 'rb', '-n', ns, '-o', 'name', '--field-selector', 'spec.providerRef.name=trtc-intl')).trim(), 'roomban.roomban.io/raid');
    assert.equal((await kubectl('get', 'rb', '-n', ns, '-o', 'name', '--field-selector', 'spec.roomId=town hall')).trim(), 'roomban.roomban.io/done');
  });

  it('`kubectl wait --for=condition=Ready` returns once status says Ready', async () => {
    await kubectl('wait', '-n', ns, '--for=condition=Ready', '--timeout=10s', 'rb/done');
    const pending = await c.kubectl(['wait', '-n', ns, '--for=condition=Ready', '--timeout=1s', 'rb/raid']);
    assert.notEqual(pending.code, 0, 'raid is not Ready yet');
  });

  it('`kubectl explain roomban.spec.users` prints the field\'s description, bound and reason', async () => {
    const out = await explain('roomban.spec.users');
    assert.match(out, /FIELD: users <\[\]string>/);
    assert.match(out, /1 to 500 unique IDs/);
    assert.match(out, /etcd's 1\.5 MiB object limit/);
    const described = oneLine(schemaAt(schemaOf(loadCrd('roombans')), '.spec.users').description ?? '');
    assert.ok(out.includes(described), 'the whole description from the CRD');
  });

  it('`kubectl explain roomban.spec.duration` teaches kick vs ban, expiry, deletion, overlap and drift', async () => {
    const out = await explain('roomban.spec.duration');
    assert.match(out, /FIELD: duration <string>/);
    assert.match(out, /Absent: a kick/);
    assert.match(out, /from 10s to 168h/);
    assert.match(out, /Expired with no vendor call/);
    assert.match(out, /another RoomBan on the same account and room still bans them/);
    assert.match(out, /--ban-verify-interval/);
    assert.match(out, /Tencent TRTC has no ban API/);
    const policy = await explain('roomban.spec.deletionPolicy');
    assert.match(policy, /ENUM: Unban Orphan/);
    assert.match(policy, /Terminating with Stalled=True/);
  });

  it('`kubectl explain` teaches the provider API too', async () => {
    const endpoint = await explain('roomprovider.spec.tencentTRTC.endpoint');
    assert.match(endpoint, /--allow-custom-endpoints/);
    const ref = await explain('clusterroomprovider.spec.credentialsSecretRef');
    assert.match(ref, /namespace <string> -required-/);
    const status = await explain('roomban.status.users.state');
    assert.match(status, /ENUM: Removed AlreadyAbsent Pending Failed/);
  });
});
