// Leader election on a coordination.k8s.io/v1 Lease, with client-go's leaderelection semantics
// (docs/architecture.md#leader-election), so two replicas never both call vendors (docs/architecture.md#one-roomban-end-to-end).
//
// Safety rests on two clocks never being compared: a candidate judges a lease expired by its OWN
// clock — leaseDuration after it last saw the lease change (client-go's observedTime) — and a
// leader judges its leadership by its own clock too: it stops leading renewDeadline after the
// START of its last successful write. Since renewDeadline < leaseDuration and a candidate can only
// see a write after it started, the old leader has stopped before anyone may take over, however
// skewed the nodes' wall clocks are. Writes use resourceVersion, so of two racing candidates the
// API server lets exactly one win (the other gets 409 Conflict).

import { setTimeout as sleep } from 'node:timers/promises';
import {
  CoordinationV1Api,
  type KubeConfig,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
  type V1Lease,
  type V1LeaseSpec,
  Observable,
  V1MicroTime,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { jittered } from '../common/backoff.ts';
import { describeError, isConflict, isNotFound } from './kube-errors.ts';

/** The Lease calls the elector makes; CoordinationV1Api satisfies it (tests wrap it to force races). */
export interface LeaseApi {
  readNamespacedLease(param: { name: string; namespace: string }, options?: RequestOptions): Promise<V1Lease>;
  createNamespacedLease(param: { namespace: string; body: V1Lease }, options?: RequestOptions): Promise<V1Lease>;
  replaceNamespacedLease(param: { name: string; namespace: string; body: V1Lease }, options?: RequestOptions): Promise<V1Lease>;
}

export interface RequestOptions {
  middleware?: ObservableMiddleware[];
  middlewareMergeStrategy?: 'append';
}

export interface LeaderElectorOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** The Lease's name. */
  name: string;
  /** Unique per replica (e.g. pod name + random suffix). */
  identity: string;
  /** How long a candidate waits, after the lease last changed, before taking it over. Default 15. */
  leaseDurationSeconds?: number;
  /** A leader that could not renew for this long stops leading. Default 10000. */
  renewDeadlineMs?: number;
  /** The interval between acquire attempts (jittered) and renewals. Default 2000. */
  retryPeriodMs?: number;
  /** The timeout of one API request. Default renewDeadlineMs / 2. */
  requestTimeoutMs?: number;
  log?: Logger;
  /** Replaces the client built from kubeConfig (tests wrap the real one). */
  leaseApi?: LeaseApi;
  random?: () => number;
}

export interface LeaderCallbacks {
  /** Called once leadership is acquired; `signal` aborts when it is lost or released. Not awaited. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called once when leadership ends (lost, released or stopped), after `signal` aborted. */
  onStoppedLeading(): void;
  /** Called when the observed holder changes (including to this replica). */
  onNewLeader?(identity: string): void;
}

// client-go's JitterFactor for acquire retries: candidates spread out instead of racing in lockstep.
const ACQUIRE_JITTER = 1.2;

type Attempt = 'acquired' | 'held' | 'failed';

interface Observed {
  resourceVersion: string;
  holder: string;
  leaseDurationSeconds: number;
  /** performance.now() when this version was first seen. */
  at: number;
}

export class LeaderElector {
  readonly #options: Required<Omit<LeaderElectorOptions, 'log' | 'leaseApi' | 'kubeConfig'>>;
  readonly #api: LeaseApi;
  readonly #log: Logger | undefined;
  readonly #stop = new AbortController();
  #observed: Observed | undefined;
  /** The lease as this replica last wrote it: the base of the next renewal (no read needed). */
  #ours: V1Lease | undefined;
  /** performance.now() at the start of the last successful acquire or renew; undefined when not leading. */
  #leadingSince: number | undefined;
  #reportedLeader = '';
  #running: Promise<void> | undefined;
  #releaseRequested = false;

  constructor(options: LeaderElectorOptions) {
    const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#options = {
      namespace: options.namespace,
      name: options.name,
      identity: options.identity,
      leaseDurationSeconds: options.leaseDurationSeconds ?? 15,
      renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs ?? 2_000,
      requestTimeoutMs: options.requestTimeoutMs ?? renewDeadlineMs / 2,
      random: options.random ?? Math.random,
    };
    validateTimings(this.#options);
    this.#api = options.leaseApi ?? options.kubeConfig.makeApiClient(CoordinationV1Api);
    this.#log = options.log?.child({ lease: `${options.namespace}/${options.name}`, identity: options.identity });
  }

  /**
   * True while this replica holds the lease and has renewed it within renewDeadline. Computed from
   * the clock, so it turns false on time even if the renew loop is starved.
   */
  get isLeader(): boolean {
    const since = this.#leadingSince;
    return since !== undefined && performance.now() - since < this.#options.renewDeadlineMs;
  }

  /** The holder this replica last observed ("" when none). */
  get leader(): string {
    return this.#observed?.holder ?? '';
  }

  /**
   * Campaigns until leadership is acquired, then renews until it is lost, released or stopped.
   * Resolves when leadership has ended (or release()/stop() was called before it began). Like
   * controller-runtime, a caller that lost leadership should exit rather than campaign again.
   */
  run(callbacks: LeaderCallbacks): Promise<void> {
    if (this.#running) throw new Error('LeaderElector.run() was already called');
    this.#running = this.#run(callbacks);
    return this.#running;
  }

  /**
   * Stops campaigning or renewing and, if leading, gives the lease up at once (client-go
   * ReleaseOnCancel) so another replica takes over without waiting for expiry. Call it after the
   * work that needed leadership has stopped.
   */
  async release(): Promise<void> {
    this.#releaseRequested = true;
    await this.stop();
  }

  /** Stops campaigning or renewing WITHOUT giving the lease up; others take over after it expires. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  async #run(callbacks: LeaderCallbacks): Promise<void> {
    if (!(await this.#campaign(callbacks))) return;
    // stop() may have come while the winning write was in flight: hold the lease, but do no work.
    if (!this.#stop.signal.aborted) await this.#lead(callbacks);
    this.#leadingSince = undefined;
    if (this.#releaseRequested) await this.#releaseLease();
  }

  async #lead(callbacks: LeaderCallbacks): Promise<void> {
    const leadership = new AbortController();
    this.#log?.info('acquired leadership');
    this.#startLeading(callbacks, leadership.signal);
    await this.#renewUntilLost(callbacks);
    this.#leadingSince = undefined;
    leadership.abort();
    safely(() => callbacks.onStoppedLeading());
    this.#log?.info('stopped leading');
  }

  #startLeading(callbacks: LeaderCallbacks, signal: AbortSignal): void {
    try {
      const started = callbacks.onStartedLeading(signal);
      if (started instanceof Promise) started.catch((error: unknown) => this.#log?.error({ err: error }, 'onStartedLeading failed'));
    } catch (error) {
      this.#log?.error({ err: error }, 'onStartedLeading failed');
    }
  }

  async #campaign(callbacks: LeaderCallbacks): Promise<boolean> {
    const { retryPeriodMs, random } = this.#options;
    while (!this.#stop.signal.aborted) {
      const attempt = await this.#tryAcquireOrRenew(this.#options.requestTimeoutMs, callbacks);
      if (attempt === 'acquired') return true;
      await this.#pause(jittered(retryPeriodMs, ACQUIRE_JITTER, random));
    }
    return false;
  }

  async #renewUntilLost(callbacks: LeaderCallbacks): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs } = this.#options;
    while (!this.#stop.signal.aborted) {
      await this.#pause(retryPeriodMs);
      const since = this.#leadingSince ?? 0;
      const remainingMs = since + renewDeadlineMs - performance.now();
      if (this.#stop.signal.aborted) return;
      if (remainingMs <= 0) break;
      const attempt = await this.#tryAcquireOrRenew(Math.min(this.#options.requestTimeoutMs, remainingMs), callbacks);
      if (attempt === 'held') break;
      if (!this.isLeader) break;
    }
    if (!this.#stop.signal.aborted) this.#log?.warn({ holder: this.leader }, 'lost leadership');
  }

  /** client-go's tryAcquireOrRenew: one read-decide-write round. */
  async #tryAcquireOrRenew(timeoutMs: number, callbacks: LeaderCallbacks): Promise<Attempt> {
    const startedAt = performance.now();
    try {
      const current = this.#leadingSince !== undefined && this.#ours ? this.#ours : await this.#read(timeoutMs);
      if (current) this.#observe(current, callbacks);
      if (current && this.#heldByOther(startedAt)) return 'held';
      const written = current ? await this.#write(current, timeoutMs) : await this.#create(timeoutMs);
      this.#ours = written;
      this.#leadingSince = startedAt;
      this.#observe(written, callbacks);
      return 'acquired';
    } catch (error) {
      // A conflict means the lease changed since we last wrote it: re-read it next time. (After a
      // timeout our copy is kept: if the write landed after all, the next one conflicts.)
      if (isConflict(error)) this.#ours = undefined;
      this.#log?.[isConflict(error) ? 'debug' : 'warn']({ err: describeError(error) }, 'lease update failed');
      return 'failed';
    }
  }

  async #read(timeoutMs: number): Promise<V1Lease | undefined> {
    const { name, namespace } = this.#options;
    try {
      return await this.#api.readNamespacedLease({ name, namespace }, withTimeout(timeoutMs));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  #create(timeoutMs: number): Promise<V1Lease> {
    const { name, namespace } = this.#options;
    const body: V1Lease = { metadata: { name, namespace }, spec: this.#acquiredSpec(undefined) };
    return this.#api.createNamespacedLease({ namespace, body }, withTimeout(timeoutMs));
  }

  #write(current: V1Lease, timeoutMs: number): Promise<V1Lease> {
    const { name, namespace, identity } = this.#options;
    const renewing = current.spec?.holderIdentity === identity;
    const spec = renewing ? { ...current.spec, renewTime: microTimeNow() } : this.#acquiredSpec(current.spec);
    return this.#api.replaceNamespacedLease({ name, namespace, body: { ...current, spec } }, withTimeout(timeoutMs));
  }

  #acquiredSpec(previous: V1LeaseSpec | undefined): V1LeaseSpec {
    const now = microTimeNow();
    return {
      holderIdentity: this.#options.identity,
      leaseDurationSeconds: this.#options.leaseDurationSeconds,
      acquireTime: now,
      renewTime: now,
      // As client-go counts: every change of holder, including taking over a released lease.
      leaseTransitions: previous ? (previous.leaseTransitions ?? 0) + 1 : 0,
    };
  }

  #heldByOther(now: number): boolean {
    const observed = this.#observed;
    if (!observed || observed.holder === '' || observed.holder === this.#options.identity) return false;
    return now < observed.at + observed.leaseDurationSeconds * 1000;
  }

  #observe(lease: V1Lease, callbacks: LeaderCallbacks): void {
    const resourceVersion = lease.metadata?.resourceVersion ?? '';
    const holder = lease.spec?.holderIdentity ?? '';
    if (this.#observed?.resourceVersion !== resourceVersion) {
      const leaseDurationSeconds = lease.spec?.leaseDurationSeconds ?? this.#options.leaseDurationSeconds;
      this.#observed = { resourceVersion, holder, leaseDurationSeconds, at: performance.now() };
    }
    if (holder !== this.#options.identity) this.#leadingSince = undefined;
    if (holder !== '' && holder !== this.#reportedLeader) {
      this.#reportedLeader = holder;
      this.#log?.info({ holder }, 'new leader observed');
      safely(() => callbacks.onNewLeader?.(holder));
    }
  }

  /**
   * client-go release(): an empty holder with a 1 s duration, so candidates take over at once. The
   * write carries the resourceVersion of our last write, so it only lands if nobody wrote since.
   */
  async #releaseLease(): Promise<void> {
    const lease = this.#ours;
    if (!lease) return;
    const { name, namespace } = this.#options;
    const now = microTimeNow();
    const spec: V1LeaseSpec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
    try {
      await this.#api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec } }, withTimeout(this.#options.requestTimeoutMs));
      this.#log?.info('released the lease');
    } catch (error) {
      // 409: someone else changed the lease, so it is no longer ours to release.
      this.#log?.warn({ err: describeError(error) }, 'could not release the lease; others take over after it expires');
    } finally {
      this.#ours = undefined;
    }
  }

  async #pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.#stop.signal });
    } catch {
      // aborted by stop(): the loops check the signal
    }
  }
}

/**
 * metav1.MicroTime wants six fractional digits; a plain Date serializes with three and the API
 * server rejects it. client-node's V1MicroTime is a Date that serializes with six.
 */
export function microTimeNow(): V1MicroTime {
  return new V1MicroTime();
}

// A per-request AbortSignal through client-node's middleware: a hung request must not outlive the
// renew deadline, or a replica could keep believing in a write that the server never saw.
function withTimeout(ms: number): RequestOptions {
  const timeout: ObservableMiddleware = {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(Math.max(1, Math.floor(ms))));
      return new Observable(Promise.resolve(context));
    },
    post: (response: ResponseContext) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [timeout], middlewareMergeStrategy: 'append' };
}

function validateTimings(options: { leaseDurationSeconds: number; renewDeadlineMs: number; retryPeriodMs: number }): void {
  const { leaseDurationSeconds, renewDeadlineMs, retryPeriodMs } = options;
  // client-go's checks: the safety argument above needs leaseDuration > renewDeadline, and a
  // leader must get more than one renew attempt within its deadline.
  if (!(leaseDurationSeconds * 1000 > renewDeadlineMs)) throw new RangeError('leaseDurationSeconds must exceed renewDeadlineMs');
  if (!(renewDeadlineMs > ACQUIRE_JITTER * retryPeriodMs)) throw new RangeError('renewDeadlineMs must exceed 1.2 × retryPeriodMs');
  if (!(retryPeriodMs > 0)) throw new RangeError('retryPeriodMs must be positive');
}

function safely(callback: () => void): void {
  try {
    callback();
  } catch {
    // a callback's failure must not break the election loop
  }
}
