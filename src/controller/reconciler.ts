// The RoomBan reconciler: one function from a key to a Result (controller-runtime's contract,
// src/reconcile/result.ts). It reads the ban, resolves its provider, lets the pure core plan the
// calls, makes them one batch at a time and writes status after each, so results are durable as
// they happen; the core's nextStep then says what the work queue should do (docs/reconcile.md).

import type { Logger } from 'pino';
import type { UserResult } from '../api/results.ts';
import { type RoomBan, type RoomBanStatus, UNBAN_FINALIZER, type UserStatus, type VendorName } from '../api/types.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
import { jittered } from '../common/backoff.ts';
import { MAX_EVENT_MESSAGE_BYTES } from '../api/bounds.ts';
import { countOf, listWithMore, truncateUtf8 } from '../common/text.ts';
import {
  applyRestoreResult,
  banInForce,
  driftedBans,
  nextExpiryMs,
  planBanCall,
  type PlannedCall,
  recordCall,
  toKubeTime,
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
  type Result,
  statusChanged,
  transitionEvents,
  validateSpecForVendor,
  type WorkPace,
} from '../reconcile/index.ts';
import type { BanObservation, VendorClient } from '../vendors/index.ts';
import type { BanHolds } from './ban-holds.ts';
import type { CallCombiner } from './call-combiner.ts';
import { combineKey, ridersFor } from './room-calls.ts';
import { statusPatch } from './status-patch.ts';
import type { ResolvedBan } from './ban-store.ts';
import type { EventRecorder } from './event-recorder.ts';
import type { KubeApi } from './kube-api.ts';
import { describeError, isConflict, isNotFound } from './kube-errors.ts';
import { type ProviderLookup, type ProviderResolution, resolveProvider } from './providers.ts';

export interface ReconcilerDeps {
  api: KubeApi;
  /** Where Events go: sent behind the reconcile, never awaited. */
  events: Pick<EventRecorder, 'record'>;
  bans: ResolvedBan;
  providers: ProviderLookup;
  clientFor(resolution: Extract<ProviderResolution, { kind: 'ok' }>): VendorClient;
  log: Logger;
  now(): Date;
  /** True once shutdown began: finish the call in flight, record it, take no new batch. */
  stopping(): boolean;
  /** True while other RoomBans wait for a worker: a ban with more calls to make then yields. */
  othersWaiting(): boolean;
  /** Other RoomBans' holds on the same account and room (overlap). */
  holds: Pick<BanHolds, 'heldByOthers'>;
  /** --ban-verify-interval in ms (0: no drift checks). Each RoomBan's check is jittered around it. */
  banVerifyIntervalMs: number;
  /** [0, 1), for the drift checks' jitter. */
  random(): number;
  /** Batching across RoomBans; undefined: every RoomBan calls alone. */
  combiner?: CallCombiner;
  /**
   * Riding along (room-calls.ts): the work queue's waiting RoomBans of a room, started out of turn
   * to join a kick that is about to go with room left. Undefined: no riders.
   */
  riders?: {
    /** Keys of the RoomBans naming this room ID (RoomIndex). */
    sameRoom(roomId: string): Iterable<string>;
    isWaiting(key: string): boolean;
    /** Starts these waiting keys now (WorkQueue.startNow); returns the keys started. */
    startNow(keys: readonly string[]): string[];
    /** Whether this key was started to ride along: riders start no riders themselves. */
    isRiding(key: string): boolean;
  };
  onRiders?(count: number): void;
  onStatusWrite?(result: 'ok' | 'conflict' | 'error'): void;
  /** The request body of each status write: a JSON Patch of what changed, or a PUT of the whole object. */
  onStatusBytes?(how: 'patch' | 'put', bytes: number): void;
  onUsersDone?(vendor: string, state: 'Removed' | 'AlreadyAbsent' | 'Banned', count: number): void;
  onBansLifted?(vendor: string, how: 'lifted' | 'handedOver', count: number): void;
  onBansRestored?(vendor: string, count: number): void;
}

const MAX_CONFLICT_RETRIES = 5;
/** How long a first vendor answer may take before the ban is shown as Reconciling meanwhile. */
const ANNOUNCE_AFTER_MS = 1000;

export class RoomBanReconciler implements Reconciler {
  readonly #deps: ReconcilerDeps;
  /** When each ban RoomBan's next drift check is due (ms since the epoch); in memory only. */
  readonly #verifyAt = new Map<string, number>();

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
    if (!ban) {
      this.#verifyAt.delete(key);
      return { kind: 'done' };
    }
    if (ban.metadata.deletionTimestamp) return this.#finalize(ban);
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
    return this.#work(ban, resolution, false);
  }

  /**
   * A RoomBan being deleted: with deletionPolicy Unban and our finalizer, lift every ban in force
   * (the same loop, with no users left in spec), then let it go. Orphan lets it go with no call. When
   * the provider cannot be used, it stays Terminating, Stalled, saying why and how to let it go.
   */
  async #finalize(ban: RoomBan): Promise<Result> {
    this.#verifyAt.delete(keyOf(ban));
    if (!(ban.metadata.finalizers ?? []).includes(UNBAN_FINALIZER)) return { kind: 'done' };
    if (ban.spec.deletionPolicy === 'Orphan') {
      this.#deps.log.info({ roomban: keyOf(ban) }, 'deletionPolicy Orphan: leaving the bans to expire at the vendor');
      await this.#setFinalizer(ban, false);
      return { kind: 'done' };
    }
    const generation = ban.metadata.generation ?? 0;
    const resolution = await resolveProvider(ban, this.#deps.providers);
    if (resolution.kind !== 'ok') {
      await this.#writeBlocked(ban, { reason: resolution.reason, generation, message: resolution.message, deleting: true });
      return nextStep({ blocked: resolution.reason, poll: resolution.kind === 'waiting' && resolution.poll === true });
    }
    if (isPaused(ban)) {
      await this.#writeBlocked(ban, { reason: 'Paused', generation, target: resolution.target, deleting: true });
      return nextStep({ blocked: 'Paused' });
    }
    return this.#work(ban, resolution, true);
  }

  async #work(ban: RoomBan, resolution: Extract<ProviderResolution, { kind: 'ok' }>, deleting: boolean): Promise<Result> {
    const generation = ban.metadata.generation ?? 0;
    const { target, inputsVersion } = resolution;
    // Every write starts from the status as prepared for the spec these calls were planned from:
    // after a conflict the fresh object may carry a newer spec, and its reconcile re-prepares.
    const prepared = (fresh: RoomBan, pace?: WorkPace) =>
      prepareStatus({ ...fresh, spec: ban.spec }, { generation, target, inputsVersion, pace, deleting }, this.#deps.now());
    const client = this.#deps.clientFor(resolution);
    let ledger: readonly UserStatus[] = prepared(ban).users ?? [];
    let current = ban;
    const all: UserResult[] = [];
    for (let calls = 0; ; calls++) {
      const call = this.#plan(ban, target.account, target.banSeconds, deleting, ledger, client);
      if (call === undefined) {
        if (calls === 0) current = await this.#write(current, prepared);
        break;
      }
      // Between calls a ban gives way: at shutdown, and when other bans wait for a worker (the
      // queue then serves namespaces in turn, so one tenant's long ban cannot hold every worker).
      if (this.#deps.stopping() || (calls > 0 && this.#deps.othersWaiting())) break;
      // The finalizer comes before the first ban is made, so no ban can outlive a deleted RoomBan.
      if (call.kind !== 'lift' && call.kind !== 'kick' && !deleting && ban.spec.deletionPolicy !== 'Orphan') {
        current = await this.#setFinalizer(current, true);
      }
      const answer = this.#send(client, call, ban, resolution);
      // The first answer usually comes quickly and its write says everything. One that keeps a ban
      // not yet shown as Reconciling waiting (a busy rate limit, a slow vendor) first shows it, so
      // people see it is queued; a ban already Reconciling (it yielded) is not written twice a call.
      if (calls === 0 && !shownReconciling(ban, generation) && !(await answersWithin(answer, ANNOUNCE_AFTER_MS))) {
        const pace = client.waitingForRateLimit() ? 'WaitingForRateLimit' : undefined;
        current = await this.#announce(current, (fresh) => prepared(fresh, pace));
      }
      const results = await answer;
      all.push(...results);
      this.#logResults(ban, resolution.vendor, call, results);
      const context = { now: this.#deps.now(), generation, specUsers: ban.spec.users, deleting };
      const before = current;
      current = await this.#write(current, (fresh) => recordCall(prepared(fresh), call, results, context));
      if (call.kind === 'lift' || call.kind === 'handOver') this.#emitLifted(before, call, results, resolution.vendor);
      ledger = current.status?.users ?? ledger;
      // A retryable answer backs the ban off now; more calls would meet the same trouble.
      if (results.some((result) => result.outcome === 'Retryable')) break;
    }
    if (!deleting && target.banSeconds !== undefined && !ledger.some((user) => user.state === 'Pending' || user.state === 'Lifting')) {
      ({ current, ledger } = await this.#verify(current, client, resolution.vendor, ledger, (fresh) => prepared(fresh)));
    }
    await this.#settleFinalizer(current, ledger, deleting);
    return nextStep({ users: ledger, results: all, wakeAfterMs: this.#wakeAfter(ban, ledger, deleting) });
  }

  /** The next call the core plans: a kick batch, or a ban's ban, hand-over or lift. */
  #plan(ban: RoomBan, account: string, banSeconds: number | undefined, deleting: boolean, ledger: readonly UserStatus[], client: VendorClient): PlannedCall | undefined {
    if (banSeconds === undefined && !deleting) {
      const [userIds] = planRemovals(ledger, client.maxUsersPerCall);
      if (userIds !== undefined) return { kind: 'kick', userIds };
    }
    const rules = VENDOR_RULES[client.vendor].ban;
    if (client.bans === undefined || rules === undefined) return undefined;
    // A kick with nothing to lift (the common case) needs no look at other RoomBans' holds.
    const banWork = ledger.some((user) => user.state === 'Lifting' || (user.state === 'Pending' && banSeconds !== undefined && !deleting));
    if (!banWork) return undefined;
    const nowMs = this.#deps.now().getTime();
    const heldByOthersMs = this.#deps.holds.heldByOthers(ban, account, ledger.map((user) => user.userId), nowMs);
    return planBanCall(ledger, {
      ownSeconds: deleting ? undefined : banSeconds,
      usersPerBan: client.bans.usersPerBan,
      usersPerLift: client.bans.usersPerLift,
      heldByOthersMs,
      minSeconds: rules.minSeconds,
      maxSeconds: rules.maxSeconds,
    });
  }

  /**
   * Makes the planned call, through the combiner when there is one: then RoomBans of the same
   * namespace, provider and room share calls (docs/architecture.md#combining-calls).
   */
  #send(client: VendorClient, call: PlannedCall, ban: RoomBan, resolution: Extract<ProviderResolution, { kind: 'ok' }>): Promise<UserResult[]> {
    const combiner = this.#deps.combiner;
    const kind = call.kind === 'kick' ? 'kick' : call.kind === 'lift' ? 'lift' : 'ban';
    const maxUsers = kind === 'kick' ? client.maxUsersPerCall : kind === 'lift' ? client.bans?.usersPerLift ?? 1 : client.bans?.usersPerBan ?? 1;
    if (combiner === undefined || maxUsers <= 1) return this.#sendAlone(client, call, ban);
    const roomIdType = ban.spec.roomIdType ?? 'String';
    const seconds = 'seconds' in call ? call.seconds : undefined;
    const rides = kind === 'kick' && this.#deps.riders !== undefined && !this.#deps.riders.isRiding(keyOf(ban));
    return combiner.submit(
      {
        key: combineKey(ban, client.vendor, resolution.inputsVersion, kind, seconds),
        maxUsers,
        waitMs: () => client.estimatedWaitMs(kind, roomIdType),
        send: (userIds) => this.#sendAlone(client, { ...call, userIds: [...userIds] }, ban),
        ...(rides ? { fill: (spaceLeft: number) => this.#startRiders(ban, client.vendor, spaceLeft) } : {}),
      },
      call.userIds,
    );
  }

  /** Starts the waiting RoomBans that can fill `ban`'s kick; whether any started. */
  #startRiders(ban: RoomBan, vendor: VendorName, spaceLeft: number): boolean {
    const riders = this.#deps.riders;
    if (riders === undefined) return false;
    const keys = ridersFor(ban, vendor, spaceLeft, riders.sameRoom(ban.spec.roomId), (key) => this.#deps.bans.get(key), riders.isWaiting);
    if (keys.length === 0) return false;
    const started = riders.startNow(keys).length;
    if (started > 0) this.#deps.onRiders?.(started);
    return started > 0;
  }

  #sendAlone(client: VendorClient, call: PlannedCall, ban: RoomBan): Promise<UserResult[]> {
    const { roomId } = ban.spec;
    if (call.kind === 'kick') {
      return client.removeUsers({ roomId, roomIdType: ban.spec.roomIdType ?? 'String', userIds: call.userIds, reason: ban.spec.reason });
    }
    const bans = client.bans;
    if (bans === undefined) throw new Error(`${client.vendor} has no ban API`);
    if (call.kind === 'lift') return bans.liftBans({ roomId, userIds: call.userIds });
    return bans.banUsers({ roomId, userIds: call.userIds, durationSeconds: call.seconds, reason: ban.spec.reason });
  }

  /**
   * Drift repair (docs/reconcile.md#drift): when this RoomBan's check is due, observe its bans in
   * force and restore, for the time left, every ban the vendor no longer holds. Observation calls
   * use their own action's bucket, so they never delay a ban or a lift.
   */
  async #verify(
    ban: RoomBan,
    client: VendorClient,
    vendor: string,
    ledger: readonly UserStatus[],
    prepared: (fresh: RoomBan) => RoomBanStatus,
  ): Promise<{ current: RoomBan; ledger: readonly UserStatus[] }> {
    const interval = this.#deps.banVerifyIntervalMs;
    const bans = client.bans;
    const rules = VENDOR_RULES[client.vendor].ban;
    const key = keyOf(ban);
    const nowMs = this.#deps.now().getTime();
    const banned = ledger.filter((user) => user.state === 'Banned' && banInForce(user, nowMs));
    if (interval <= 0 || bans === undefined || rules === undefined || banned.length === 0) {
      this.#verifyAt.delete(key);
      return { current: ban, ledger };
    }
    const due = this.#verifyAt.get(key);
    if (due === undefined) {
      // The first check of a RoomBan (or after a restart) lands anywhere in one interval: spread out.
      this.#verifyAt.set(key, nowMs + interval * (0.5 + this.#deps.random() / 2));
      return { current: ban, ledger };
    }
    if (nowMs < due) return { current: ban, ledger };
    this.#verifyAt.set(key, nowMs + jittered(interval * 0.9, 0.2, this.#deps.random));
    const observed: BanObservation[] = [];
    for (let start = 0; start < banned.length; start += bans.usersPerObserve) {
      const userIds = banned.slice(start, start + bans.usersPerObserve).map((user) => user.userId);
      observed.push(...(await bans.observeBans({ roomId: ban.spec.roomId, userIds })));
    }
    const unknown = observed.filter((observation) => observation.state === 'unknown');
    if (unknown.length > 0) {
      this.#deps.log.warn({ roomban: key, vendor, users: unknown.length, code: unknown[0]?.code, message: unknown[0]?.message }, 'could not observe bans; checking again at the next interval');
    }
    let current = ban;
    let users = ledger;
    const drifted = driftedBans(users, observed, this.#deps.now().getTime(), rules.minSeconds);
    // One restore call per distinct time left (usually one), in batches of the vendor's ban size.
    for (const group of groupBy(drifted, (entry) => entry.seconds)) {
      for (let start = 0; start < group.length; start += bans.usersPerBan) {
        if (this.#deps.stopping()) return { current, ledger: users };
        const batch = group.slice(start, start + bans.usersPerBan);
        const seconds = batch[0]?.seconds ?? rules.minSeconds;
        const results = await bans.banUsers({ roomId: ban.spec.roomId, userIds: batch.map((entry) => entry.userId), durationSeconds: seconds, reason: ban.spec.reason });
        const attemptTime = toKubeTime(this.#deps.now());
        const byUser = new Map(results.map((result) => [result.userId, result] as const));
        current = await this.#write(current, (fresh) => {
          const status = prepared(fresh);
          return { ...status, users: (status.users ?? []).map((user) => { const result = byUser.get(user.userId); return result === undefined ? user : applyRestoreResult(user, result, attemptTime); }) };
        });
        users = current.status?.users ?? users;
        const restored = results.filter((result) => result.outcome === 'Removed');
        this.#logRestores(current, vendor, seconds, results);
        if (restored.length > 0) this.#deps.onBansRestored?.(vendor, restored.length);
        this.#emit(current, [restoredEvent(ban, restored, seconds)].filter((event) => event !== undefined));
      }
    }
    return { current, ledger: users };
  }

  /**
   * The finalizer is there only while a ban is in force (or one is being lifted): it goes once
   * every ban expired or was lifted, and, on deletion, once nothing is left to lift.
   */
  async #settleFinalizer(ban: RoomBan, ledger: readonly UserStatus[], deleting: boolean): Promise<void> {
    if (!(ban.metadata.finalizers ?? []).includes(UNBAN_FINALIZER)) return;
    const nowMs = this.#deps.now().getTime();
    const needed = ledger.some((user) => user.state === 'Lifting' || (user.state !== 'Pending' && banInForce(user, nowMs)));
    const banWork = !deleting && ban.spec.duration !== undefined && ledger.some((user) => user.state === 'Pending');
    if (needed || banWork) return;
    await this.#setFinalizer(ban, false);
  }

  /** When the next timed step is: a ban in force ends, or this RoomBan's drift check is due. */
  #wakeAfter(ban: RoomBan, ledger: readonly UserStatus[], deleting: boolean): number | undefined {
    const nowMs = this.#deps.now().getTime();
    const expiry = nextExpiryMs(ledger, nowMs);
    const due = deleting ? undefined : this.#verifyAt.get(keyOf(ban));
    const verify = due === undefined ? undefined : Math.max(0, due - nowMs);
    const steps = [expiry, verify].filter((ms): ms is number => ms !== undefined);
    return steps.length === 0 ? undefined : Math.min(...steps);
  }

  /** Adds or removes UNBAN_FINALIZER; on 409 re-reads and tries again. Returns the object as written. */
  async #setFinalizer(ban: RoomBan, present: boolean): Promise<RoomBan> {
    let fresh = ban;
    for (let attempt = 0; ; attempt++) {
      const finalizers = fresh.metadata.finalizers ?? [];
      if (finalizers.includes(UNBAN_FINALIZER) === present) return fresh;
      // No finalizer may be added to an object being deleted (the API server refuses it).
      if (present && fresh.metadata.deletionTimestamp !== undefined) return fresh;
      const next = present ? [...finalizers, UNBAN_FINALIZER] : finalizers.filter((name) => name !== UNBAN_FINALIZER);
      try {
        const written = await this.#deps.api.setFinalizers(fresh, next);
        if (written.metadata.deletionTimestamp === undefined || next.length > 0) this.#deps.bans.wrote(written);
        this.#deps.log.info({ roomban: keyOf(ban), finalizer: UNBAN_FINALIZER, present }, present ? 'added finalizer' : 'removed finalizer');
        return written;
      } catch (error) {
        if (isNotFound(error)) return fresh;
        if (!isConflict(error) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        const reread = await this.#deps.api.getRoomBan(ban.metadata.namespace ?? '', ban.metadata.name);
        if (!reread) return fresh;
        fresh = reread;
      }
    }
  }

  #emitLifted(ban: RoomBan, call: Extract<PlannedCall, { kind: 'lift' | 'handOver' }>, results: readonly UserResult[], vendor: string): void {
    const lifted = results.filter((result) => result.outcome === 'Removed' || result.outcome === 'AlreadyAbsent');
    if (lifted.length === 0) return;
    const how = call.kind === 'lift' ? 'lifted' : 'handedOver';
    this.#deps.onBansLifted?.(vendor, how, lifted.length);
    this.#emit(ban, [liftedEvent(ban, call, lifted)]);
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
        // Only what changed, when the users line up (one call's answers); else the whole status.
        const patch = statusPatch(fresh.status, status, fresh.metadata.resourceVersion);
        const written = patch === undefined ? await this.#deps.api.replaceStatus(fresh, status) : await this.#deps.api.patchStatus(fresh, patch);
        this.#deps.onStatusBytes?.(patch === undefined ? 'put' : 'patch', Buffer.byteLength(JSON.stringify(patch ?? { ...fresh, status })));
        this.#deps.onStatusWrite?.('ok');
        this.#deps.bans.wrote(written);
        this.#emit(written, transitionEvents(fresh.status, status));
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

  /** Events go behind the reconcile (EventRecorder): best-effort, the status is the record. */
  #emit(ban: RoomBan, events: readonly BanEvent[]): void {
    if (events.length > 0) this.#deps.events.record(ban, events);
  }

  #logResults(ban: RoomBan, vendor: string, call: PlannedCall, results: UserResult[]): void {
    for (const r of results) {
      this.#deps.log.info({ roomban: keyOf(ban), vendor, call: call.kind, requestId: r.requestId, userId: r.userId, outcome: r.outcome, code: r.code }, 'vendor answered');
    }
    if (call.kind === 'kick') {
      for (const state of ['Removed', 'AlreadyAbsent'] as const) {
        const count = results.filter((r) => r.outcome === state).length;
        if (count > 0) this.#deps.onUsersDone?.(vendor, state, count);
      }
    } else if (call.kind === 'ban') {
      const count = results.filter((r) => r.outcome === 'Removed').length;
      if (count > 0) this.#deps.onUsersDone?.(vendor, 'Banned', count);
    }
  }

  #logRestores(ban: RoomBan, vendor: string, seconds: number, results: readonly UserResult[]): void {
    for (const r of results) {
      this.#deps.log.info({ roomban: keyOf(ban), vendor, call: 'restore', seconds, requestId: r.requestId, userId: r.userId, outcome: r.outcome, code: r.code }, 'ban found lifted out of band; restoring');
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

/** "Lifted the bans of 2 users in room abcd: a, b (RequestId r1)", or the hand-over to another RoomBan. */
function liftedEvent(ban: RoomBan, call: Extract<PlannedCall, { kind: 'lift' | 'handOver' }>, lifted: readonly UserResult[]): BanEvent {
  const users = listWithMore(lifted.map((result) => result.userId), 10);
  const ids = [...new Set(lifted.map((result) => result.requestId).filter((id) => id !== ''))];
  const requestIds = ids.length === 0 ? '' : ` (RequestId ${listWithMore(ids, 5)})`;
  const message =
    call.kind === 'lift'
      ? `Lifted the bans of ${countOf(lifted.length, 'user')} in room ${ban.spec.roomId}: ${users}${requestIds}`
      : `Handed ${countOf(lifted.length, 'ban')} in room ${ban.spec.roomId} over to another RoomBan that still bans them (re-applied for its remaining ${call.seconds}s): ${users}${requestIds}`;
  return { type: 'Normal', reason: 'BanLifted', message: truncateUtf8(message, MAX_EVENT_MESSAGE_BYTES) };
}

/** "Restored 1 ban lifted out of band in room abcd for the 3599s left: a (RequestId r9)". */
function restoredEvent(ban: RoomBan, restored: readonly UserResult[], seconds: number): BanEvent | undefined {
  if (restored.length === 0) return undefined;
  const ids = [...new Set(restored.map((result) => result.requestId).filter((id) => id !== ''))];
  const requestIds = ids.length === 0 ? '' : ` (RequestId ${listWithMore(ids, 5)})`;
  const message = `Restored ${countOf(restored.length, 'ban')} lifted out of band in room ${ban.spec.roomId} for the ${seconds}s left: ${listWithMore(restored.map((result) => result.userId), 10)}${requestIds}`;
  return { type: 'Warning', reason: 'BanRestored', message: truncateUtf8(message, MAX_EVENT_MESSAGE_BYTES) };
}

function groupBy<T>(items: readonly T[], keyOfItem: (item: T) => number): T[][] {
  const groups = new Map<number, T[]>();
  for (const item of items) groups.set(keyOfItem(item), [...(groups.get(keyOfItem(item)) ?? []), item]);
  return [...groups.values()];
}

function keyOf(ban: RoomBan): string {
  return `${ban.metadata.namespace}/${ban.metadata.name}`;
}
