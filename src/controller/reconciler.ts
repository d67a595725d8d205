// The RoomBan reconciler: one function from a key to a Result (controller-runtime's contract,
// src/reconcile/result.ts). It reads the ban, resolves its provider, lets the pure core plan the
// calls, makes them one batch at a time and writes status after each, so results are durable as
// they happen; the core's nextStep then says what the work queue should do (docs/reconcile.md).

import type { Logger } from 'pino';
import type { UserResult } from '../api/results.ts';
import type { RoomBan, RoomBanStatus, UserStatus } from '../api/types.ts';
import {
  blockedStatus,
  type BanEvent,
  type Block,
  describeFieldErrors,
  findCondition,
  isPaused,
  nextStep,
  planRemovals,
  prepareStatus,
  RECONCILING,
  type Reconciler,
  recordResults,
  type Result,
  statusChanged,
  transitionEvents,
  validateSpecForVendor,
  type WorkPace,
} from '../reconcile/index.ts';
import type { VendorClient } from '../vendors/index.ts';
import type { ResolvedBan } from './ban-store.ts';
import type { KubeApi } from './kube-api.ts';
import { describeError, isConflict } from './kube-errors.ts';
import { type ProviderLookup, type ProviderResolution, resolveProvider } from './providers.ts';

export interface ReconcilerDeps {
  api: KubeApi;
  bans: ResolvedBan;
  providers: ProviderLookup;
  clientFor(resolution: Extract<ProviderResolution, { kind: 'ok' }>): VendorClient;
  log: Logger;
  now(): Date;
  /** True once shutdown began: finish the call in flight, record it, take no new batch. */
  stopping(): boolean;
  /** True while other RoomBans wait for a worker: a ban with more calls to make then yields. */
  othersWaiting(): boolean;
  instance: string;
  onStatusWrite?(result: 'ok' | 'conflict' | 'error'): void;
  onUsersDone?(vendor: string, state: 'Removed' | 'AlreadyAbsent', count: number): void;
}

const MAX_CONFLICT_RETRIES = 5;
/** How long a first vendor answer may take before the ban is shown as Reconciling meanwhile. */
const ANNOUNCE_AFTER_MS = 1000;

export class RoomBanReconciler implements Reconciler {
  readonly #deps: ReconcilerDeps;

  constructor(deps: ReconcilerDeps) {
    this.#deps = deps;
  }

  /** Never rejects: an error thrown inside (an API call failed) is logged with the key and backs off. */
  async reconcile(key: string): Promise<Result> {
    try {
      return await this.#reconcile(key);
    } catch (error) {
      this.#deps.log.error({ roomban: key, err: describeError(error) }, 'reconcile failed; retrying with backoff');
      return { kind: 'backoff' };
    }
  }

  async #reconcile(key: string): Promise<Result> {
    const ban = this.#deps.bans.get(key);
    if (!ban || ban.metadata.deletionTimestamp) return { kind: 'done' };
    const resolution = await resolveProvider(ban, this.#deps.providers);
    const generation = ban.metadata.generation ?? 0;
    if (resolution.kind !== 'ok') {
      await this.#writeBlocked(ban, { reason: resolution.reason, generation, message: resolution.message });
      return nextStep({ blocked: resolution.reason, poll: resolution.kind === 'waiting' && resolution.poll === true });
    }
    if (isPaused(ban)) {
      await this.#writeBlocked(ban, { reason: 'Paused', generation, target: resolution.target });
      return nextStep({ blocked: 'Paused' });
    }
    const invalid = validateSpecForVendor(ban.spec, resolution.vendor);
    if (invalid.length > 0) {
      await this.#writeBlocked(ban, { reason: 'InvalidSpec', generation, message: describeFieldErrors(invalid), target: resolution.target });
      return nextStep({ blocked: 'InvalidSpec' });
    }
    return this.#removeUsers(ban, resolution);
  }

  async #removeUsers(ban: RoomBan, resolution: Extract<ProviderResolution, { kind: 'ok' }>): Promise<Result> {
    const generation = ban.metadata.generation ?? 0;
    const { target, inputsVersion } = resolution;
    // Every write starts from the status as prepared for the spec these calls were planned from:
    // after a conflict the fresh object may carry a newer spec, and its reconcile re-prepares.
    const prepared = (fresh: RoomBan, pace?: WorkPace) =>
      prepareStatus({ ...fresh, spec: ban.spec }, { generation, target, inputsVersion, pace }, this.#deps.now());
    const client = this.#deps.clientFor(resolution);
    let ledger: readonly UserStatus[] = prepared(ban).users ?? [];
    let current = ban;
    const all: UserResult[] = [];
    for (let calls = 0; ; calls++) {
      const [userIds] = planRemovals(ledger, client.maxUsersPerCall);
      if (userIds === undefined) {
        if (calls === 0) await this.#write(ban, prepared);
        break;
      }
      // Between calls a ban gives way: at shutdown, and when other bans wait for a worker (the
      // queue then serves namespaces in turn, so one tenant's long ban cannot hold every worker).
      if (this.#deps.stopping() || (calls > 0 && this.#deps.othersWaiting())) break;
      const call = client.removeUsers({ roomId: ban.spec.roomId, roomIdType: ban.spec.roomIdType ?? 'String', userIds, reason: ban.spec.reason });
      // The first answer usually comes quickly and its write says everything. One that keeps a ban
      // not yet shown as Reconciling waiting (a busy rate limit, a slow vendor) first shows it, so
      // people see it is queued; a ban already Reconciling (it yielded) is not written twice a call.
      if (calls === 0 && !shownReconciling(ban, generation) && !(await answersWithin(call, ANNOUNCE_AFTER_MS))) {
        const pace = client.waitingForRateLimit() ? 'WaitingForRateLimit' : undefined;
        current = await this.#announce(ban, (fresh) => prepared(fresh, pace));
      }
      const results = await call;
      all.push(...results);
      this.#logResults(ban, resolution.vendor, results);
      current = await this.#write(current, (fresh) => recordResults(prepared(fresh), results, this.#deps.now(), generation));
      ledger = current.status?.users ?? ledger;
      // A retryable answer backs the ban off now; more calls would meet the same trouble.
      if (results.some((result) => result.outcome === 'Retryable')) break;
    }
    return nextStep({ users: ledger, results: all });
  }

  /** Best effort: a failed announcement must not lose the answer of the call in flight. */
  async #announce(ban: RoomBan, prepared: (fresh: RoomBan) => RoomBanStatus): Promise<RoomBan> {
    try {
      return await this.#write(ban, prepared);
    } catch (error) {
      this.#deps.log.warn({ roomban: keyOf(ban), err: describeError(error) }, 'could not write the Reconciling status');
      return ban;
    }
  }

  async #writeBlocked(ban: RoomBan, block: Block): Promise<void> {
    await this.#write(ban, (fresh) => blockedStatus(fresh, block, this.#deps.now()));
  }

  /**
   * Writes `next(fresh)` through the status subresource when it differs from the recorded status;
   * on 409 re-reads the ban and recomputes, so a concurrent change never loses a recorded result.
   */
  async #write(ban: RoomBan, next: (fresh: RoomBan) => RoomBanStatus): Promise<RoomBan> {
    let fresh = ban;
    for (let attempt = 0; ; attempt++) {
      const status = next(fresh);
      if (!statusChanged(fresh.status, status)) return fresh;
      try {
        const written = await this.#deps.api.replaceStatus(fresh, status);
        this.#deps.onStatusWrite?.('ok');
        this.#deps.bans.wrote(written);
        await this.#emit(written, transitionEvents(fresh.status, status));
        return written;
      } catch (error) {
        if (!isConflict(error) || attempt >= MAX_CONFLICT_RETRIES) {
          this.#deps.onStatusWrite?.('error');
          throw error;
        }
        this.#deps.onStatusWrite?.('conflict');
        const reread = await this.#deps.api.getRoomBan(ban.metadata.namespace ?? '', ban.metadata.name);
        if (!reread) return ban;
        fresh = reread;
      }
    }
  }

  async #emit(ban: RoomBan, events: BanEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.#deps.api.createEvent(ban, event, this.#deps.instance);
      } catch (error) {
        // Events are best-effort: status is the record.
        this.#deps.log.warn({ roomban: keyOf(ban), err: describeError(error) }, 'could not create event');
      }
    }
  }

  #logResults(ban: RoomBan, vendor: string, results: UserResult[]): void {
    for (const r of results) {
      this.#deps.log.info({ roomban: keyOf(ban), vendor, requestId: r.requestId, userId: r.userId, outcome: r.outcome, code: r.code }, 'vendor answered');
    }
    for (const state of ['Removed', 'AlreadyAbsent'] as const) {
      const count = results.filter((r) => r.outcome === state).length;
      if (count > 0) this.#deps.onUsersDone?.(vendor, state, count);
    }
  }
}

/** Whether the recorded status already says Reconciling for this generation. */
function shownReconciling(ban: RoomBan, generation: number): boolean {
  const reconciling = findCondition(ban.status?.conditions, RECONCILING);
  return reconciling?.status === 'True' && reconciling.observedGeneration === generation;
}

/** Whether `call` settles within `ms`. */
function answersWithin(call: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const answered = () => {
      clearTimeout(timer);
      resolve(true);
    };
    call.then(answered, answered);
  });
}

function keyOf(ban: RoomBan): string {
  return `${ban.metadata.namespace}/${ban.metadata.name}`;
}
