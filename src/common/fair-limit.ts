// At most `max` tasks at once; those waiting start owner by owner in turn (TurnQueue), first come
// first served within one owner. The reconciler's API requests go through one, owned by namespace,
// so one tenant's many waiting status writes never hold another tenant's behind them.

import { TurnQueue } from './turn-queue.ts';

export class FairLimit {
  readonly #max: number;
  readonly #waiting = new TurnQueue<() => void>();
  #active = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
    this.#max = max;
  }

  /** Tasks running now. */
  get active(): number {
    return this.#active;
  }

  /** Tasks waiting for a place. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `task` once fewer than `max` run and it is `owner`'s turn; settles as the task does. */
  async run<T>(owner: string, task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#max) await new Promise<void>((start) => this.#waiting.push(owner, start));
    else this.#active += 1;
    try {
      return await task();
    } finally {
      // The place passes straight to the next waiter, so a newcomer cannot jump the turns.
      const next = this.#waiting.shift();
      if (next === undefined) this.#active -= 1;
      else next();
    }
  }
}
