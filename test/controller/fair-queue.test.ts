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

  it('remove() takes a key out of its line wherever it is; its namespace keeps exactly one turn', () => {
    const queue = new FairQueue();
    for (const key of ['a/1', 'a/2', 'b/1', 'a/3']) queue.add(key);
    assert.equal(queue.remove('a/2'), true);
    assert.equal(queue.remove('a/2'), false, 'not waiting any more');
    assert.equal(queue.remove('z/9'), false);
    assert.equal(queue.size, 3);
    assert.ok(!queue.has('a/2'));
    assert.deepEqual(drain(queue), ['a/1', 'b/1', 'a/3']);
  });

  it('a namespace emptied by remove() and filled again is served once per turn, not twice', () => {
    const queue = new FairQueue();
    queue.add('a/1');
    queue.add('b/1');
    queue.add('b/2');
    queue.remove('a/1');
    queue.add('a/2');
    queue.add('a/3');
    // One turn each in order a, b: a/2, b/1, a/3, b/2. Two turns for "a" would serve a/2 and a/3 first.
    assert.deepEqual(drain(queue), ['a/2', 'b/1', 'a/3', 'b/2']);
    queue.add('c/1');
    queue.remove('c/1');
    assert.equal(queue.shift(), undefined, 'an emptied namespace is passed by');
    queue.add('c/2');
    assert.deepEqual(drain(queue), ['c/2']);
  });
});
