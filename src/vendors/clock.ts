// Time as a dependency, so signers, limiters and UserSig caches can be tested with a fixed or
// skewed clock instead of the process clock.

import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    await delay(ms);
  },
};

/** The system clock shifted by `offsetMs` (tests: a client whose clock is wrong). */
export function skewedClock(offsetMs: number, base: Clock = systemClock): Clock {
  return { now: () => base.now() + offsetMs, sleep: (ms) => base.sleep(ms) };
}
