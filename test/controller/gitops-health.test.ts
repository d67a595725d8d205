// What GitOps tools make of real RoomBans, read from the API server at each point of their life:
// kstatus (sigs.k8s.io/cli-utils, the library Flux's health checks and kpt use; tools/kstatus) and
// the Argo CD health check shipped in the chart. The chart README promises Flux needs no
// configuration; these tests hold it to that.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { RoomBan } from '../../src/api/types.ts';
import { kstatusBinary } from '../../src/devcluster/binaries.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { argoCdHealth } from '../packaging/argocd.ts';
import { condition, isReady } from '../../support/fixtures.ts';
import { namespaceWithOperator, startOperator, useOperatorEnv } from './support.ts';

describe('GitOps health of real RoomBans: kstatus (Flux) and the Argo CD health check', function () {
  this.timeout(120_000);
  const env = useOperatorEnv();

  it('new, not yet seen by the operator: InProgress / Progressing (the status default), then Current / Healthy', async () => {
    const ns = await freshNamespace(env.cluster);
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    sim.addMembers(`room-${ns}`, ['g1']);
    const created = await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: `room-${ns}`, users: ['g1'] });
    assert.deepEqual(health(created), { kstatus: 'InProgress', argoCd: 'Progressing' });

    await startOperator(env, { namespaces: [ns] });
    const ready = await env.fx.waitForBan(ns, 'b', isReady);
    assert.deepEqual(health(ready), { kstatus: 'Current', argoCd: 'Healthy' });
  });

  it('a spec change the operator has not observed yet: InProgress / Progressing', async () => {
    const ns = await freshNamespace(env.cluster);
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    sim.addMembers(`room-${ns}`, ['g1', 'g2']);
    const op = await startOperator(env, { namespaces: [ns] });
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: `room-${ns}`, users: ['g1'] });
    await env.fx.waitForBan(ns, 'b', isReady);
    await op.stop('SIGKILL');
    const changed = await env.fx.updateBan(ns, 'b', (ban) => {
      ban.spec.users = ['g1', 'g2'];
    });
    assert.equal(condition(changed, 'Ready')?.status, 'True', 'Ready=True still, but for generation 1');
    assert.deepEqual(health(changed), { kstatus: 'InProgress', argoCd: 'Progressing' });
  });

  it('retrying after vendor errors: InProgress / Progressing', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.volcengine;
    const provider = await env.fx.vendorProvider(ns, 'volcengineRTC', sim.url);
    sim.faults.set({ probabilities: { serverError: 1 } });
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: `room-${ns}`, users: ['g1'] });
    const retrying = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Reconciling')?.reason === 'RetryingAfterError');
    assert.deepEqual(health(retrying), { kstatus: 'InProgress', argoCd: 'Progressing' });
  });

  it('stalled (provider missing, vendor rejected): Failed / Degraded', async () => {
    const { ns } = await namespaceWithOperator(env);
    await env.fx.ban(ns, 'missing', { providerRef: { name: 'nowhere' }, roomId: `room-${ns}`, users: ['g1'] });
    const missing = await env.fx.waitForBan(ns, 'missing', (b) => condition(b, 'Stalled')?.status === 'True');
    assert.deepEqual(health(missing), { kstatus: 'Failed', argoCd: 'Degraded' });

    const sim = env.sims.chat;
    const provider = await env.fx.vendorProvider(ns, 'tencentChat', sim.url);
    sim.faults.nextError('70003'); // a UserSig the vendor refuses: terminal
    await env.fx.ban(ns, 'rejected', { providerRef: { name: provider }, roomId: `room-${ns}`, users: ['g1'], reason: 'r' });
    const rejected = await env.fx.waitForBan(ns, 'rejected', (b) => condition(b, 'Stalled')?.reason === 'VendorRejected');
    assert.deepEqual(health(rejected), { kstatus: 'Failed', argoCd: 'Degraded' });
  });

  it('paused before it was Ready: InProgress / Suspended', async () => {
    const { ns } = await namespaceWithOperator(env);
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: `room-${ns}`, users: ['g1'] }, { 'roomban.io/paused': 'true' });
    const paused = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Reconciling')?.reason === 'Paused');
    assert.deepEqual(health(paused), { kstatus: 'InProgress', argoCd: 'Suspended' });
  });
});

function health(ban: RoomBan): { kstatus: string; argoCd: string } {
  const run = spawnSync(kstatusBinary(), { input: JSON.stringify(ban), encoding: 'utf8' });
  assert.equal(run.status, 0, `kstatus exited ${run.status}: ${run.stderr}`);
  return { kstatus: run.stdout.split('\n')[0] ?? '', argoCd: argoCdHealth(ban).status };
}
