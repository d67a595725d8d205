// The operator's caches: RoomBans, RoomProviders and Secrets in every watched namespace (or all),
// ClusterRoomProviders, and the watched Namespaces (for their labels, which ClusterRoomProviders'
// namespaceSelector reads). A provider or Secret change requeues the RoomBans that use it and the
// providers' own status; a namespace relabel requeues its RoomBans that use a ClusterRoomProvider.
// Secrets are watched as metadata only; the data of a Secret is read (and kept) only once a
// provider's credentials are resolved from it, so unrelated Secrets cost no memory.

import type { KubeConfig, V1Namespace, V1Secret } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ProviderKind, RoomBan, RoomProvider } from '../api/types.ts';
import { CLUSTERROOMPROVIDERS, KubeApi, ROOMBANS, ROOMPROVIDERS } from './kube-api.ts';
import { Informer, type InformerEvent, type KubernetesObject, type ObjectList, objectKey } from './informer.ts';
import { providerKeyOf } from './providers.ts';

/** providerKeyOf's key of a provider object: RoomProvider/<namespace>/<name> or ClusterRoomProvider/<name>. */
export function providerKey(provider: RoomProvider): string {
  const { namespace, name } = provider.metadata;
  return namespace ? `RoomProvider/${namespace}/${name}` : `ClusterRoomProvider/${name}`;
}

export interface WatchHooks {
  onBan(event: InformerEvent, ban: RoomBan, old?: RoomBan): void;
  /** A provider or Secret changed: these RoomBan keys use it. */
  onDependencyChange(banKeys: string[]): void;
  /** A provider, or a Secret it names, changed (providerKeyOf keys): its status may have to change. */
  onProvidersChanged?(providerKeys: string[]): void;
  /** A provider, or the Secret it names, was deleted: drop what was built from its credentials. */
  onCredentialsGone?(providerKeys: string[]): void;
  onBansRelisted(): void;
  onWatchRestart(resource: string): void;
  onHealthChange(resource: string, healthy: boolean): void;
}

export interface WatchOptions {
  kubeConfig: KubeConfig;
  api: KubeApi;
  /** undefined: all namespaces. */
  namespaces: string[] | undefined;
  log: Logger;
  resyncMs: number;
  hooks: WatchHooks;
}

export class Watches {
  readonly #bans: Informer<RoomBan>[] = [];
  readonly #providers: Informer<RoomProvider>[] = [];
  /** Secrets' metadata (PartialObjectMetadata): every Secret of the watched namespaces, no data. */
  readonly #secrets: Informer<V1Secret>[] = [];
  readonly #namespaces: Informer<V1Namespace>[] = [];
  /** The data of the Secrets providers resolved credentials from, by "namespace/name". */
  readonly #secretData = new Map<string, V1Secret>();
  readonly #clusterProviders: Informer<RoomProvider>;
  readonly #options: WatchOptions;

  constructor(options: WatchOptions) {
    this.#options = options;
    const { api, hooks } = options;
    for (const ns of options.namespaces ?? [undefined]) {
      this.#bans.push(this.#informer<RoomBan>(ROOMBANS, ns, () => api.listRoomBans(ns), (event, ban, old) => hooks.onBan(event, ban, old), hooks.onBansRelisted));
      this.#providers.push(this.#informer<RoomProvider>(ROOMPROVIDERS, ns, () => api.listRoomProviders(ns), (e, p, old) => this.#providerChanged(e, p, old)));
      this.#secrets.push(this.#informer<V1Secret>('secrets', ns, () => api.listSecretMetadata(ns), (e, s) => this.#secretChanged(e, s), undefined, { kubeConfig: api.metadataKubeConfig }));
      // One namespace (a field selector RBAC can grant by resourceNames), or all of them.
      this.#namespaces.push(this.#informer<V1Namespace>('namespaces', undefined, () => api.listNamespaces(ns), (e, n, old) => this.#namespaceChanged(e, n, old), undefined, ns === undefined ? {} : { name: ns }));
    }
    this.#clusterProviders = this.#informer<RoomProvider>(CLUSTERROOMPROVIDERS, undefined, () => api.listClusterRoomProviders(), (e, p, old) => this.#providerChanged(e, p, old));
  }

  #informer<T extends KubernetesObject>(
    plural: string, namespace: string | undefined, list: () => Promise<ObjectList<T>>,
    onEvent: (event: InformerEvent, object: T, old?: T) => void, onRelisted?: () => void,
    { name, kubeConfig = this.#options.kubeConfig }: { name?: string; kubeConfig?: KubeConfig } = {},
  ): Informer<T> {
    const { log, resyncMs, hooks } = this.#options;
    return new Informer<T>({
      kubeConfig, log, resyncMs: plural === ROOMBANS || plural === ROOMPROVIDERS || plural === CLUSTERROOMPROVIDERS ? resyncMs : 0,
      resource: namespace ? `${plural}/${namespace}` : name ? `${plural}/${name}` : plural,
      path: KubeApi.path(plural, namespace),
      ...(name ? { fieldSelector: `metadata.name=${name}` } : {}),
      list, onEvent,
      onWatchRestart: hooks.onWatchRestart,
      onHealthChange: hooks.onHealthChange,
      ...(onRelisted ? { onRelisted } : {}),
    });
  }

  #all(): Informer<KubernetesObject>[] {
    return [...this.#bans, ...this.#providers, ...this.#secrets, ...this.#namespaces, this.#clusterProviders] as Informer<KubernetesObject>[];
  }

  start(): void {
    for (const informer of this.#all()) informer.start();
  }

  stop(): void {
    for (const informer of this.#all()) informer.stop();
  }

  async waitForSync(): Promise<void> {
    await Promise.all(this.#all().map((informer) => informer.waitForSync()));
  }

  /** name -> ok, for /readyz: every informer listed and its watch is up. */
  health(): Record<string, () => boolean | string> {
    const checks: Record<string, () => boolean | string> = {};
    for (const informer of this.#all()) {
      const name = `watch-${informer.resource}`;
      checks[name] = () => (!informer.synced ? 'not synced' : informer.healthy ? true : 'watch down, reconnecting');
    }
    return checks;
  }

  bans(): RoomBan[] {
    return this.#bans.flatMap((informer) => informer.list());
  }

  ban(key: string): RoomBan | undefined {
    for (const informer of this.#bans) {
      const ban = informer.get(key);
      if (ban) return ban;
    }
    return undefined;
  }

  provider(kind: ProviderKind, namespace: string, name: string): RoomProvider | undefined {
    if (kind === 'ClusterRoomProvider') return this.#clusterProviders.get(name);
    for (const informer of this.#providers) {
      const provider = informer.get(`${namespace}/${name}`);
      if (provider) return provider;
    }
    return undefined;
  }

  /** Every cached provider, as providerKeyOf keys them. */
  providerKeys(): string[] {
    return [...this.#providers, this.#clusterProviders].flatMap((informer) => informer.list().map(providerKey));
  }

  /** A provider by its providerKeyOf key. */
  providerByKey(key: string): RoomProvider | undefined {
    const [kind, ...rest] = key.split('/');
    if (kind === 'ClusterRoomProvider') return this.provider(kind, '', rest.join('/'));
    if (kind === 'RoomProvider' && rest.length === 2) return this.provider(kind, rest[0] ?? '', rest[1] ?? '');
    return undefined;
  }

  /** The labels of a watched namespace; undefined when it is not (or no longer) known. */
  namespaceLabels(namespace: string): Record<string, string> | undefined {
    for (const informer of this.#namespaces) {
      const object = informer.get(namespace);
      if (object) return object.metadata?.labels ?? {};
    }
    return undefined;
  }

  /**
   * A provider's Secret with its data. In a watched namespace the metadata cache says whether it
   * exists and at which resourceVersion; its data is read once per version and kept only while it
   * exists. Elsewhere (a ClusterRoomProvider's Secret in an unwatched namespace) it is read each time.
   */
  async secret(namespace: string, name: string): Promise<V1Secret | undefined> {
    const watched = this.#options.namespaces === undefined || this.#options.namespaces.includes(namespace);
    if (!watched) return this.#options.api.getSecret(namespace, name);
    const key = `${namespace}/${name}`;
    const metadata = this.#secrets.map((informer) => informer.get(key)).find((secret) => secret !== undefined);
    if (metadata === undefined) {
      this.#secretData.delete(key);
      return undefined;
    }
    const version = metadata.metadata?.resourceVersion ?? '';
    const known = this.#secretData.get(key);
    if (known !== undefined && known.metadata?.resourceVersion === version) return known;
    const secret = await this.#options.api.getSecret(namespace, name);
    if (secret === undefined) this.#secretData.delete(key);
    else this.#secretData.set(key, secret);
    return secret;
  }

  /**
   * Status-only updates (mostly our own status writes) change nothing a RoomBan or the provider's
   * Ready condition depends on, so they requeue nothing: two operators that disagree about a
   * provider cannot answer each other's writes in a loop. The periodic resync re-checks the status.
   */
  #providerChanged(event: InformerEvent, provider: RoomProvider, old?: RoomProvider): void {
    const key = providerKey(provider);
    if (event === 'delete') this.#options.hooks.onCredentialsGone?.([key]);
    if (event === 'update' && old?.metadata.generation === provider.metadata.generation) return;
    this.#options.hooks.onProvidersChanged?.([key]);
    if (event === 'resync') return;
    this.#options.hooks.onDependencyChange(this.#bansUsing((k) => k === key));
  }

  #secretChanged(event: InformerEvent, secret: V1Secret): void {
    const ns = secret.metadata?.namespace ?? '';
    const name = secret.metadata?.name ?? '';
    if (event === 'delete') this.#secretData.delete(`${ns}/${name}`);
    const users = new Set<string>();
    for (const informer of [...this.#providers, this.#clusterProviders]) {
      for (const p of informer.list()) {
        const ref = p.spec.credentialsSecretRef;
        const refNs = p.metadata.namespace ?? ref.namespace;
        if (ref.name === name && refNs === ns) users.add(providerKey(p));
      }
    }
    if (users.size === 0) return;
    if (event === 'delete') this.#options.hooks.onCredentialsGone?.([...users]);
    this.#options.hooks.onProvidersChanged?.([...users]);
    this.#options.hooks.onDependencyChange(this.#bansUsing((k) => users.has(k)));
  }

  /** A namespace's labels decide which ClusterRoomProviders its RoomBans may use. */
  #namespaceChanged(event: InformerEvent, namespace: V1Namespace, old?: V1Namespace): void {
    if (event === 'resync') return;
    if (event === 'update' && JSON.stringify(old?.metadata?.labels ?? {}) === JSON.stringify(namespace.metadata?.labels ?? {})) return;
    const name = namespace.metadata?.name ?? '';
    const keys = this.bans()
      .filter((ban) => ban.metadata.namespace === name && ban.spec.providerRef.kind === 'ClusterRoomProvider')
      .map(objectKey);
    if (keys.length > 0) this.#options.hooks.onDependencyChange(keys);
  }

  #bansUsing(matches: (providerKey: string) => boolean): string[] {
    return this.bans().filter((ban) => matches(providerKeyOf(ban))).map(objectKey);
  }
}
