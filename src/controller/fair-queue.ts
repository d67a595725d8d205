// The waiting keys of the work queue, served fairly across namespaces: FIFO within a namespace,
// namespaces in turn (round-robin), so a tenant with a thousand waiting RoomBans delays another
// tenant's next RoomBan by one turn, not by a thousand (docs/architecture.md#the-work-queue).

/** The namespace of a "namespace/name" key; a key without one is its own group. */
function groupOf(key: string): string {
  const slash = key.indexOf('/');
  return slash === -1 ? key : key.slice(0, slash);
}

export class FairQueue {
  /** Waiting keys by namespace, each in insertion order (a Set dedups and dequeues in O(1)). */
  readonly #groups = new Map<string, Set<string>>();
  /** Namespaces with waiting keys, in the order they are served next. */
  #turns: string[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(key: string): boolean {
    return this.#groups.get(groupOf(key))?.has(key) === true;
  }

  /** Adds `key` at the end of its namespace's line; a key already waiting keeps its place. */
  add(key: string): void {
    const group = groupOf(key);
    let keys = this.#groups.get(group);
    if (keys === undefined) {
      keys = new Set();
      this.#groups.set(group, keys);
      this.#turns.push(group);
    }
    if (keys.has(key)) return;
    keys.add(key);
    this.#size += 1;
  }

  /**
   * Takes `key` out of its line, wherever it is; false if it was not waiting. Its namespace keeps
   * its turn (even with no keys left: shift then passes it by), so every namespace in #groups has
   * exactly one turn.
   */
  remove(key: string): boolean {
    if (this.#groups.get(groupOf(key))?.delete(key) !== true) return false;
    this.#size -= 1;
    return true;
  }

  /** The first key of the namespace whose turn it is; that namespace then goes to the back. */
  shift(): string | undefined {
    for (let group = this.#turns.shift(); group !== undefined; group = this.#turns.shift()) {
      const keys = this.#groups.get(group)!;
      const key = keys.values().next().value;
      if (key === undefined) {
        this.#groups.delete(group);
        continue;
      }
      keys.delete(key);
      this.#size -= 1;
      if (keys.size > 0) this.#turns.push(group);
      else this.#groups.delete(group);
      return key;
    }
    return undefined;
  }

  clear(): void {
    this.#groups.clear();
    this.#turns = [];
    this.#size = 0;
  }
}
