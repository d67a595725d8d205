// LeaderElector against a real kube-apiserver (docs/testing.md#kubernetes-tier): acquisition, renewal, release,
// takeover after a crash, and write races that the API server settles with 409 Conflict.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import { type LeaseApi, LeaderElector, type LeaderElectorOptions, type RequestOptions } from '../../src/controller/leader-election.ts';
import { freshNamespace, type TestCluster, testCluster } from '../harness/cluster.ts';

// Short timings so takeovers happen within seconds; the ratios are client-go's constraints.
const FAST = { leaseDurationSeconds: 2, renewDeadlineMs: 1500, retryPeriodMs: 300 } as const;
// For assertions of "never while the leader renews": wide margins, so a loaded CI machine that
// delays a renewal for a second does not look like a lost lease.
const STEADY = { leaseDurationSeconds: 4, renewDeadlineMs: 3000, retryPeriodMs: 500 } as const;

interface Candidate {
  elector: LeaderElector;
  identity: string;
  started: number;
  /** Date.now() when it last started leading. */
  startedAt: number;
  stopped: number;
  signal: AbortSignal | undefined;
  leaders: string[];
  done: Promise<void>;
}

describe('LeaderElector (real kube-apiserver)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let namespace: string;
  let leases: CoordinationV1Api;
  const running: Candidate[] = [];
  let sampler: OverlapSampler | undefined;

  before(async () => {
    cluster = await testCluster();
    leases = cluster.admin.makeApiClient(CoordinationV1Api);
  });

  beforeEach(async () => {
    namespace = await freshNamespace(cluster, 'le');
  });

  afterEach(async () => {
    sampler?.stop();
    sampler = undefined;
    await Promise.all(running.splice(0).map((c) => c.elector.stop()));
  });

  function candidate(identity: string, options: Partial<LeaderElectorOptions> = {}): Candidate {
    const elector = new LeaderElector({ kubeConfig: cluster.admin, namespace, name: 'roomban-operator', identity, ...FAST, ...options });
    const c: Candidate = { elector, identity, started: 0, startedAt: 0, stopped: 0, signal: undefined, leaders: [], done: Promise.resolve() };
    c.done = elector.run({
      onStartedLeading: (signal) => {
        c.started += 1;
        c.startedAt = Date.now();
        c.signal = signal;
      },
      onStoppedLeading: () => (c.stopped += 1),
      onNewLeader: (holder) => c.leaders.push(holder),
    });
    running.push(c);
    return c;
  }

  async function readLease(): Promise<V1Lease> {
    return leases.readNamespacedLease({ name: 'roomban-operator', namespace });
  }

  it('acquires a missing Lease, writes MicroTime stamps and keeps renewing it', async () => {
    const a = candidate('a');
    await waitFor(() => a.elector.isLeader);
    assert.equal(a.started, 1);
    assert.deepEqual(a.leaders, ['a']);
    const first = await readLease();
    assert.equal(first.spec?.holderIdentity, 'a');
    assert.equal(first.spec?.leaseDurationSeconds, FAST.leaseDurationSeconds);
    assert.equal(first.spec?.leaseTransitions, 0);
    // The API server stores MicroTime with six fractional digits; client-node hands back the string.
    assert.match(String(first.spec?.renewTime), /\.\d{6}Z$/);
    await waitFor(async () => (await readLease()).metadata?.resourceVersion !== first.metadata?.resourceVersion);
    const renewed = await readLease();
    assert.equal(renewed.spec?.holderIdentity, 'a');
    assert.equal(String(renewed.spec?.acquireTime), String(first.spec?.acquireTime), 'a renewal keeps acquireTime');
    assert.notEqual(String(renewed.spec?.renewTime), String(first.spec?.renewTime));
    assert.ok(a.elector.isLeader);
  });

  it('a second candidate never leads while the first renews, for longer than the lease lasts', async () => {
    const a = candidate('a', STEADY);
    await waitFor(() => a.elector.isLeader);
    const b = candidate('b', STEADY);
    sampler = new OverlapSampler([a, b]);
    await waitFor(() => b.leaders.includes('a'));
    // Without renewals b would take over after one lease duration; wait two.
    await sleep(2 * STEADY.leaseDurationSeconds * 1000);
    assert.equal(b.elector.isLeader, false);
    assert.equal(b.started, 0);
    assert.equal(b.elector.leader, 'a');
    assert.ok(a.elector.isLeader, 'the first kept renewing');
    assert.equal(a.stopped, 0);
    assert.equal(sampler.overlaps, 0, 'two leaders at once');
    assert.ok(sampler.samples > 100);
  });

  it('release() hands the lease over at once, long before it would expire', async () => {
    const slow = { ...STEADY, leaseDurationSeconds: 60 };
    const a = candidate('a', slow);
    await waitFor(() => a.elector.isLeader);
    const b = candidate('b', slow);
    sampler = new OverlapSampler([a, b]);
    await waitFor(() => b.leaders.includes('a'));
    await a.elector.release();
    assert.equal(a.stopped, 1);
    assert.equal(a.signal?.aborted, true);
    assert.equal(a.elector.isLeader, false);
    const released = await readLease();
    assert.equal(released.spec?.holderIdentity ?? '', '', 'release() empties the holder');
    // A few acquire periods, far below the 60 s expiry.
    await waitFor(() => b.elector.isLeader, 15_000);
    const lease = await readLease();
    assert.equal(lease.spec?.holderIdentity, 'b');
    assert.equal(lease.spec?.leaseTransitions, 1);
    assert.equal(sampler.overlaps, 0, 'two leaders at once');
  });

  it('after a crash (renewals stop without release) the other takes over once the lease expires', async () => {
    const a = candidate('a');
    await waitFor(() => a.elector.isLeader);
    const b = candidate('b');
    sampler = new OverlapSampler([a, b]);
    await waitFor(() => b.leaders.includes('a'));
    await a.elector.stop();
    const abandoned = await readLease();
    assert.equal(abandoned.spec?.holderIdentity, 'a', 'stop() leaves the lease as it was');
    assert.equal(a.elector.isLeader, false);
    await waitFor(() => b.elector.isLeader, 30_000);
    // Safety, not speed: b cannot have seen a's last renewal before it was written.
    const expiry = new Date(String(abandoned.spec?.renewTime)).getTime() + FAST.leaseDurationSeconds * 1000;
    assert.ok(b.startedAt >= expiry, `b led ${expiry - b.startedAt} ms before the lease expired`);
    const lease = await readLease();
    assert.equal(lease.spec?.holderIdentity, 'b');
    assert.equal(lease.spec?.leaseTransitions, 1);
    assert.deepEqual(b.leaders, ['a', 'b']);
    assert.equal(sampler.overlaps, 0);
  });

  it('racing creates of a missing Lease: one wins, the other gets 409 and follows', async () => {
    const barrier = new WriteBarrier(2);
    const a = candidate('a', { ...STEADY, leaseApi: barrier.wrap(cluster) });
    const b = candidate('b', { ...STEADY, leaseApi: barrier.wrap(cluster) });
    sampler = new OverlapSampler([a, b]);
    await waitFor(() => a.elector.isLeader || b.elector.isLeader);
    await sleep(2 * STEADY.retryPeriodMs);
    assert.ok(barrier.conflicts >= 1, 'the losing write was answered 409');
    await assertOneLeader([a, b]);
  });

  it('racing takeovers of an expired Lease: one wins, the other gets 409 and follows', async () => {
    await leases.createNamespacedLease({
      namespace,
      body: { metadata: { name: 'roomban-operator' }, spec: { holderIdentity: 'crashed', leaseDurationSeconds: 1 } },
    });
    const barrier = new WriteBarrier(2);
    const a = candidate('a', { ...STEADY, leaseApi: barrier.wrap(cluster) });
    const b = candidate('b', { ...STEADY, leaseApi: barrier.wrap(cluster) });
    sampler = new OverlapSampler([a, b]);
    await waitFor(() => a.elector.isLeader || b.elector.isLeader, 30_000);
    await sleep(2 * STEADY.retryPeriodMs);
    assert.ok(barrier.conflicts >= 1, 'the losing write was answered 409');
    await assertOneLeader([a, b]);
    assert.equal((await readLease()).spec?.leaseTransitions, 1);
  });

  it('a leader whose lease is overwritten by someone else stops leading', async () => {
    const a = candidate('a');
    await waitFor(() => a.elector.isLeader);
    const lease = await readLease();
    await leases.replaceNamespacedLease({
      name: 'roomban-operator',
      namespace,
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', leaseDurationSeconds: 60 } },
    });
    await a.done;
    assert.equal(a.elector.isLeader, false);
    assert.equal(a.stopped, 1);
    assert.equal(a.signal?.aborted, true);
    assert.equal((await readLease()).spec?.holderIdentity, 'intruder', 'the leader did not fight back');
  });

  it('a leader that cannot renew within renewDeadline stops leading', async () => {
    const flaky = new FlakyLeaseApi(cluster);
    const a = candidate('a', { leaseApi: flaky });
    await waitFor(() => a.elector.isLeader);
    flaky.failing = true;
    await a.done;
    assert.equal(a.elector.isLeader, false);
    assert.equal(a.stopped, 1);
    assert.equal(a.signal?.aborted, true);
  });

  it('release() before leadership, and stop() twice, are harmless', async () => {
    const holder = candidate('a', STEADY);
    await waitFor(() => holder.elector.isLeader);
    const waiting = candidate('b', STEADY);
    await waitFor(() => waiting.leaders.includes('a'));
    await waiting.elector.release();
    await waiting.done;
    assert.equal(waiting.started, 0);
    assert.equal(waiting.stopped, 0);
    assert.equal((await readLease()).spec?.holderIdentity, 'a');
    await holder.elector.stop();
    await holder.elector.stop();
  });

  it('rejects timings that break the safety argument', () => {
    const base = { kubeConfig: cluster.admin, namespace: 'x', name: 'y', identity: 'z' };
    assert.throws(() => new LeaderElector({ ...base, leaseDurationSeconds: 10, renewDeadlineMs: 10_000 }), RangeError);
    assert.throws(() => new LeaderElector({ ...base, renewDeadlineMs: 2000, retryPeriodMs: 2000 }), RangeError);
  });

  async function assertOneLeader(candidates: Candidate[]): Promise<void> {
    const leaders = candidates.filter((c) => c.elector.isLeader);
    assert.equal(leaders.length, 1, 'exactly one leader');
    assert.equal((await readLease()).spec?.holderIdentity, leaders[0]?.identity);
    for (const c of candidates) assert.equal(c.started, c === leaders[0] ? 1 : 0);
    assert.equal(sampler?.overlaps, 0, 'two leaders at once');
  }
});

/** Samples isLeader of every candidate every few ms and counts instants with two leaders. */
class OverlapSampler {
  overlaps = 0;
  samples = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(candidates: Candidate[]) {
    this.#timer = setInterval(() => {
      this.samples += 1;
      if (candidates.filter((c) => c.elector.isLeader).length > 1) this.overlaps += 1;
    }, 5);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/**
 * The real API, except that each candidate's first write waits until `parties` candidates have
 * read the Lease and reached their first write: both writes then carry what they read, so the API
 * server must reject one of them. Counts the 409s.
 */
class WriteBarrier {
  conflicts = 0;
  readonly #parties: number;
  #arrived = 0;
  #open: () => void = () => {};
  readonly #opened: Promise<void>;

  constructor(parties: number) {
    this.#parties = parties;
    this.#opened = new Promise((resolve) => (this.#open = resolve));
  }

  wrap(cluster: TestCluster): LeaseApi {
    const real = cluster.admin.makeApiClient(CoordinationV1Api);
    let first = true;
    const gate = async (): Promise<void> => {
      if (!first) return;
      first = false;
      this.#arrived += 1;
      if (this.#arrived >= this.#parties) this.#open();
      await Promise.race([this.#opened, sleep(20_000)]);
    };
    const counting = async <T>(write: Promise<T>): Promise<T> => {
      try {
        return await write;
      } catch (error) {
        if ((error as { code?: number }).code === 409) this.conflicts += 1;
        throw error;
      }
    };
    return {
      readNamespacedLease: (param, options) => real.readNamespacedLease(param, options),
      createNamespacedLease: async (param, options) => {
        await gate();
        return counting(real.createNamespacedLease(param, options));
      },
      replaceNamespacedLease: async (param, options) => {
        await gate();
        return counting(real.replaceNamespacedLease(param, options));
      },
    };
  }
}

/** The real API until `failing` is set; then every call fails like an unreachable server. */
class FlakyLeaseApi implements LeaseApi {
  failing = false;
  readonly #real: CoordinationV1Api;

  constructor(cluster: TestCluster) {
    this.#real = cluster.admin.makeApiClient(CoordinationV1Api);
  }

  readNamespacedLease(param: { name: string; namespace: string }, options?: RequestOptions): Promise<V1Lease> {
    return this.failing ? this.#fail() : this.#real.readNamespacedLease(param, options);
  }

  createNamespacedLease(param: { namespace: string; body: V1Lease }, options?: RequestOptions): Promise<V1Lease> {
    return this.failing ? this.#fail() : this.#real.createNamespacedLease(param, options);
  }

  replaceNamespacedLease(param: { name: string; namespace: string; body: V1Lease }, options?: RequestOptions): Promise<V1Lease> {
    return this.failing ? this.#fail() : this.#real.replaceNamespacedLease(param, options);
  }

  async #fail(): Promise<never> {
    await sleep(50);
    throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}
