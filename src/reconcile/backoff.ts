// Retry delays for a RoomBan whose vendor calls keep failing (design.md §5): exponential with full
// jitter, so many bans throttled at once do not retry in lockstep, and never sooner than the vendor
// asked. The work queue owns the failure count; this only turns it into a delay.

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
/**
 * A defensive bound on Retry-After: the vendor knows better than our cap, but a broken header must
 * not park a ban for days.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

// 2^30 s is far past the cap; bounding the exponent keeps the arithmetic exact.
const MAX_EXPONENT = 30;

/**
 * The most a retry after `failures` consecutive failures may wait: BACKOFF_BASE_MS after the first,
 * doubling each time up to BACKOFF_CAP_MS. A count below 1 (or not a number) counts as 1.
 */
export function backoffCeiling(failures: number): number {
  const exponent = Number.isFinite(failures) ? Math.min(Math.max(Math.floor(failures) - 1, 0), MAX_EXPONENT) : 0;
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
}

/**
 * A delay in ms drawn uniformly from [0, backoffCeiling(failures)) ("full jitter"), raised to
 * `retryAfterMs` when the vendor asked for a later retry (bounded by MAX_RETRY_AFTER_MS).
 * `rng` returns numbers in [0, 1), like Math.random; it is a parameter so tests can seed it.
 */
export function backoffDelay(failures: number, rng: () => number, retryAfterMs?: number): number {
  const jittered = Math.floor(unitInterval(rng()) * backoffCeiling(failures));
  return Math.max(jittered, retryAfterFloor(retryAfterMs));
}

function retryAfterFloor(retryAfterMs: number | undefined): number {
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return 0;
  return Math.min(Math.ceil(retryAfterMs), MAX_RETRY_AFTER_MS);
}

// A generator that returns 1 or garbage must not push a delay past the ceiling.
function unitInterval(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1 - Number.EPSILON) : 0;
}
