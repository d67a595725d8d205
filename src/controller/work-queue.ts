// A keyed work queue with client-go workqueue semantics (docs/architecture.md#the-work-queue):
// repeated adds of a waiting key collapse into one run; a key added while it is being processed is
// marked dirty and runs once more after the current run, so one key never has two runs at once;
// at most `concurrency` handlers run in total, plus the keys startNow lets ride along with a call
// (up to maxRiding); waiting keys are served fairly across namespaces. All scheduling lives here, not in the reconciler:
// the handler's Result (src/reconcile/result.ts) says which kind; a backoff re-adds the key after
// a per-key exponential delay, done and requeue forget the key's failures.

import { backoffDelay } from '../common/backoff.ts';
import { FairQueue } from './fair-queue.ts';
import { RETRY_BACKOFF, type Result } from '../reconcile/index.ts';

/**
 * Resolves to the key's Result. A handler that rejects breaks its contract (Reconciler.reconcile
 * does not): the queue still backs the key off, so it is not lost, and reports it to onError.
 */
export type ReconcileHandler = (key: string) => Promise<Result>;

export type ProcessOutcome = 'success' | 'retry' | 'error';

/** Turns a key's consecutive failure count (>= 1) and an optional Retry-After into a delay. */
export type BackoffFunction = (failures: number, retryAfterMs?: number) => number;

/** The timer functions the queue uses; tests inject a fake clock. */
export interface QueueTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WorkQueueOptions {
  /** Handlers running at once across all keys (controller-runtime MaxConcurrentReconciles). Default 1. */
  concurrency?: number;
  /** Keys riding along (startNow) at once, on top of `concurrency`. Default: no bound. */
  maxRiding?: number;
  /** Default: RETRY_BACKOFF (1 s doubling to 5 min, full jitter) with the Retry-After as a floor. */
  backoff?: BackoffFunction;
  /** The jitter source of the default backoff; [0, 1) like Math.random. */
  random?: () => number;
  timers?: QueueTimers;
  /** Milliseconds, for durations reported to onProcessed. */
  now?: () => number;
  onDepthChange?(depth: number): void;
  onProcessed?(key: string, durationMs: number, outcome: ProcessOutcome): void;
  /** A handler rejected (a bug: see ReconcileHandler); the key backs off. */
  onError?(key: string, error: unknown): void;
}

// Unref'd so that only the watches, servers and in-flight work keep the process alive.
const systemTimers: QueueTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface DelayedAdd {
  deadline: number;
  handle: unknown;
}

export class WorkQueue {
  readonly #concurrency: number;
  readonly #backoff: BackoffFunction;
  readonly #timers: QueueTimers;
  readonly #now: () => number;
  readonly #options: WorkQueueOptions;
  /** Keys waiting to run: FIFO within a namespace, namespaces served in turn. */
  readonly #queued = new FairQueue();
  readonly #processing = new Set<string>();
  /** Keys in #processing that startNow started: they do not count against the concurrency. */
  readonly #riding = new Set<string>();
  readonly #maxRiding: number;
  /** Keys added while processing: they run again when the current run ends. */
  readonly #dirty = new Set<string>();
  readonly #delayed = new Map<string, DelayedAdd>();
  readonly #failures = new Map<string, number>();
  #handler: ReconcileHandler | undefined;
  #shuttingDown = false;
  #drained: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(options: WorkQueueOptions = {}) {
    this.#options = options;
    this.#concurrency = positiveInteger(options.concurrency ?? 1, 'concurrency');
    this.#maxRiding = options.maxRiding === undefined ? Number.POSITIVE_INFINITY : positiveInteger(options.maxRiding, 'maxRiding');
    const random = options.random ?? Math.random;
    this.#backoff = options.backoff ?? ((failures, floorMs) => backoffDelay(RETRY_BACKOFF, { failures, random, floorMs }));
    this.#timers = options.timers ?? systemTimers;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Keys waiting to run (not in flight, not delayed). */
  get depth(): number {
    return this.#queued.size;
  }

  /** Keys being processed right now (riders included). */
  get inFlight(): number {
    return this.#processing.size;
  }

  /** Consecutive failures of the key since its last success. */
  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#queued.has(key)) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    this.#enqueue(key);
    this.#pump();
  }

  /** Adds the key after `ms`. One timer per key: a pending earlier deadline wins over a later one. */
  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    this.#addLater(key, ms);
  }

  /** Whether `key` waits to run (not in flight, not delayed). */
  isWaiting(key: string): boolean {
    return this.#queued.has(key);
  }

  /**
   * Runs these waiting keys now, out of their turn: they ride along with a vendor call that is
   * about to go (docs/architecture.md#combining-calls). They come on top of the concurrency, so the
   * workers keep serving every namespace in turn, up to maxRiding at once. Keys not waiting (in
   * flight, backing off, unknown) are left alone. Returns the keys started.
   */
  startNow(keys: Iterable<string>): string[] {
    const handler = this.#handler;
    if (!handler || this.#shuttingDown) return [];
    const started: string[] = [];
    for (const key of keys) {
      if (this.#riding.size >= this.#maxRiding) break;
      if (!this.#queued.remove(key)) continue;
      this.#processing.add(key);
      this.#riding.add(key);
      started.push(key);
    }
    if (started.length > 0) this.#notifyDepth();
    for (const key of started) void this.#process(key, handler);
    return started;
  }

  /** Whether `key` runs now because startNow started it. */
  isRiding(key: string): boolean {
    return this.#riding.has(key);
  }

  start(handler: ReconcileHandler): void {
    if (this.#handler) throw new Error('WorkQueue already started');
    this.#handler = handler;
    this.#pump();
  }

  /**
   * Stops starting work: waiting and delayed keys are dropped, and runs that end from now on are not
   * retried or requeued. Resolves when every in-flight handler has finished.
   */
  shutdown(): Promise<void> {
    if (!this.#shuttingDown) {
      this.#shuttingDown = true;
      for (const { handle } of this.#delayed.values()) this.#timers.clearTimeout(handle);
      this.#delayed.clear();
      this.#dirty.clear();
      this.#queued.clear();
      this.#notifyDepth();
      let resolve = (): void => {};
      const promise = new Promise<void>((r) => (resolve = r));
      this.#drained = { promise, resolve };
      this.#resolveIfDrained();
    }
    return this.#drained?.promise ?? Promise.resolve();
  }

  // Always through a timer, even for 0 ms: a handler that fails without doing I/O and retries at
  // once would otherwise re-run in a microtask loop that starves the event loop.
  #addLater(key: string, ms: number): void {
    const deadline = this.#now() + ms;
    const pending = this.#delayed.get(key);
    if (pending && pending.deadline <= deadline) return;
    if (pending) this.#timers.clearTimeout(pending.handle);
    const handle = this.#timers.setTimeout(() => this.#fire(key, handle), ms);
    this.#delayed.set(key, { deadline, handle });
  }

  #fire(key: string, handle: unknown): void {
    // A timer replaced by an earlier one may still fire if clearTimeout raced it; ignore it.
    if (this.#delayed.get(key)?.handle !== handle) return;
    this.#delayed.delete(key);
    this.add(key);
  }

  #enqueue(key: string): void {
    this.#queued.add(key);
    this.#notifyDepth();
  }

  #pump(): void {
    const handler = this.#handler;
    if (!handler) return;
    while (!this.#shuttingDown && this.#processing.size - this.#riding.size < this.#concurrency) {
      const key = this.#dequeue();
      if (key === undefined) return;
      this.#processing.add(key);
      void this.#process(key, handler);
    }
  }

  #dequeue(): string | undefined {
    const key = this.#queued.shift();
    if (key === undefined) return undefined;
    this.#notifyDepth();
    return key;
  }

  async #process(key: string, handler: ReconcileHandler): Promise<void> {
    const started = this.#now();
    let outcome: ProcessOutcome;
    try {
      outcome = this.#settle(key, await handler(key));
    } catch (error) {
      safely(() => this.#options.onError?.(key, error));
      this.#scheduleRetry(key, undefined);
      outcome = 'error';
    }
    // Measured before #finish, which may start the next handler.
    const durationMs = this.#now() - started;
    this.#finish(key);
    safely(() => this.#options.onProcessed?.(key, durationMs, outcome));
  }

  #settle(key: string, result: Result): ProcessOutcome {
    if (result.kind === 'backoff') {
      this.#scheduleRetry(key, result.retryAfterMs);
      return 'retry';
    }
    this.#failures.delete(key);
    if (result.kind === 'requeue' && !this.#shuttingDown) this.#addLater(key, Math.max(0, result.afterMs));
    return 'success';
  }

  #scheduleRetry(key: string, retryAfterMs: number | undefined): void {
    const failures = this.failures(key) + 1;
    this.#failures.set(key, failures);
    if (this.#shuttingDown) return;
    this.#addLater(key, Math.max(0, this.#backoff(failures, retryAfterMs)));
  }

  #finish(key: string): void {
    this.#processing.delete(key);
    this.#riding.delete(key);
    if (this.#dirty.delete(key)) this.#enqueue(key);
    this.#pump();
    this.#resolveIfDrained();
  }

  #resolveIfDrained(): void {
    if (this.#shuttingDown && this.#processing.size === 0) this.#drained?.resolve();
  }

  #notifyDepth(): void {
    safely(() => this.#options.onDepthChange?.(this.#queued.size));
  }
}

// A metrics or logging hook that throws must not wedge a key in #processing forever.
function safely(hook: () => void): void {
  try {
    hook();
  } catch {
    // deliberately ignored: hooks are observers
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
