// FairLimit: at most `max` tasks at once; waiting tasks start owner by owner in turn, FIFO within
// an owner, and a freed place goes to the next waiter, not to a newcomer.

import assert from 'node:assert/strict';
import { FairLimit } from '../../src/common/fair-limit.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('FairLimit', () => {
  it('runs at most max at once; a flood of one owner waits its turns with another owner’s task', async () => {
    const limit = new FairLimit(2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (name: string) => async () => {
      started.push(name);
      const gate = deferred();
      gates.set(name, gate);
      await gate.promise;
      return name;
    };
    const results = [
      ...['a1', 'a2', 'a3', 'a4', 'a5'].map((name) => limit.run('flood', task(name))),
      limit.run('quiet', task('q1')),
    ];
    await settle();
    assert.deepEqual(started, ['a1', 'a2']);
    assert.equal(limit.active, 2);
    assert.equal(limit.waiting, 4);
    gates.get('a1')!.resolve();
    await settle();
    gates.get('a2')!.resolve();
    await settle();
    assert.deepEqual(started, ['a1', 'a2', 'a3', 'q1'], 'the quiet owner goes in the second turn, not after the flood');
    const newcomer = limit.run('flood', task('a6'));
    for (const name of ['a3', 'q1', 'a4', 'a5']) {
      gates.get(name)!.resolve();
      await settle();
    }
    gates.get('a6')!.resolve();
    assert.deepEqual(await Promise.all([...results, newcomer]), ['a1', 'a2', 'a3', 'a4', 'a5', 'q1', 'a6']);
    assert.deepEqual(started, ['a1', 'a2', 'a3', 'q1', 'a4', 'a5', 'a6']);
    assert.equal(limit.active, 0);
  });

  it('a task that throws frees its place, and the error reaches its caller', async () => {
    const limit = new FairLimit(1);
    const failing = limit.run('x', () => Promise.reject(new Error('boom')));
    const next = limit.run('x', async () => 'next');
    await assert.rejects(failing, /boom/);
    assert.equal(await next, 'next');
    assert.equal(limit.active, 0);
    assert.throws(() => new FairLimit(0), /positive integer/);
  });
});
