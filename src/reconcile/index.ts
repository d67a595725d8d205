// The pure reconcile core (docs/architecture.md#the-reconcile-core): no I/O, no clock, no randomness
// of its own. It imports only src/api and src/common; the controller drives it.

export type { Reconciler, Result, Facts } from './result.ts';
export { nextStep, RETRY_BACKOFF } from './result.ts';

export type { FieldError } from './validate.ts';
export { validateSpecForVendor, formatFieldError, describeFieldErrors } from './validate.ts';

export type { PrepareInputs, Block } from './status.ts';
export type { PlannedCall } from './status.ts';
export { prepareStatus, recordResults, recordCall, blockedStatus, statusChanged, toKubeTime } from './status.ts';
export type { BanCall, BanPlanInputs, ObservedBan } from './ban-ledger.ts';
export { planBanCall, banInForce, nextExpiryMs, driftedBans, applyRestoreResult, DRIFT_TOLERANCE_MS } from './ban-ledger.ts';

export { targetFor, targetsEqual, isPaused, isDone, planRemovals, summarize } from './ledger.ts';

export type { Lifecycle, Phase, ReadyReason, ReconcilingReason, StalledReason, BlockReason, WorkPace } from './phase.ts';
export { READY, RECONCILING, STALLED, findCondition, isTrue } from './conditions.ts';

export type { BanEvent } from './events.ts';
export { transitionEvents } from './events.ts';

export type { ProviderVerdict, ProviderReadyReason, ProviderNotReadyReason } from './provider-status.ts';
export { providerStatus } from './provider-status.ts';
