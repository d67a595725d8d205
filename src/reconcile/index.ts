// The pure reconcile core (design.md §2, §4): no I/O, no clock, no randomness of its own. The
// controller and the CLI drive it; everything it needs from the world is a parameter.

export type { FieldError } from './validate.ts';
export { validateSpecForVendor, formatFieldError, describeFieldErrors, MAX_NUMERIC_ROOM_ID, MAX_CHAT_REASON_BYTES } from './validate.ts';

export { targetFor, targetsEqual, isPaused } from './target.ts';

export type { PrepareInputs, Block } from './status.ts';
export { prepareStatus, recordResults, blockedStatus } from './status.ts';

export type { Phase, ReadyReason, ReconcilingReason, StalledReason, BlockReason, WorkPace } from './phase.ts';
export { READY, RECONCILING, STALLED, findCondition, isTrue } from './conditions.ts';

export { planRemovals } from './plan.ts';

export type { ReconcileOutcome } from './outcome.ts';
export { reconcileOutcome } from './outcome.ts';

export { backoffDelay, backoffCeiling, BACKOFF_BASE_MS, BACKOFF_CAP_MS, MAX_RETRY_AFTER_MS } from './backoff.ts';

export type { BanEvent } from './events.ts';
export { transitionEvents } from './events.ts';

export { statusChanged } from './equality.ts';

export { isRateLimited } from './rate-limit.ts';
export { summarize } from './summary.ts';
export { isDone } from './users.ts';
export { MAX_USER_MESSAGE_CHARS, MAX_CONDITION_MESSAGE_CHARS, MAX_EVENT_MESSAGE_BYTES } from './text.ts';
