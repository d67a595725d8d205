import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { type QueueTimers, WorkQueue } from '../../src/controller/work-queue.ts';
import type { Result } from '../../src/reconcile/index.ts';
import { mulberry32 } from '../../src/sandbox/prng.ts';

/** Timers driven by the test: nothing fires until runNext() says so. */
class FakeTimers implements QueueTimers {
  now = 0;
  readonly requested: number[] = [];
  readonly #pending = new Map<number, { at: number; callback: () => void }>();
  #nextId = 0;

  setTimeout(callback: () => void, ms: number): unknown {
    this.#nextId += 1;
    this.#pending.set(this.#nextId, { at: this.now + ms, callback });
    this.requested.push(ms);
    return this.#nextId;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** Fires the earliest timer (ties in creation order) and lets the handlers it starts settle. */
  async runNext(): Promise<void> {
    let earliest: [number, { at: number; callback: () => void }] | undefined;
    for (const entry of this.#pending) if (!earliest || entry[1].at < earliest[1].at) earliest = entry;
    assert.ok(earliest, 'no timer pending');
    this.#pending.delete(earliest[0]);
    this.now = earliest[1].at;
    earliest[1].callback();
    await settle();
  }
}

/** Lets pending promise chains and immediates run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeQueue(options: ConstructorParameters<typeof WorkQueue>[0] = {}): { queue: WorkQueue; timers: FakeTimers } {
  const timers = new FakeTimers();
  const queue = new WorkQueue({ timers, now: () => timers.now, ...options });
  return { queue, timers };
}

/** Idle: nothing queued or running for 20 ms, longer than any delayed add of the property run (< 3 ms). */
async function waitIdle(queue: WorkQueue): Promise<void> {
  for (let quiet = 0; quiet < 20; quiet = queue.depth > 0 || queue.inFlight > 0 ? 0 : quiet + 1) await sleep(1);
}

/** A seeded generator (the sandbox's mulberry32) so a failing property run can be replayed. */
const seeded = mulberry32;

describe('WorkQueue', () => {
  it('collapses repeated adds of a waiting key into one run, in first-add order', async () => {
    const { queue } = fakeQueue();
    for (const key of ['a', 'b', 'a', 'a', 'c', 'b']) queue.add(key);
    assert.equal(queue.depth, 3);
    const runs: string[] = [];
    queue.start(async (key) => {
      runs.push(key);
      return { kind: 'done' };
    });
    await settle();
    assert.deepEqual(runs, ['a', 'b', 'c']);
    assert.equal(queue.depth, 0);
  });

  it('startNow() runs waiting keys at once, on top of the concurrency: the workers go on serving the others, up to maxRiding riders', async () => {
    const { queue } = fakeQueue({ concurrency: 1, maxRiding: 2 });
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const runs: string[] = [];
    queue.start(async (key) => {
      runs.push(key);
      const gate = deferred();
      gates.set(key, gate);
      await gate.promise;
      return { kind: 'done' };
    });
    for (const key of ['ns/a', 'ns/b', 'ns/c', 'ns/d', 'ns/e']) queue.add(key);
    await settle();
    assert.deepEqual(runs, ['ns/a']);
    assert.equal(queue.isWaiting('ns/c'), true);
    assert.equal(queue.isWaiting('ns/a'), false, 'in flight is not waiting');
    assert.deepEqual(queue.startNow(['ns/c', 'ns/a', 'ns/unknown', 'ns/d', 'ns/e']), ['ns/c', 'ns/d'], 'only waiting keys, and at most maxRiding');
    assert.ok(queue.isRiding('ns/c') && !queue.isRiding('ns/a'));
    await settle();
    assert.deepEqual(runs, ['ns/a', 'ns/c', 'ns/d']);
    assert.equal(queue.inFlight, 3);
    gates.get('ns/a')!.resolve();
    await settle();
    assert.deepEqual(runs, ['ns/a', 'ns/c', 'ns/d', 'ns/b'], 'the worker takes the next key while the riders still run');
    assert.deepEqual(queue.startNow(['ns/e']), [], 'two riders already');
    gates.get('ns/c')!.resolve();
    await settle();
    assert.equal(queue.isRiding('ns/c'), false);
    assert.deepEqual(queue.startNow(['ns/e']), ['ns/e']);
    for (const key of ['ns/b', 'ns/d', 'ns/e']) gates.get(key)?.resolve();
    await settle();
    assert.equal(queue.inFlight, 0);
  });

  it('startNow() leaves a backing-off key alone, and a key added while it rides along runs once more after', async () => {
    const { queue, timers } = fakeQueue({ concurrency: 1 });
    const runs: string[] = [];
    const gate = deferred();
    queue.start(async (key) => {
      runs.push(key);
      if (key === 'ns/slow') await gate.promise;
      if (key === 'ns/fails' && runs.filter((run) => run === key).length === 1) return { kind: 'backoff' };
      return { kind: 'done' };
    });
    queue.add('ns/slow');
    queue.add('ns/fails');
    await settle();
    assert.deepEqual(queue.startNow(['ns/fails']), ['ns/fails']);
    await settle();
    assert.equal(queue.isWaiting('ns/fails'), false, 'backing off: delayed, not waiting');
    assert.deepEqual(queue.startNow(['ns/fails']), [], 'a backoff is not cut short');
    await timers.runNext();
    assert.equal(queue.isWaiting('ns/fails'), true, 'waits again after its backoff (ns/slow holds the one worker)');
    queue.add('ns/rider');
    assert.deepEqual(queue.startNow(['ns/rider', 'ns/fails']), ['ns/rider', 'ns/fails']);
    queue.add('ns/rider');
    await settle();
    const riderRuns = runs.filter((run) => run === 'ns/rider').length;
    gate.resolve();
    await settle();
    assert.equal(riderRuns, 1);
    assert.equal(runs.filter((run) => run === 'ns/rider').length, 2, 'added during its ride: runs once more');
    assert.equal(queue.inFlight, 0);
  });

  it('serves waiting keys fairly across namespaces: a second tenant does not wait behind a flood', async () => {
    const { queue } = fakeQueue({ concurrency: 1 });
    for (let i = 0; i < 20; i++) queue.add(`flood/ban-${i}`);
    queue.add('quiet/ban');
    const runs: string[] = [];
    queue.start(async (key) => {
      runs.push(key);
      return { kind: 'done' };
    });
    await settle();
    assert.equal(runs.length, 21);
    assert.equal(runs.indexOf('quiet/ban'), 1, `served second, not last: ${runs.slice(0, 4).join(', ')}`);
  });

  it('runs a key added during its run exactly once more, after the run ends', async () => {
    const { queue } = fakeQueue({ concurrency: 4 });
    const gate = deferred();
    let running = 0;
    let runs = 0;
    queue.start(async () => {
      running += 1;
      runs += 1;
      assert.equal(running, 1, 'two runs of one key at once');
      if (runs === 1) await gate.promise;
      running -= 1;
      return { kind: 'done' };
    });
    queue.add('ns/a');
    await settle();
    for (let i = 0; i < 3; i++) queue.add('ns/a');
    await settle();
    assert.equal(queue.inFlight, 1);
    assert.equal(queue.depth, 0, 'a dirty key waits outside the queue until its run ends');
    assert.equal(runs, 1);
    gate.resolve();
    await settle();
    assert.equal(runs, 2);
    assert.equal(queue.inFlight, 0);
  });

  it('bounds global concurrency and reports depth and in-flight counts', async () => {
    const { queue } = fakeQueue({ concurrency: 3 });
    const gate = deferred();
    queue.start(async () => {
      await gate.promise;
      return { kind: 'done' };
    });
    for (let i = 0; i < 10; i++) queue.add(`ns/k${i}`);
    await settle();
    assert.equal(queue.inFlight, 3);
    assert.equal(queue.depth, 7);
    gate.resolve();
    await settle();
    assert.equal(queue.inFlight, 0);
    assert.equal(queue.depth, 0);
  });

  it('property: never two runs of one key, never more than `concurrency` runs, no add lost', async function () {
    this.timeout(60_000);
    for (let seed = 1; seed <= 12; seed++) await propertyRun(seed);
  });

  it('backs off exponentially on failures, with full jitter, and resets on success', async () => {
    const { queue, timers } = fakeQueue({ random: () => 0.999_999 });
    const script: Array<'fail' | 'retry' | 'ok'> = ['fail', 'retry', 'fail', 'fail', 'ok', 'fail'];
    queue.start(async () => {
      const step = script.shift();
      if (step === 'fail') throw new Error('vendor down');
      return step === 'retry' ? { kind: 'backoff' } : { kind: 'done' };
    });
    queue.add('ns/a');
    await settle();
    const seen: number[] = [queue.failures('ns/a')];
    while (timers.pending > 0) {
      await timers.runNext();
      seen.push(queue.failures('ns/a'));
    }
    queue.add('ns/a');
    await settle();
    seen.push(queue.failures('ns/a'));
    assert.deepEqual(seen, [1, 2, 3, 4, 0, 1]);
    // Ceilings 1 s, 2 s, 4 s, 8 s with the jitter at its top; after the success, 1 s again.
    assert.deepEqual(timers.requested, [999, 1999, 3999, 7999, 999]);
  });

  it('caps the default backoff at 5 minutes and draws delays below the ceiling', async () => {
    const draws = [0, 0.5, 0.999_999];
    const { queue, timers } = fakeQueue({ random: () => draws[timers.requested.length % 3] ?? 0 });
    queue.start(async () => ({ kind: 'backoff' }));
    queue.add('ns/a');
    await settle();
    for (let i = 0; i < 14; i++) await timers.runNext();
    const ceilings = timers.requested.map((_, i) => Math.min(300_000, 1000 * 2 ** i));
    timers.requested.forEach((delay, i) => assert.ok(delay >= 0 && delay < (ceilings[i] ?? 0), `delay ${delay} at ${i}`));
    assert.equal(timers.requested.at(-1), 299_999);
    assert.equal(timers.requested[0], 0, 'full jitter may retry at once');
  });

  it('never retries sooner than a returned Retry-After; a thrown error is not read for one', async () => {
    const { queue, timers } = fakeQueue({ random: () => 0 });
    let calls = 0;
    queue.start(async () => {
      calls += 1;
      if (calls === 1) return { kind: 'backoff', retryAfterMs: 5000 };
      throw Object.assign(new Error('throttled'), { retryAfterMs: 7000 });
    });
    queue.add('ns/a');
    await settle();
    await timers.runNext();
    assert.deepEqual(timers.requested.slice(0, 2), [5000, 0]);
  });

  it('passes the failure count and Retry-After to a custom backoff', async () => {
    const asked: Array<[number, number | undefined]> = [];
    const { queue, timers } = fakeQueue({
      backoff: (failures, retryAfterMs) => {
        asked.push([failures, retryAfterMs]);
        return 42;
      },
    });
    queue.start(async () => ({ kind: 'backoff', retryAfterMs: 300 }));
    queue.add('ns/a');
    await settle();
    await timers.runNext();
    assert.deepEqual(asked, [
      [1, 300],
      [2, 300],
    ]);
    assert.deepEqual(timers.requested, [42, 42]);
  });

  it('requeues after requeueAfterMs on success, with failures forgotten', async () => {
    const { queue, timers } = fakeQueue({ random: () => 0.5 });
    const results: Result[] = [{ kind: 'backoff' }, { kind: 'requeue', afterMs: 30_000 }, { kind: 'done' }];
    let runs = 0;
    queue.start(async () => {
      runs += 1;
      return results.shift() ?? { kind: 'done' };
    });
    queue.add('ns/a');
    await settle();
    assert.equal(queue.failures('ns/a'), 1);
    await timers.runNext();
    assert.equal(queue.failures('ns/a'), 0);
    assert.equal(timers.requested.at(-1), 30_000);
    await timers.runNext();
    assert.equal(runs, 3);
    assert.equal(timers.pending, 0);
  });

  it('keeps one timer per key and lets the earliest deadline win', async () => {
    const { queue, timers } = fakeQueue();
    const runs: Array<[string, number]> = [];
    queue.start(async (key) => {
      runs.push([key, timers.now]);
      return { kind: 'done' };
    });
    queue.addAfter('a', 500);
    queue.addAfter('a', 100);
    queue.addAfter('a', 900);
    queue.addAfter('c', 300);
    queue.addAfter('b', 200);
    assert.equal(timers.pending, 3, 'the replaced 500 ms timer was cleared');
    while (timers.pending > 0) await timers.runNext();
    assert.deepEqual(runs, [
      ['a', 100],
      ['b', 200],
      ['c', 300],
    ]);
    assert.equal(timers.pending, 0);
  });

  it('treats a non-positive delay as an immediate add', async () => {
    const { queue } = fakeQueue();
    queue.addAfter('a', 0);
    queue.addAfter('b', -5);
    assert.equal(queue.depth, 2);
  });

  it('yields to the event loop between zero-delay retries of a handler that does no I/O', async () => {
    const queue = new WorkQueue({ backoff: () => 0 });
    let runs = 0;
    queue.start(async () => {
      runs += 1;
      return { kind: 'backoff' };
    });
    queue.add('a');
    await sleep(5); // would never resolve if retries chained as microtasks
    assert.ok(runs > 1, 'retried');
    await queue.shutdown();
  });

  it('fires delayed adds on real timers', async () => {
    const queue = new WorkQueue();
    const ran = deferred();
    queue.start(async () => {
      ran.resolve();
      return { kind: 'done' };
    });
    queue.addAfter('a', 5);
    await ran.promise;
    await queue.shutdown();
  });

  it('shutdown drops waiting and delayed keys, stops new work and waits for in-flight runs', async () => {
    const { queue, timers } = fakeQueue({ concurrency: 2 });
    const gate = deferred();
    const started: string[] = [];
    queue.start(async (key) => {
      started.push(key);
      await gate.promise;
      throw new Error('failed while shutting down');
    });
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key);
    queue.addAfter('e', 1000);
    await settle();
    let done = false;
    const shutdown = queue.shutdown().then(() => (done = true));
    assert.equal(queue.depth, 0);
    assert.equal(timers.pending, 0, 'delayed adds dropped');
    queue.add('f');
    queue.addAfter('g', 10);
    await settle();
    assert.equal(done, false, 'resolved before in-flight runs finished');
    assert.equal(queue.inFlight, 2);
    gate.resolve();
    await shutdown;
    assert.deepEqual(started, ['a', 'b']);
    assert.equal(queue.inFlight, 0);
    assert.equal(timers.pending, 0, 'a failure during shutdown is not retried');
  });

  it('shutdown of an idle queue resolves at once, and later adds never run', async () => {
    const { queue } = fakeQueue();
    let runs = 0;
    queue.start(async () => {
      runs += 1;
      return { kind: 'done' };
    });
    await queue.shutdown();
    await queue.shutdown();
    queue.add('a');
    await settle();
    assert.equal(runs, 0);
    assert.equal(queue.depth, 0);
  });

  it('reports depth changes and each run’s outcome and duration', async () => {
    const depths: number[] = [];
    const processed: Array<[string, number, string]> = [];
    const errors: Array<[string, string]> = [];
    const { queue, timers } = fakeQueue({
      backoff: () => 10,
      onDepthChange: (depth) => depths.push(depth),
      onProcessed: (key, durationMs, outcome) => processed.push([key, durationMs, outcome]),
      onError: (key, error) => errors.push([key, (error as Error).message]),
    });
    queue.add('a');
    queue.add('b');
    queue.add('c');
    queue.start(async (key) => {
      timers.now += 7;
      if (key === 'b') return { kind: 'backoff' };
      if (key === 'c') throw new Error('boom');
      return { kind: 'done' };
    });
    await settle();
    assert.deepEqual(depths, [1, 2, 3, 2, 1, 0]);
    assert.deepEqual(processed, [
      ['a', 7, 'success'],
      ['b', 7, 'retry'],
      ['c', 7, 'error'],
    ]);
    assert.deepEqual(errors, [['c', 'boom']], 'a rejected handler is reported with its key');
    assert.equal(queue.failures('b'), 1);
    assert.equal(queue.failures('c'), 1, 'and backs off like a returned backoff');
  });

  it('survives hooks that throw', async () => {
    const { queue } = fakeQueue({
      onDepthChange: () => {
        throw new Error('metrics broke');
      },
      onProcessed: () => {
        throw new Error('metrics broke');
      },
    });
    let runs = 0;
    queue.start(async () => {
      runs += 1;
      return { kind: 'done' };
    });
    queue.add('a');
    queue.add('b');
    await settle();
    assert.equal(runs, 2);
    assert.equal(queue.inFlight, 0);
  });

  it('done resets the failure count and schedules nothing', async () => {
    const { queue, timers } = fakeQueue({ backoff: () => 10 });
    const results: Result[] = [{ kind: 'backoff' }, { kind: 'done' }];
    queue.start(async () => results.shift() ?? { kind: 'done' });
    queue.add('a');
    await settle();
    assert.equal(queue.failures('a'), 1);
    await timers.runNext();
    assert.equal(queue.failures('a'), 0);
    assert.equal(timers.pending, 0);
  });

  it('rejects a second start() and a non-positive concurrency', () => {
    const queue = new WorkQueue();
    queue.start(async () => ({ kind: 'done' }));
    assert.throws(() => queue.start(async () => ({ kind: 'done' })), /already started/);
    assert.throws(() => new WorkQueue({ concurrency: 0 }), RangeError);
    assert.throws(() => new WorkQueue({ concurrency: 1.5 }), RangeError);
  });
});

/**
 * Random adds at random times against handlers of random duration and outcome, on real timers.
 * Checks, per key, that runs never overlap, that the global count never exceeds `concurrency`, and
 * that every add is followed by a run that started after it (the dirty re-run is not lost).
 */
async function propertyRun(seed: number): Promise<void> {
  const random = seeded(seed);
  const concurrency = 1 + Math.floor(random() * 4);
  const keys = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => `ns/k${i}`);
  const queue = new WorkQueue({ concurrency, backoff: () => Math.floor(random() * 3) });
  const active = new Map<string, number>();
  const lastAdd = new Map<string, number>();
  const lastStart = new Map<string, number>();
  let clock = 0;
  let global = 0;
  let maxGlobal = 0;
  let maxPerKey = 0;
  let adding = true;

  queue.start(async (key) => {
    lastStart.set(key, ++clock);
    const now = (active.get(key) ?? 0) + 1;
    active.set(key, now);
    global += 1;
    maxPerKey = Math.max(maxPerKey, now);
    maxGlobal = Math.max(maxGlobal, global);
    await randomPause(random);
    active.set(key, now - 1);
    global -= 1;
    return adding ? randomResult(random) : { kind: 'done' };
  });

  for (let i = 0; i < 200; i++) {
    const key = keys[Math.floor(random() * keys.length)] ?? 'ns/k0';
    lastAdd.set(key, ++clock);
    queue.add(key);
    if (random() < 0.5) await randomPause(random);
  }
  adding = false;
  await waitIdle(queue);
  const context = `seed ${seed}, concurrency ${concurrency}, ${keys.length} keys`;
  assert.equal(maxPerKey, 1, `two runs of one key at once (${context})`);
  assert.ok(maxGlobal <= concurrency, `${maxGlobal} runs at once (${context})`);
  for (const [key, added] of lastAdd) {
    assert.ok((lastStart.get(key) ?? 0) > added, `the last add of ${key} never ran (${context})`);
  }
}

async function randomPause(random: () => number): Promise<void> {
  const choice = random();
  if (choice < 0.3) return;
  if (choice < 0.6) await new Promise((resolve) => setImmediate(resolve));
  else await sleep(Math.floor(random() * 3));
}

function randomResult(random: () => number): Result {
  const choice = random();
  if (choice < 0.1) throw new Error('random failure');
  if (choice < 0.25) return { kind: 'backoff' };
  if (choice < 0.3) return { kind: 'requeue', afterMs: 1 + Math.floor(random() * 3) };
  return { kind: 'done' };
}
