// Argo CD for real: argocd-application-controller and argocd-repo-server v3.6.1 (tools/argocd) with
// redis-server sync RoomBans from a git repository served over HTTP on loopback, and judge their
// health with the chart's argocd/health.lua installed in argocd-cm. The operator runs as a process
// against the vendor simulators. Controllers and the operator start once for the suite.

import assert from 'node:assert/strict';
import type { RoomBan } from '../../src/api/types.ts';
import { type AllSimulators, startAllSimulators } from '../../src/sandbox/index.ts';
import { Fixtures } from '../../support/fixtures.ts';
import { type OperatorProcess, startOperatorProcess } from '../../support/operator-process.ts';
import { freshNamespace, installCrds, type TestCluster, testCluster } from '../harness/cluster.ts';
import { type Application, Applications, type ArgoCdRun, roomBanHealth, startArgoCd } from './argo.ts';
import { type GitServer, startGitServer } from './git-server.ts';
import { banFiles, readyStatus, spec } from './manifests.ts';
import { eventually } from './processes.ts';

describe('Argo CD (application controller and repo server, for real) with RoomBans and the chart\'s health.lua', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let sims: AllSimulators | undefined;
  let argo: ArgoCdRun | undefined;
  let git: GitServer | undefined;
  let operator: OperatorProcess | undefined;
  let fx: Fixtures;
  let apps: Applications;
  const namespaces: string[] = [];

  before(async function () {
    this.timeout(240_000);
    cluster = await testCluster();
    await installCrds(cluster);
    fx = new Fixtures(cluster.admin);
    apps = new Applications(cluster);
    sims = await startAllSimulators({ seed: 13 });
    git = await startGitServer();
    for (let i = 0; i < 3; i += 1) {
      const ns = await freshNamespace(cluster, 'argo');
      await fx.vendorProvider(ns, 'tencentTRTC', sims.trtc.url, 'trtc');
      namespaces.push(ns);
    }
    argo = await startArgoCd(cluster);
    operator = await startOperatorProcess({ kubeconfig: cluster.adminKubeconfigPath, namespaces });
  });

  afterEach(() => sims?.trtc.faults.clear());

  after(async function () {
    this.timeout(60_000);
    await Promise.all([operator?.stop('SIGTERM'), argo?.stop(), git?.close(), sims?.close()]);
  });

  async function describeApp(name: string, ns: string): Promise<string> {
    const app = await apps.get(name).catch((error: Error) => ({ error: error.message }));
    const bans = (await fx.custom.listNamespacedCustomObject({ group: 'roomban.io', version: 'v1alpha1', namespace: ns, plural: 'roombans' })) as { items: RoomBan[] };
    return JSON.stringify({
      app: 'status' in app ? app.status : app,
      bans: bans.items.map((b) => ({ name: b.metadata.name, generation: b.metadata.generation, status: b.status?.conditions })),
      logs: argo?.processes.map((p) => `${p.name}: ${p.logTail(8)}`),
    }, null, 1);
  }

  /** Waits until the Application is Synced, its health is `health` and `also` holds of it. */
  function appHealth(name: string, ns: string, health: string, also: (app: Application) => boolean = () => true): Promise<Application> {
    return eventually(async () => {
      const app = await apps.get(name).catch(() => undefined);
      return app?.status?.sync?.status === 'Synced' && app.status.health?.status === health && also(app) ? app : undefined;
    }, 60_000, () => describeApp(name, ns));
  }

  it('is Progressing while a RoomBan is in progress, then Healthy once every RoomBan is Ready', async () => {
    const ns = namespaces[0]!;
    const repo = git!.repository('argo-ready');
    const hold = sims!.trtc.faults.holdNext(); // the first kick waits: one ban stays in progress
    await repo.push(banFiles([
      { name: 'raid-a', spec: spec('trtc', 'room-a', ['u1', 'u2']) },
      { name: 'raid-b', spec: spec('trtc', 'room-b', ['u3', 'u4']) },
    ]), 'two RoomBans');
    await apps.create('ready', repo.url, 'roombans', argo!.server, ns);
    await hold.received;
    const progressing = await appHealth('ready', ns, 'Progressing');
    const healths = ['raid-a', 'raid-b'].map((name) => roomBanHealth(progressing, name)?.status);
    assert.ok(healths.includes('Progressing'), `no RoomBan Progressing: ${JSON.stringify(progressing.status?.resources)}`);
    hold.release();
    const healthy = await appHealth('ready', ns, 'Healthy');
    for (const name of ['raid-a', 'raid-b']) {
      assert.equal(readyStatus(await fx.getBan(ns, name)), 'True', name);
      assert.deepEqual(roomBanHealth(healthy, name)?.status, 'Healthy', name);
    }
    assert.match(roomBanHealth(healthy, 'raid-a')?.message ?? '', /2\/2/);
  });

  it('is Degraded with a Stalled RoomBan, with the Stalled message', async () => {
    const ns = namespaces[1]!;
    const repo = git!.repository('argo-stalled');
    await repo.push(banFiles([
      { name: 'fine', spec: spec('trtc', 'room-c', ['u1']) },
      { name: 'no-provider', spec: spec('missing-provider', 'room-d', ['u2']) },
    ]), 'a RoomBan whose provider does not exist');
    await apps.create('stalled', repo.url, 'roombans', argo!.server, ns);
    // Degraded as soon as the ban stalls, whatever the other ban's progress; and it stays Degraded
    // once the other is Healthy: the stalled ban is the cause.
    await appHealth('stalled', ns, 'Degraded');
    const degraded = await appHealth('stalled', ns, 'Degraded', (app) => roomBanHealth(app, 'fine')?.status === 'Healthy');
    const stalled = (await fx.getBan(ns, 'no-provider')).status?.conditions?.find((c) => c.type === 'Stalled');
    assert.equal(stalled?.reason, 'ProviderNotFound');
    assert.deepEqual(roomBanHealth(degraded, 'no-provider'), { status: 'Degraded', message: stalled.message });
  });

  it('is Suspended when the RoomBan is paused (roomban.io/paused: "true")', async () => {
    const ns = namespaces[2]!;
    const repo = git!.repository('argo-paused');
    await repo.push(banFiles([{ name: 'paused', spec: spec('trtc', 'room-e', ['u1']), paused: true }]), 'a paused RoomBan');
    await apps.create('paused', repo.url, 'roombans', argo!.server, ns);
    const suspended = await appHealth('paused', ns, 'Suspended');
    assert.match(roomBanHealth(suspended, 'paused')?.message ?? '', /roomban\.io\/paused/);
    assert.equal(sims!.trtc.calls.filter((call) => call.roomId === 'room-e').length, 0, 'a paused ban called the vendor');
  });
});
