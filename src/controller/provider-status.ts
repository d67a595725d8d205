// Writes each RoomProvider's and ClusterRoomProvider's status (its Ready condition) whenever the
// operator observes the provider or its Secret change: the provider's owner sees there what a
// RoomBan would hit (SecretNotFound, CredentialsInvalid naming the keys, UnknownRegion, ...), and a
// tenant using a ClusterRoomProvider is told only to ask that owner (providers.ts). Keys are
// providerKeyOf keys; a work queue of its own runs them (docs/api.md#roomprovider).

import type { Logger } from 'pino';
import type { RoomProvider } from '../api/types.ts';
import { providerStatus, type ProviderVerdict, type Reconciler, type Result, statusChanged, toKubeTime } from '../reconcile/index.ts';
import { checkProviderConfig, type ProviderConfig } from '../vendors/index.ts';
import type { KubeApi } from './kube-api.ts';
import { describeError, isConflict, isNotFound } from './kube-errors.ts';
import { inspectProvider, type ProviderLookup } from './providers.ts';

export interface ProviderStatusDeps {
  api: Pick<KubeApi, 'replaceProviderStatus'>;
  /** The cached provider for a providerKeyOf key. */
  provider(key: string): RoomProvider | undefined;
  lookup: Pick<ProviderLookup, 'secret' | 'endpoints'>;
  log: Logger;
  now(): Date;
}

export class ProviderStatusReconciler implements Reconciler {
  readonly #deps: ProviderStatusDeps;

  constructor(deps: ProviderStatusDeps) {
    this.#deps = deps;
  }

  async reconcile(key: string): Promise<Result> {
    try {
      return await this.#reconcile(key);
    } catch (error) {
      this.#deps.log.error({ provider: key, err: describeError(error) }, 'provider status failed; retrying with backoff');
      return { kind: 'backoff' };
    }
  }

  async #reconcile(key: string): Promise<Result> {
    const provider = this.#deps.provider(key);
    if (!provider || provider.metadata.deletionTimestamp) return { kind: 'done' };
    const verdict = await this.#verdict(provider);
    const generation = provider.metadata.generation ?? 0;
    const next = providerStatus(provider.status, verdict, generation, toKubeTime(this.#deps.now()));
    if (statusChanged(provider.status, next)) {
      try {
        await this.#deps.api.replaceProviderStatus(provider, next);
        this.#deps.log.info({ provider: key, ready: verdict.ready, reason: verdict.reason }, 'provider status written');
      } catch (error) {
        // Gone: its delete event ends it. Changed meanwhile (the cache lags our own last write, or
        // someone else wrote): look again shortly, from the newer object.
        if (isNotFound(error)) return { kind: 'done' };
        if (isConflict(error)) return { kind: 'backoff' };
        throw error;
      }
    }
    // RBAC granted later is no event we watch: look again with backoff.
    return verdict.reason === 'SecretNotReadable' ? { kind: 'backoff' } : { kind: 'done' };
  }

  async #verdict(provider: RoomProvider): Promise<ProviderVerdict> {
    const inspection = await inspectProvider(provider, this.#deps.lookup);
    if (inspection.kind === 'problem') return { ready: false, reason: inspection.reason, message: inspection.message };
    const invalid = checkProviderConfig(inspection.config);
    if (invalid) {
      const reason = invalid.code === 'Config.UnknownRegion' ? 'UnknownRegion' : invalid.code === 'Config.InvalidEndpoint' ? 'InvalidEndpoint' : 'InvalidSpec';
      return { ready: false, reason, message: invalid.message };
    }
    const secret = `${inspection.secretNamespace}/${provider.spec.credentialsSecretRef.name}`;
    return { ready: true, reason: 'CredentialsFound', message: `Secret ${secret} holds ${credentialKeys(inspection.config).join(', ')}` };
  }
}

/** The names (never the values) of the credentials found. */
function credentialKeys(config: ProviderConfig): string[] {
  return Object.keys(config.credentials).sort();
}
