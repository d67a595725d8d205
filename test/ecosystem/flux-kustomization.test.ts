// Flux for real: source-controller and kustomize-controller v1.9.6 (tools/flux) reconcile RoomBans
// from a git repository served over HTTP on loopback, with `wait: true`, so the Kustomization's
// Ready is Flux's health check of the RoomBans (kstatus, as Flux ships it). The operator runs as a
// process against the vendor simulators. Controllers and the operator start once for the suite.

import assert from 'node:assert/strict';
import type { RoomBan } from '../../src/api/types.ts';
import { type AllSimulators, startAllSimulators } from '../../src/sandbox/index.ts';
import { Fixtures } from '../../support/fixtures.ts';
import { type OperatorProcess, startOperatorProcess } from '../../support/operator-process.ts';
import { freshNamespace, installCrds, type TestCluster, testCluster } from '../harness/cluster.ts';
import { condition, type Flux, FLUX_NAMESPACE, type FluxObject, FluxObjects, startFlux } from './flux.ts';
import { type GitServer, startGitServer } from './git-server.ts';
import { banFiles, readyStatus, spec } from './manifests.ts';
import { eventually } from './processes.ts';

describe('Flux (source-controller and kustomize-controller, for real) with RoomBans', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let sims: AllSimulators | undefined;
  let flux: Flux | undefined;
  let git: GitServer | undefined;
  let operator: OperatorProcess | undefined;
  let fx: Fixtures;
  let objects: FluxObjects;
  const namespaces: string[] = [];

  before(async function () {
    this.timeout(240_000);
    cluster = await testCluster();
    await installCrds(cluster);
    fx = new Fixtures(cluster.admin);
    objects = new FluxObjects(cluster);
    sims = await startAllSimulators({ seed: 12 });
    git = await startGitServer();
    for (let i = 0; i < 3; i += 1) {
      const ns = await freshNamespace(cluster, 'flux');
      await fx.vendorProvider(ns, 'tencentTRTC', sims.trtc.url, 'trtc');
      namespaces.push(ns);
    }
    flux = await startFlux(cluster);
    operator = await startOperatorProcess({ kubeconfig: cluster.adminKubeconfigPath, namespaces });
  });

  afterEach(() => sims?.trtc.faults.clear());

  after(async function () {
    this.timeout(60_000);
    await Promise.all([operator?.stop('SIGTERM'), flux?.stop(), git?.close(), sims?.close()]);
  });

  /** A GitRepository and a Kustomization (wait: true) named `name` for `repoUrl`, applied into `ns`. */
  async function sync(name: string, repoUrl: string, ns: string, timeout?: string): Promise<void> {
    await objects.gitRepository(FLUX_NAMESPACE, name, repoUrl);
    await objects.kustomization(FLUX_NAMESPACE, name, ns, timeout);
  }

  async function kustomization(name: string): Promise<FluxObject> {
    return objects.getKustomization(FLUX_NAMESPACE, name);
  }

  async function describe(name: string, ns: string): Promise<string> {
    const ks = await kustomization(name);
    const source = await objects.getGitRepository(FLUX_NAMESPACE, name);
    const bans = (await fx.custom.listNamespacedCustomObject({ group: 'roomban.io', version: 'v1alpha1', namespace: ns, plural: 'roombans' })) as { items: RoomBan[] };
    return JSON.stringify({
      gitRepository: source.status?.conditions, kustomization: ks.status,
      bans: bans.items.map((b) => ({ name: b.metadata.name, generation: b.metadata.generation, status: b.status?.conditions })),
      logs: flux?.processes.map((p) => `${p.name}: ${p.logTail(8)}`),
    }, null, 1);
  }

  it('keeps the Kustomization not Ready until every RoomBan is Ready, then Ready', async () => {
    const [ns] = namespaces as [string];
    const repo = git!.repository('ready');
    const hold = sims!.trtc.faults.holdNext(); // the first kick waits: one ban stays in progress
    const sha = await repo.push(banFiles([
      { name: 'raid-a', spec: spec('trtc', 'room-a', ['u1', 'u2']) },
      { name: 'raid-b', spec: spec('trtc', 'room-b', ['u3', 'u4']) },
    ]), 'two RoomBans');
    await sync('ready', repo.url, ns);
    await hold.received;
    // The other ban goes Ready; the Kustomization has applied both but its health check waits.
    await eventually(async () => {
      const states = await Promise.all(['raid-a', 'raid-b'].map(async (name) => readyStatus(await fx.getBan(ns, name))));
      return states.filter((s) => s === 'True').length === 1 ? states : undefined;
    }, 60_000, () => describe('ready', ns));
    const waiting = await eventually(async () => {
      const ks = await kustomization('ready');
      return ks.status?.lastAttemptedRevision === `main@sha1:${sha}` ? ks : undefined;
    }, 30_000, () => describe('ready', ns));
    await new Promise((resolve) => setTimeout(resolve, 3000)); // a few of the health check's polls
    const stillWaiting = await kustomization('ready');
    assert.notEqual(condition(stillWaiting)?.status, 'True', `Ready while a RoomBan is in progress: ${JSON.stringify(stillWaiting.status)}`);
    assert.notEqual(condition(waiting)?.status, 'True');
    hold.release();
    const ready = await eventually(async () => {
      const ks = await kustomization('ready');
      return condition(ks)?.status === 'True' ? ks : undefined;
    }, 60_000, () => describe('ready', ns));
    assert.equal(ready.status?.lastAppliedRevision, `main@sha1:${sha}`);
    for (const name of ['raid-a', 'raid-b']) assert.equal(readyStatus(await fx.getBan(ns, name)), 'True', name);
  });

  it('fails the health check of the Kustomization on a Stalled RoomBan, naming it', async () => {
    const ns = namespaces[1]!;
    const repo = git!.repository('stalled');
    await repo.push(banFiles([
      { name: 'fine', spec: spec('trtc', 'room-c', ['u1']) },
      { name: 'no-provider', spec: spec('missing-provider', 'room-d', ['u2']) },
    ]), 'a RoomBan whose provider does not exist');
    // A long timeout: the failure must come from kstatus reading Stalled, not from running out of time.
    await sync('stalled', repo.url, ns, '5m');
    const failed = await eventually(async () => {
      const ks = await kustomization('stalled');
      const ready = condition(ks);
      return ready?.status === 'False' && ready.reason === 'HealthCheckFailed' ? ready : undefined;
    }, 90_000, () => describe('stalled', ns));
    assert.match(failed.message, /stalled resources/);
    assert.match(failed.message, new RegExp(`RoomBan/${ns}/no-provider status: 'Failed'`));
    assert.doesNotMatch(failed.message, /RoomBan\/[^/]+\/fine/);
    const ban = await fx.getBan(ns, 'no-provider');
    assert.equal(ban.status?.conditions?.find((c) => c.type === 'Stalled')?.reason, 'ProviderNotFound');
  });

  it('applies a pushed change and reconciles it: an added user is kicked and the new revision is Ready', async () => {
    const ns = namespaces[2]!;
    const repo = git!.repository('push');
    const first = await repo.push(banFiles([{ name: 'raid', spec: spec('trtc', 'room-e', ['u1', 'u2']) }]), 'a RoomBan');
    await sync('push', repo.url, ns);
    await eventually(async () => {
      const ks = await kustomization('push');
      return condition(ks)?.status === 'True' && ks.status?.lastAppliedRevision === `main@sha1:${first}` ? ks : undefined;
    }, 60_000, () => describe('push', ns));
    const second = await repo.push(banFiles([{ name: 'raid', spec: spec('trtc', 'room-e', ['u1', 'u2', 'late-joiner']) }]), 'add a user');
    // No nudge: the GitRepository's 5 s interval finds the commit, the Kustomization applies it.
    const ready = await eventually(async () => {
      const ks = await kustomization('push');
      return condition(ks)?.status === 'True' && ks.status?.lastAppliedRevision === `main@sha1:${second}` ? ks : undefined;
    }, 60_000, () => describe('push', ns));
    assert.ok(ready);
    const ban = await fx.getBan(ns, 'raid');
    assert.deepEqual(ban.spec.users, ['u1', 'u2', 'late-joiner']);
    assert.equal(readyStatus(ban), 'True');
    assert.equal(ban.status?.summary?.total, 3);
    const kicked = sims!.trtc.calls.filter((call) => call.roomId === 'room-e').flatMap((call) => call.userIds);
    assert.ok(kicked.includes('late-joiner'), `late-joiner never kicked: ${JSON.stringify(kicked)}`);
  });
});
