// Events behind the reconcile (docs/architecture.md#events). Events are best-effort: the status is
// the record. So, as client-go's EventBroadcaster does, a reconcile hands its Events over and goes
// on to its next call; a few are sent at a time, so status writes keep most of the API server under
// a flood and Events follow them. When MAX_QUEUED_EVENTS wait, newer ones are dropped and counted.
// At shutdown the queue gets FLUSH_MS to drain before the process exits.

import type { Logger } from 'pino';
import { FairLimit } from '../common/fair-limit.ts';
import type { RoomBan } from '../api/types.ts';
import type { BanEvent } from '../reconcile/index.ts';
import { describeError } from './kube-errors.ts';
import { objectKey } from './informer.ts';

/** About 5 MB of Events at most (each well under 1 KiB). */
export const MAX_QUEUED_EVENTS = 10_000;
/** How long shutdown waits for queued Events. */
export const FLUSH_MS = 5_000;

export interface EventRecorderOptions {
  /** Creates one Event (KubeApi.createEvent). */
  send(ban: RoomBan, event: BanEvent): Promise<void>;
  /** Events being sent at once. */
  inFlight: number;
  maxQueued?: number;
  log: Logger;
  onDropped?(count: number): void;
}

export class EventRecorder {
  readonly #options: EventRecorderOptions;
  readonly #limit: FairLimit;
  readonly #maxQueued: number;
  #pending = 0;
  #idle: PromiseWithResolvers<void> | undefined;
  #dropsSinceWarning = 0;

  constructor(options: EventRecorderOptions) {
    this.#options = options;
    this.#limit = new FairLimit(options.inFlight);
    this.#maxQueued = options.maxQueued ?? MAX_QUEUED_EVENTS;
  }

  /** Events waiting or being sent. */
  get pending(): number {
    return this.#pending;
  }

  /** Queues `events` for `ban` and returns at once; never throws. */
  record(ban: RoomBan, events: readonly BanEvent[]): void {
    for (const event of events) {
      if (this.#limit.waiting >= this.#maxQueued) {
        this.#dropped(ban);
        continue;
      }
      this.#pending += 1;
      void this.#limit.run(ban.metadata.namespace ?? '', () => this.#send(ban, event));
    }
  }

  /** Resolves when every queued Event is sent, or after `timeoutMs`, whichever comes first. */
  async flush(timeoutMs = FLUSH_MS): Promise<void> {
    if (this.pending === 0) return;
    this.#idle ??= Promise.withResolvers<void>();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.#idle.promise, timedOut]);
    clearTimeout(timer);
    if (this.pending > 0) this.#options.log.warn({ events: this.pending }, 'shutting down with Events not yet sent; they are dropped');
  }

  async #send(ban: RoomBan, event: BanEvent): Promise<void> {
    try {
      await this.#options.send(ban, event);
    } catch (error) {
      this.#options.log.warn({ roomban: objectKey(ban), reason: event.reason, err: describeError(error) }, 'could not create event');
    } finally {
      this.#pending -= 1;
      if (this.#pending === 0) {
        this.#idle?.resolve();
        this.#idle = undefined;
      }
    }
  }

  #dropped(ban: RoomBan): void {
    this.#options.onDropped?.(1);
    // One warning per burst of drops, not one per Event.
    if (this.#dropsSinceWarning++ === 0) {
      this.#options.log.warn({ roomban: objectKey(ban), queued: this.#maxQueued }, 'too many Events waiting to be sent; dropping new ones (counted in roomban_events_dropped_total)');
      setTimeout(() => (this.#dropsSinceWarning = 0), 10_000).unref();
    }
  }
}
