import assert from 'node:assert/strict';
import { FairQueue } from '../../src/controller/fair-queue.ts';

function drain(queue: FairQueue): string[] {
  const keys: string[] = [];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) keys.push(key);
  return keys;
}

describe('FairQueue (waiting keys, fair across namespaces)', () => {
  it('serves namespaces in turn, FIFO within each: a flood in one delays another by one turn', () => {
    const queue = new FairQueue();
    for (let i = 1; i <= 5; i++) queue.add(`flood/b${i}`);
    queue.add('quiet/only');
    queue.add('other/x');
    assert.equal(queue.size, 7);
    assert.deepEqual(drain(queue), ['flood/b1', 'quiet/only', 'other/x', 'flood/b2', 'flood/b3', 'flood/b4', 'flood/b5']);
    assert.equal(queue.size, 0);
  });

  it('a namespace that empties and comes back goes to the end of the turns', () => {
    const queue = new FairQueue();
    queue.add('a/1');
    queue.add('b/1');
    assert.equal(queue.shift(), 'a/1');
    queue.add('a/2');
    queue.add('c/1');
    assert.deepEqual(drain(queue), ['b/1', 'a/2', 'c/1']);
  });

  it('dedups a waiting key (it keeps its place), and has() sees it until it is served', () => {
    const queue = new FairQueue();
    queue.add('a/1');
    queue.add('a/2');
    queue.add('a/1');
    assert.equal(queue.size, 2);
    assert.ok(queue.has('a/1'));
    assert.equal(queue.shift(), 'a/1');
    assert.ok(!queue.has('a/1'));
    queue.add('a/1');
    assert.deepEqual(drain(queue), ['a/2', 'a/1']);
  });

  it('keys without a namespace are each their own group; clear() empties everything', () => {
    const queue = new FairQueue();
    for (const key of ['x', 'y', 'x', 'ns/a']) queue.add(key);
    assert.deepEqual(drain(queue), ['x', 'y', 'ns/a']);
    queue.add('ns/b');
    queue.clear();
    assert.equal(queue.size, 0);
    assert.equal(queue.shift(), undefined);
  });
});
