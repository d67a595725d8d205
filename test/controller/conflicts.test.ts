// Status writes that lose a race (docs/architecture.md#one-roomban-end-to-end: "conflicts (409) re-read and retry"): the RoomBan is
// edited while a vendor call is in flight, so the write carrying its answer has a stale
// resourceVersion. The answer must still be recorded, and no recorded user asked again.

import assert from 'node:assert/strict';
import { isReady } from '../../support/fixtures.ts';
import { callsFor, namespaceWithOperator, useOperatorEnv } from './support.ts';
import { type OperatorProcess, sumMetric } from '../../support/operator-process.ts';

describe('operator: status write conflicts', function () {
  this.timeout(120_000);
  const env = useOperatorEnv();

  it('a ban relabelled during the call: the write is re-read and retried, the answer kept, no second call', async () => {
    const { ns, op } = await namespaceWithOperator(env);
    const sim = env.sims.trtc;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
    const room = `room-${ns}`;
    sim.addMembers(room, ['c1', 'c2']);
    const hold = sim.faults.holdNext();
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: room, users: ['c1', 'c2'] });
    await hold.received;
    await env.fx.updateBan(ns, 'b', (ban) => {
      ban.metadata.labels = { ...ban.metadata.labels, team: 'trust-and-safety' };
    });
    hold.release();
    const ready = await env.fx.waitForBan(ns, 'b', isReady);
    const calls = callsFor(sim, room);
    assert.equal(calls.length, 1, 'one call: the conflict did not lose its answer');
    assert.deepEqual(ready.status?.users?.map((u) => [u.userId, u.state, u.requestId]), [
      ['c1', 'Removed', calls[0]?.requestId],
      ['c2', 'Removed', calls[0]?.requestId],
    ]);
    assert.equal(ready.metadata.labels?.team, 'trust-and-safety', 'the edit survived too');
    assert.ok((await counter(op, 'roomban_status_conflicts_total')) >= 1, 'the write was answered 409');
  });

  it('users added during the call: the answer is recorded for the old spec, then only the new user is asked', async () => {
    const { ns, op } = await namespaceWithOperator(env);
    const sim = env.sims.chat;
    const provider = await env.fx.vendorProvider(ns, 'tencentChat', sim.url);
    const room = `room-${ns}`;
    sim.addMembers(room, ['s1', 's2']);
    const hold = sim.faults.holdNext();
    await env.fx.ban(ns, 'b', { providerRef: { name: provider }, roomId: room, users: ['s1'], reason: 'r' });
    await hold.received;
    await env.fx.updateBan(ns, 'b', (ban) => {
      ban.spec.users = ['s1', 's2'];
    });
    hold.release();
    const ready = await env.fx.waitForBan(ns, 'b', (b) => isReady(b) && b.metadata.generation === 2);
    const calls = callsFor(sim, room);
    assert.deepEqual(calls.map((call) => call.userIds), [['s1'], ['s2']], 's1 was asked once');
    assert.deepEqual(ready.status?.users?.map((u) => [u.userId, u.state, u.requestId]), [
      ['s1', 'Removed', calls[0]?.requestId],
      ['s2', 'Removed', calls[1]?.requestId],
    ]);
    assert.ok((await counter(op, 'roomban_status_conflicts_total')) >= 1, 'the write was answered 409');
  });
});

async function counter(op: OperatorProcess, name: string): Promise<number> {
  return sumMetric(await (await fetch(`${op.metricsUrl}/metrics`)).text(), name);
}
