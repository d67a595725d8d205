// Delays for retry loops: exponential backoff with jitter, the one helper every retry of the
// operator uses (a RoomBan's vendor retries, a watch's reconnects), and client-go's wait.Jitter for
// periodic loops (leader election). Many clients failing at once must not retry in lockstep.

export interface BackoffPolicy {
  /** The ceiling after the first failure; it doubles with each further failure. */
  baseMs: number;
  /** The ceiling never grows past this. */
  capMs: number;
  /**
   * 'full': uniform in [0, ceiling) (AWS's "full jitter": the widest spread, for many clients of
   * one quota); 'equal': uniform in [ceiling/2, ceiling) (never much sooner than the ceiling).
   */
  jitter: 'full' | 'equal';
}

export interface BackoffInputs {
  /** Consecutive failures so far; below 1 (or not a number) counts as 1. */
  failures: number;
  /** Returns numbers in [0, 1), like Math.random; a parameter so tests can seed it. */
  random: () => number;
  /** The delay is never below this (a Retry-After); bounded by MAX_RETRY_AFTER_MS. */
  floorMs?: number;
}

/**
 * The longest a server's Retry-After is honoured. The server knows better than our backoff cap,
 * but a broken header must not park work for days: every Retry-After the operator reads is cut here.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

// 2^30 × base is far past any cap; bounding the exponent keeps the arithmetic exact.
const MAX_EXPONENT = 30;

/** The most a retry after `failures` failures may wait: baseMs, doubling per failure, at most capMs. */
export function backoffCeiling(policy: BackoffPolicy, failures: number): number {
  const exponent = Number.isFinite(failures) ? Math.min(Math.max(Math.floor(failures) - 1, 0), MAX_EXPONENT) : 0;
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/** A delay in whole ms drawn with the policy's jitter under backoffCeiling, raised to `floorMs`. */
export function backoffDelay(policy: BackoffPolicy, inputs: BackoffInputs): number {
  const ceiling = backoffCeiling(policy, inputs.failures);
  const unit = unitInterval(inputs.random());
  const jittered = policy.jitter === 'full' ? unit * ceiling : ceiling / 2 + (unit * ceiling) / 2;
  return Math.max(Math.floor(jittered), retryAfterFloor(inputs.floorMs));
}

/** client-go's wait.Jitter: `periodMs` stretched by a random fraction of up to `maxFactor`. */
export function jittered(periodMs: number, maxFactor: number, random: () => number): number {
  return periodMs * (1 + unitInterval(random()) * maxFactor);
}

function retryAfterFloor(retryAfterMs: number | undefined): number {
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return 0;
  return Math.min(Math.ceil(retryAfterMs), MAX_RETRY_AFTER_MS);
}

// A generator that returns 1 or garbage must not push a delay past the ceiling.
function unitInterval(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1 - Number.EPSILON) : 0;
}
