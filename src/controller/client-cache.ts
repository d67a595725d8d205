// One vendor client per provider and credentials version: a rotated Secret gets a new client, and
// a deleted provider or Secret drops its client, so the credentials it holds (and its scrubber)
// leave memory with it.

import type { VendorClient } from '../vendors/index.ts';
import type { ProviderResolution } from './providers.ts';

type Resolved = Extract<ProviderResolution, { kind: 'ok' }>;

export class ClientCache {
  readonly #create: (resolution: Resolved) => VendorClient;
  readonly #clients = new Map<string, { inputsVersion: string; client: VendorClient }>();
  readonly #onSize: (size: number) => void;

  constructor(create: (resolution: Resolved) => VendorClient, onSize: (size: number) => void = () => {}) {
    this.#create = create;
    this.#onSize = onSize;
  }

  get size(): number {
    return this.#clients.size;
  }

  get(resolution: Resolved): VendorClient {
    const cached = this.#clients.get(resolution.providerKey);
    if (cached?.inputsVersion === resolution.inputsVersion) return cached.client;
    const client = this.#create(resolution);
    this.#clients.set(resolution.providerKey, { inputsVersion: resolution.inputsVersion, client });
    this.#onSize(this.#clients.size);
    return client;
  }

  /** Drops the clients of these providers (providerKeyOf keys); the next use builds a fresh one. */
  evict(providerKeys: readonly string[]): void {
    for (const key of providerKeys) this.#clients.delete(key);
    this.#onSize(this.#clients.size);
  }
}
