// Waiters grouped by owner and served round-robin across owners, first come first served within
// one (docs/vendors.md#rate-limits): an owner with a thousand waiters gets no more turns than an
// owner with one, so one provider's flood cannot starve another's calls.

export class TurnQueue<T> {
  /** Map order is the turn order: the owner served last moves to the back. */
  private readonly queues = new Map<string, T[]>();
  private size = 0;

  get length(): number {
    return this.size;
  }

  lengthOf(owner: string): number {
    return this.queues.get(owner)?.length ?? 0;
  }

  push(owner: string, item: T): void {
    const queue = this.queues.get(owner);
    if (queue === undefined) this.queues.set(owner, [item]);
    else queue.push(item);
    this.size += 1;
  }

  /** The oldest item of the owner whose turn it is. */
  shift(): T | undefined {
    for (const [owner, queue] of this.queues) {
      const item = queue.shift();
      this.queues.delete(owner);
      if (queue.length > 0) this.queues.set(owner, queue);
      if (item === undefined) continue;
      this.size -= 1;
      return item;
    }
    return undefined;
  }
}
