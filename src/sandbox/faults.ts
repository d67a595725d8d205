// Fault injection for simulators: a queue of "next N requests" faults, then per-request
// probabilities drawn from a seeded PRNG, so a failing test replays exactly.

import type { Random } from './prng.ts';
import { FAULT_KINDS, type FaultControl, type FaultKind, type FaultSettings, type RequestHold } from './types.ts';

/** A drawn fault: a kind, plus the code for vendorError. */
export interface InjectedFault {
  kind: FaultKind;
  errorCode?: string;
}

export class FaultInjector implements FaultControl {
  private readonly random: Random;
  private settings: FaultSettings = {};
  private readonly queue: InjectedFault[] = [];
  private injectedCount = 0;
  private readonly holds: { arrived(): void; released: Promise<void> }[] = [];
  private readonly releases = new Set<() => void>();

  constructor(random: Random) {
    this.random = random;
  }

  get injected(): number {
    return this.injectedCount;
  }

  get latencyMs(): number {
    return this.settings.latencyMs ?? 0;
  }

  get retryAfterSeconds(): number | undefined {
    return this.settings.retryAfterSeconds;
  }

  set(settings: FaultSettings): void {
    this.settings = { ...settings, probabilities: { ...settings.probabilities } };
  }

  next(kind: Exclude<FaultKind, 'vendorError'>, count = 1): void {
    for (let i = 0; i < count; i += 1) this.queue.push({ kind });
  }

  nextError(code: string, count = 1): void {
    for (let i = 0; i < count; i += 1) this.queue.push({ kind: 'vendorError', errorCode: code });
  }

  holdNext(): RequestHold {
    const received = Promise.withResolvers<void>();
    const released = Promise.withResolvers<void>();
    this.holds.push({ arrived: received.resolve, released: released.promise });
    this.releases.add(released.resolve);
    return { received: received.promise, release: released.resolve };
  }

  /** For the server: resolves when the request being handled may be answered. */
  async waitIfHeld(): Promise<void> {
    const hold = this.holds.shift();
    if (hold === undefined) return;
    hold.arrived();
    await hold.released;
  }

  clear(): void {
    this.settings = {};
    this.queue.length = 0;
    this.holds.length = 0;
    for (const release of this.releases) release();
    this.releases.clear();
  }

  /** The fault for the request being handled, if any. One PRNG draw per request keeps runs stable. */
  draw(): InjectedFault | undefined {
    const queued = this.queue.shift();
    if (queued !== undefined) return this.count(queued);
    const probabilities = this.settings.probabilities ?? {};
    if (Object.keys(probabilities).length === 0) return undefined;
    const roll = this.random();
    let cumulative = 0;
    for (const kind of FAULT_KINDS) {
      cumulative += probabilities[kind] ?? 0;
      if (roll < cumulative) return this.count({ kind });
    }
    return undefined;
  }

  private count(fault: InjectedFault): InjectedFault {
    this.injectedCount += 1;
    return fault;
  }
}
