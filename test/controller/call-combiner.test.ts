// Batching across RoomBans, in process: what gathers into one call, when a call goes, and who gets
// which results.

import assert from 'node:assert/strict';
import type { UserResult } from '../../src/api/results.ts';
import { CallCombiner, type CombinedCall, MAX_GATHER_MS } from '../../src/controller/call-combiner.ts';

interface Sent {
  userIds: readonly string[];
  at: number;
}

function harness(options: { maxUsers?: number; waitMs?: number } = {}) {
  const sent: Sent[] = [];
  const started = performance.now();
  const call = (key = 'k'): CombinedCall => ({
    key,
    maxUsers: options.maxUsers ?? 10,
    waitMs: () => options.waitMs ?? 50,
    send: async (userIds) => {
      sent.push({ userIds, at: performance.now() - started });
      return userIds.map((userId): UserResult => ({ userId, outcome: 'Removed', code: '', message: '', requestId: `req-${sent.length}` }));
    },
  });
  return { sent, call, combiner: new CallCombiner() };
}

describe('CallCombiner', () => {
  it('gathers RoomBans that submit while the call would wait for a token into one call; each gets its own users\' results with that call\'s RequestId', async () => {
    const { sent, call, combiner } = harness();
    const answers = await Promise.all(['a', 'b', 'c'].map((userId) => combiner.submit(call(), [userId])));
    assert.deepEqual(sent.map((s) => s.userIds), [['a', 'b', 'c']]);
    assert.deepEqual(answers.map((results) => results.map((r) => [r.userId, r.requestId])), [[['a', 'req-1']], [['b', 'req-1']], [['c', 'req-1']]]);
  });

  it('a full group goes at once, without waiting for the gathering window', async () => {
    const { sent, call, combiner } = harness({ maxUsers: 2, waitMs: 10_000 });
    await Promise.all([combiner.submit(call(), ['a']), combiner.submit(call(), ['b'])]);
    assert.equal(sent.length, 1);
    assert.ok(sent[0]!.at < 100, `sent after ${sent[0]!.at} ms`);
  });

  it('with a token ready (wait 0) a call goes in the same turn, not after a window', async () => {
    const { sent, call, combiner } = harness({ waitMs: 0 });
    await combiner.submit(call(), ['a']);
    assert.ok(sent[0]!.at < 20, `sent after ${sent[0]!.at} ms`);
  });

  it('never gathers longer than MAX_GATHER_MS, whatever the bucket estimates', async () => {
    const { sent, call, combiner } = harness({ waitMs: 60_000 });
    await combiner.submit(call(), ['a']);
    assert.ok(sent[0]!.at < MAX_GATHER_MS + 100, `sent after ${sent[0]!.at} ms`);
  });

  it('never exceeds the per-call size: a batch that does not fit sends the open group and starts the next', async () => {
    const { sent, call, combiner } = harness({ maxUsers: 3 });
    await Promise.all([combiner.submit(call(), ['a', 'b']), combiner.submit(call(), ['c', 'd'])]);
    assert.deepEqual(sent.map((s) => s.userIds), [['a', 'b'], ['c', 'd']]);
  });

  it('different keys (another namespace, room, provider or kind of call) never share a call', async () => {
    const { sent, call, combiner } = harness();
    await Promise.all([combiner.submit(call('ns-a/room'), ['a']), combiner.submit(call('ns-b/room'), ['b'])]);
    assert.deepEqual(sent.map((s) => s.userIds).sort(), [['a'], ['b']]);
  });

  it('a user two RoomBans want out is named once, and both get its result', async () => {
    const { sent, call, combiner } = harness();
    const [first, second] = await Promise.all([combiner.submit(call(), ['a', 'b']), combiner.submit(call(), ['b', 'c'])]);
    assert.deepEqual(sent.map((s) => s.userIds), [['a', 'b', 'c']]);
    assert.deepEqual(first!.map((r) => r.userId), ['a', 'b']);
    assert.deepEqual(second!.map((r) => r.userId), ['b', 'c']);
  });

  it('a call that throws rejects every RoomBan in it', async () => {
    const combiner = new CallCombiner();
    const failing: CombinedCall = { key: 'k', maxUsers: 10, waitMs: () => 10, send: () => Promise.reject(new Error('boom')) };
    const results = await Promise.allSettled([combiner.submit(failing, ['a']), combiner.submit(failing, ['b'])]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  });

  it('a group about to go with room left asks its opener to fill it once; what fill() starts joins the same call', async () => {
    const { sent, call, combiner } = harness({ waitMs: 0 });
    const asked: number[] = [];
    const riders: Promise<UserResult[]>[] = [];
    const opener = await Promise.all([
      combiner.submit({
        ...call(),
        fill: (spaceLeft) => {
          asked.push(spaceLeft);
          // Riders reach submit() through a few promise hops, as a reconcile from the cache does.
          for (const userId of ['r1', 'r2']) riders.push(Promise.resolve().then(() => Promise.resolve()).then(() => combiner.submit(call(), [userId])));
          return true;
        },
      }, ['a']),
      combiner.submit(call(), ['b']),
    ]);
    const ridden = await Promise.all(riders);
    assert.deepEqual(asked, [8], 'asked once, with the room left after a and b');
    assert.deepEqual(sent.map((s) => s.userIds), [['a', 'b', 'r1', 'r2']]);
    assert.deepEqual([...opener, ...ridden].map((results) => results.map((r) => r.requestId)), [['req-1'], ['req-1'], ['req-1'], ['req-1']]);
  });

  it('a full group does not ask to be filled; a fill() that starts nothing lets the call go in that turn', async () => {
    const { sent, call, combiner } = harness({ maxUsers: 2, waitMs: 0 });
    let asked = 0;
    const fill = () => {
      asked += 1;
      return false;
    };
    await Promise.all([combiner.submit({ ...call(), fill }, ['a']), combiner.submit(call(), ['b'])]);
    assert.equal(asked, 0);
    await combiner.submit({ ...call(), fill }, ['c']);
    assert.equal(asked, 1);
    assert.deepEqual(sent.map((s) => s.userIds), [['a', 'b'], ['c']]);
  });
});
