// Building the RoomBan status the controller writes: before vendor calls (prepareStatus), after each
// call (recordResults), and when no call can be made (blockedStatus). Each returns a new object and
// leaves its input untouched, so the driver can diff before/after (statusChanged, transitionEvents).

import type { BanTarget, Condition, RoomBan, RoomBanSpec, RoomBanStatus, UserStatus } from '../api/types.ts';
import { PAUSED_ANNOTATION } from '../api/types.ts';
import type { UserResult } from '../api/results.ts';
import { conditionsForPhase, findCondition, RECONCILING } from './conditions.ts';
import { alignUsers, applyResult, isDone, progressOf, refusePending, summarize, targetMatchesSpec, targetsEqual } from './ledger.ts';
import { blockedPhase, type Lifecycle, paceOf, type BlockReason, type Phase, type WorkPace, workPhase } from './phase.ts';
import { alignBanUsers, applyBanResult, applyLiftResults, banChange, type BanCall, expiresAt } from './ban-ledger.ts';

export interface PrepareInputs {
  /** metadata.generation of the RoomBan being reconciled. */
  generation: number;
  /** Where the spec points now (see targetFor). */
  target: BanTarget;
  /** "<provider uid>.<provider generation>/<Secret resourceVersion>": a change re-asks Failed users. */
  inputsVersion: string;
  /** What the driver knows of the pace now (a call queued for the rate limit); else from the record. */
  pace?: WorkPace;
  /** metadata.deletionTimestamp is set (and deletionPolicy is Unban): every ban in force is lifted. */
  deleting?: boolean;
}

export interface Block {
  reason: BlockReason;
  /** metadata.generation of the RoomBan being reconciled. */
  generation: number;
  /** The cause, for people; a default naming the provider is used when omitted. */
  message?: string;
  /** The target when the provider resolved (it names the account); omit when it did not. */
  target?: BanTarget;
  /** The RoomBan is being deleted: the block keeps its bans from being lifted. */
  deleting?: boolean;
}

/** A call the driver made, as the core planned it: a kick batch (planRemovals) or a ban's call (planBanCall). */
export type PlannedCall = { kind: 'kick'; userIds: readonly string[] } | BanCall;

/**
 * The status to work from before vendor calls: users aligned with spec.users (a new target resets
 * everyone to Pending; added users are appended Pending in spec order; removed users leave), Failed
 * users re-asked only when the generation or inputsVersion changed (no hot loop on terminal answers).
 */
export function prepareStatus(ban: RoomBan, inputs: PrepareInputs, now: Date): RoomBanStatus {
  const recorded = ban.status ?? {};
  const sameTarget = targetsEqual(recorded.target, inputs.target) && recorded.target?.banSeconds === inputs.target.banSeconds;
  const sameInputs = recorded.observedGeneration === inputs.generation && recorded.inputsVersion === inputs.inputsVersion;
  const deleting = inputs.deleting === true;
  const users = alignFor(recorded, ban.spec.users, inputs.target, { retryFailed: !sameInputs, deleting, nowMs: now.getTime() });
  const pace = inputs.pace ?? (sameTarget && sameInputs ? recordedPace(recorded) : 'Progressing');
  const { generation, target, inputsVersion } = inputs;
  const lifecycle = lifecycleOf(target, users, deleting, now);
  const phase = workPhase(users, pace, inputs.target.roomId, lifecycle);
  return assemble({ generation, target, inputsVersion, users, phase, previous: recorded.conditions, now, expiresAt: lifecycle.expiresAt });
}

/**
 * `status` after a call planned by the core answered `results`: a kick batch as recordResults does;
 * a ban (bannedUntil from `now`), a lift or a hand-over as ban-ledger.ts says. `specUsers` tells a
 * lifted user who stays (the duration was removed: Removed) from one who leaves the ledger.
 */
export function recordCall(
  status: RoomBanStatus,
  call: PlannedCall,
  results: readonly UserResult[],
  context: { now: Date; generation: number; specUsers: readonly string[]; deleting?: boolean },
): RoomBanStatus {
  const { now, generation } = context;
  if (call.kind === 'kick') return recordResults(status, results, now, generation);
  const attemptTime = toKubeTime(now);
  const recorded = status.users ?? [];
  let users: UserStatus[];
  if (call.kind === 'ban') {
    const ownSeconds = status.target?.banSeconds ?? call.seconds;
    users = answerUsers(recorded, results, (user, result) => applyBanResult(user, result, ownSeconds, now.getTime(), attemptTime));
  } else {
    users = applyLiftResults(recorded, results, new Set(context.deleting === true ? [] : context.specUsers), attemptTime);
  }
  const pace = results.length === 0 ? recordedPace(status) : paceOf(results);
  const { target, inputsVersion } = status;
  const lifecycle = lifecycleOf(target, users, context.deleting === true, now);
  const phase = workPhase(users, pace, target?.roomId, lifecycle);
  return assemble({ generation, target, inputsVersion, users, phase, previous: status.conditions, now, expiresAt: lifecycle.expiresAt });
}

/**
 * `users` with each one's answers applied in order, then, after an account-wide refusal, every user
 * still Pending refused alike (refusePending). Results for users not in `users` are ignored.
 */
function answerUsers(users: readonly UserStatus[], results: readonly UserResult[], apply: (user: UserStatus, result: UserResult) => UserStatus): UserStatus[] {
  const answered = users.map((user) => results.filter((result) => result.userId === user.userId).reduce(apply, user));
  const refusal = results.find((result) => result.outcome === 'Terminal' && result.accountWide === true);
  return refusal === undefined ? answered : refusePending(answered, refusal);
}

/** Whether the ledger holds a ban's states (recorded bans, lifts to make): then ban-ledger.ts aligns it. */
function holdsBans(users: readonly UserStatus[]): boolean {
  return users.some((user) => user.state === 'Lifting' || user.bannedUntil !== undefined);
}

function alignFor(
  recorded: RoomBanStatus,
  specUsers: readonly string[],
  target: BanTarget | undefined,
  options: { retryFailed: boolean; deleting: boolean; nowMs: number },
): UserStatus[] {
  const { retryFailed, deleting, nowMs } = options;
  const previous = recorded.users ?? [];
  const banning = target?.banSeconds !== undefined && !deleting;
  if (!banning && !deleting && !holdsBans(previous)) {
    return alignUsers(previous, specUsers, { resetAll: target === undefined || !targetsEqual(recorded.target, target), retryFailed });
  }
  // While the provider is missing the account is unknown, and the recorded target stands for it.
  const change = target === undefined ? (recorded.target === undefined ? 'reset' : 'same') : banChange(recorded.target, target);
  return alignBanUsers(previous, { specUsers: deleting ? [] : specUsers, banning, change, retryFailed, nowMs });
}

function lifecycleOf(target: BanTarget | undefined, users: readonly UserStatus[], deleting: boolean, now: Date): Lifecycle {
  const banning = target?.banSeconds !== undefined && !deleting;
  const until = expiresAt(users, now.getTime());
  return { banning, deleting, ...(until === undefined ? {} : { expiresAt: until }) };
}

/**
 * `status` after a vendor call answered `results`: each user's state, code, message and RequestId,
 * then summary, progress and conditions. Write it after every call, so results are durable as they
 * happen. Results for users no longer in status are ignored. An account-wide refusal fails every
 * Pending user (refusePending).
 */
export function recordResults(status: RoomBanStatus, results: readonly UserResult[], now: Date, generation: number): RoomBanStatus {
  const attemptTime = toKubeTime(now);
  const users = answerUsers(status.users ?? [], results, (user, result) => applyResult(user, result, attemptTime));
  const pace = results.length === 0 ? recordedPace(status) : paceOf(results);
  const phase = workPhase(users, pace, status.target?.roomId);
  const { target, inputsVersion } = status;
  return assemble({ generation, target, inputsVersion, users, phase, previous: status.conditions, now });
}


/**
 * The status when no vendor call can be made: provider missing, Secret missing or malformed, spec
 * invalid for the vendor, or paused. A ban whose recorded results already cover its spec stays Ready:
 * deleting a provider after the fact must not turn a finished ban into a failed one in Flux.
 */
export function blockedStatus(ban: RoomBan, block: Block, now: Date): RoomBanStatus {
  const recorded = ban.status ?? {};
  const sameTarget =
    block.target === undefined ? targetMatchesSpec(recorded.target, ban.spec) : targetsEqual(recorded.target, block.target);
  const retryFailed = recorded.observedGeneration !== block.generation;
  const deleting = block.deleting === true;
  const users = sameTarget || deleting
    ? alignFor(recorded, ban.spec.users, block.target ?? recorded.target, { retryFailed, deleting, nowMs: now.getTime() })
    : alignUsers([], ban.spec.users, { resetAll: true, retryFailed });
  const target = sameTarget ? recorded.target : block.target;
  const lifecycle = lifecycleOf(target, users, deleting, now);
  const phase: Phase =
    sameTarget && !deleting && users.every(isDone)
      ? workPhase(users, 'Progressing', ban.spec.roomId, lifecycle)
      : blockedPhase(block.reason, block.message ?? defaultCause(block.reason, ban.spec), users, lifecycle);
  const { generation } = block;
  return assemble({ generation, target, inputsVersion: recorded.inputsVersion, users, phase, previous: recorded.conditions, now, expiresAt: lifecycle.expiresAt });
}

/**
 * Whether writing `after` would change what `before` holds: writes must be proportional to progress.
 * Compares as JSON does: key order is irrelevant and a property set to undefined equals an absent
 * one; array order matters.
 */
export function statusChanged(before: RoomBanStatus | undefined, after: RoomBanStatus): boolean {
  return !jsonEqual(before ?? {}, after);
}

/**
 * RFC 3339 in UTC with whole seconds, the way the API server serializes metav1.Time (the core never
 * reads the clock; drivers pass `now`). Dropping the milliseconds also keeps a status rebuilt within
 * the same second byte-identical, so the no-op write is skipped.
 */
export function toKubeTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface StatusParts {
  generation: number;
  target: BanTarget | undefined;
  inputsVersion: string | undefined;
  users: UserStatus[];
  phase: Phase;
  previous: readonly Condition[] | undefined;
  now: Date;
  /** Bans: the latest bannedUntil in force. */
  expiresAt?: string | undefined;
}

function assemble(parts: StatusParts): RoomBanStatus {
  const summary = summarize(parts.users);
  return {
    observedGeneration: parts.generation,
    ...(parts.target === undefined ? {} : { target: { ...parts.target } }),
    ...(parts.inputsVersion === undefined ? {} : { inputsVersion: parts.inputsVersion }),
    conditions: conditionsForPhase(parts.previous, parts.phase, parts.generation, toKubeTime(parts.now)),
    summary,
    progress: progressOf(summary),
    ...(parts.expiresAt === undefined ? {} : { expiresAt: parts.expiresAt }),
    users: parts.users,
  };
}

// Between reconciles the pace survives only in the Reconciling reason. Keeping it until a call says
// otherwise stops the reason flapping Throttled -> Progressing -> Throttled, one extra write per retry.
function recordedPace(status: RoomBanStatus): WorkPace {
  const reconciling = findCondition(status.conditions, RECONCILING);
  const reason = reconciling?.status === 'True' ? reconciling.reason : '';
  return reason === 'Throttled' || reason === 'RetryingAfterError' ? reason : 'Progressing';
}

function defaultCause(reason: BlockReason, spec: RoomBanSpec): string {
  const provider = `${spec.providerRef.kind ?? 'RoomProvider'} "${spec.providerRef.name}"`;
  switch (reason) {
    case 'ProviderNotFound':
      return `${provider} not found`;
    case 'ProviderNotAllowed':
      return `${provider} may not be used by RoomBans in this namespace`;
    case 'WaitingForProvider':
      return `Waiting for the credentials Secret of ${provider}`;
    case 'CredentialsInvalid':
      return `The credentials Secret of ${provider} lacks required keys`;
    case 'InvalidSpec':
      return `The spec cannot be carried out by the vendor of ${provider}`;
    case 'Paused':
      return `Paused by the annotation ${PAUSED_ANNOTATION}: "true"; no vendor calls until it is removed`;
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item: unknown, index) => jsonEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...definedKeys(a), ...definedKeys(b)]);
    return [...keys].every((key) => jsonEqual(a[key], b[key]));
  }
  return Object.is(a, b);
}

function definedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
