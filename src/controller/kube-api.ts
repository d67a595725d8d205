// The Kubernetes calls the controller makes, typed: lists for the informers, status writes through
// the status subresource with optimistic concurrency, and Events.

import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Namespace,
  type V1Secret,
} from '@kubernetes/client-node';
import { GROUP, type RoomBan, type RoomBanStatus, type RoomProvider, type RoomProviderStatus, VERSION } from '../api/types.ts';
import { cacheForm, type KubernetesObject, type ObjectList } from './informer.ts';
import { MetadataKubeConfig } from './metadata-kube-config.ts';
import { isNotFound } from './kube-errors.ts';
import type { PatchOperation } from './status-patch.ts';
import { FairLimit } from '../common/fair-limit.ts';

export const ROOMBANS = 'roombans';
export const ROOMPROVIDERS = 'roomproviders';
export const CLUSTERROOMPROVIDERS = 'clusterroomproviders';

const LIST_PAGE_SIZE = 500;

interface Page<T> {
  items: T[] | null;
  metadata?: { resourceVersion?: string; _continue?: string; continue?: string };
}

/** Every page of a list, each object in the informers' cacheForm as its page arrives. */
async function paginate<T extends KubernetesObject>(fetchPage: (continueToken: string | undefined) => Promise<Page<T>>): Promise<ObjectList<T>> {
  const items: T[] = [];
  let token: string | undefined;
  let resourceVersion = '';
  do {
    const page = await fetchPage(token);
    for (const item of page.items ?? []) items.push(cacheForm(item));
    resourceVersion ||= page.metadata?.resourceVersion ?? '';
    token = page.metadata?._continue ?? page.metadata?.continue ?? undefined;
  } while (token);
  return { items, metadata: { resourceVersion } };
}

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export class KubeApi {
  readonly #custom: CustomObjectsApi;
  readonly #core: CoreV1Api;
  /** The same API, answering with metadata only (PartialObjectMetadata): for Secrets' lists. */
  readonly #coreMetadata: CoreV1Api;
  /** For watches of metadata only (Secrets): see MetadataKubeConfig. */
  readonly metadataKubeConfig: KubeConfig;
  readonly #component: string;
  readonly #limit: FairLimit | undefined;

  /**
   * `maxInFlight`: at most this many of this KubeApi's requests at once; the rest wait, namespace by
   * namespace in turn (the reconciler's: --concurrency, however many RoomBans ride along).
   */
  constructor(kubeConfig: KubeConfig, options: { component?: string; maxInFlight?: number } = {}) {
    this.#limit = options.maxInFlight === undefined ? undefined : new FairLimit(options.maxInFlight);
    const component = options.component ?? 'roomban-operator';
    this.#custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.metadataKubeConfig = new MetadataKubeConfig(kubeConfig);
    this.#coreMetadata = this.metadataKubeConfig.makeApiClient(CoreV1Api);
    this.#component = component;
  }

  /** The collection path for a watch, all namespaces when namespace is undefined. */
  static path(plural: string, namespace?: string): string {
    if (plural === 'secrets') return namespace ? `/api/v1/namespaces/${namespace}/secrets` : '/api/v1/secrets';
    if (plural === 'namespaces') return '/api/v1/namespaces';
    const base = `/apis/${GROUP}/${VERSION}`;
    return namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
  }

  /** Lists in pages of LIST_PAGE_SIZE (one consistent snapshot), so no response holds every object at once. */
  async listCustom<T extends KubernetesObject>(plural: string, namespace?: string): Promise<ObjectList<T>> {
    const common = { group: GROUP, version: VERSION, plural, limit: LIST_PAGE_SIZE };
    return paginate<T>((_continue) => {
      const page = this.#run(namespace, () => namespace
        ? this.#custom.listNamespacedCustomObject({ ...common, namespace, _continue })
        : this.#custom.listClusterCustomObject({ ...common, _continue }));
      return page as Promise<Page<T>>;
    });
  }

  listRoomBans(namespace?: string): Promise<ObjectList<RoomBan>> {
    return this.listCustom<RoomBan>(ROOMBANS, namespace);
  }

  listRoomProviders(namespace?: string): Promise<ObjectList<RoomProvider>> {
    return this.listCustom<RoomProvider>(ROOMPROVIDERS, namespace);
  }

  listClusterRoomProviders(): Promise<ObjectList<RoomProvider>> {
    return this.listCustom<RoomProvider>(CLUSTERROOMPROVIDERS);
  }

  /** The Secrets' metadata only: names and resourceVersions, never their data. */
  listSecretMetadata(namespace?: string): Promise<ObjectList<V1Secret>> {
    return paginate<V1Secret>((_continue) => this.#run(namespace, () => namespace
      ? this.#coreMetadata.listNamespacedSecret({ namespace, limit: LIST_PAGE_SIZE, _continue })
      : this.#coreMetadata.listSecretForAllNamespaces({ limit: LIST_PAGE_SIZE, _continue })));
  }

  /**
   * Namespaces, for their labels (ClusterRoomProviders' namespaceSelector): all of them, or the one
   * named (a field selector, which RBAC authorizes against resourceNames).
   */
  listNamespaces(name?: string): Promise<ObjectList<V1Namespace>> {
    const fieldSelector = name === undefined ? undefined : `metadata.name=${name}`;
    return paginate<V1Namespace>((_continue) => this.#run('', () => this.#core.listNamespace({ limit: LIST_PAGE_SIZE, _continue, ...(fieldSelector ? { fieldSelector } : {}) })));
  }

  async getSecret(namespace: string, name: string): Promise<V1Secret | undefined> {
    try {
      return await this.#run(namespace, () => this.#core.readNamespacedSecret({ namespace, name }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async getRoomBan(namespace: string, name: string): Promise<RoomBan | undefined> {
    try {
      const object = await this.#run(namespace, () => this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: ROOMBANS, namespace, name }));
      return object as RoomBan;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Replaces the status through the status subresource. The object's resourceVersion makes it
   * optimistic: a concurrent change answers 409 (isConflict) for the caller to re-read.
   */
  async replaceStatus(ban: RoomBan, status: RoomBanStatus): Promise<RoomBan> {
    const { namespace = '', name } = ban.metadata;
    const body = { ...ban, status };
    const updated = await this.#run(namespace, () => this.#custom.replaceNamespacedCustomObjectStatus({
      group: GROUP, version: VERSION, plural: ROOMBANS, namespace, name, body, fieldManager: this.#component,
    }));
    return updated as RoomBan;
  }

  /**
   * Writes only what changed in status (statusPatch: a JSON Patch carrying the resourceVersion it was
   * computed from, so a concurrent change answers 409 like replaceStatus).
   */
  async patchStatus(ban: RoomBan, operations: readonly PatchOperation[]): Promise<RoomBan> {
    const { namespace = '', name } = ban.metadata;
    const updated = await this.#run(namespace, () => this.#custom.patchNamespacedCustomObjectStatus(
      { group: GROUP, version: VERSION, plural: ROOMBANS, namespace, name, body: [...operations], fieldManager: this.#component },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    ));
    return updated as RoomBan;
  }

  /**
   * Sets metadata.finalizers with a merge patch that carries the object's resourceVersion: a
   * concurrent change answers 409 (isConflict), so another controller's finalizer is never dropped.
   */
  async setFinalizers(ban: RoomBan, finalizers: readonly string[]): Promise<RoomBan> {
    const { namespace = '', name, resourceVersion } = ban.metadata;
    const body = { metadata: { resourceVersion, finalizers: [...finalizers] } };
    const updated = await this.#run(namespace, () => this.#custom.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, plural: ROOMBANS, namespace, name, body, fieldManager: this.#component },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    ));
    return updated as RoomBan;
  }

  /**
   * Replaces a RoomProvider's or ClusterRoomProvider's status through its status subresource,
   * optimistically (the object's resourceVersion; 409 when it changed meanwhile).
   */
  async replaceProviderStatus(provider: RoomProvider, status: RoomProviderStatus): Promise<RoomProvider> {
    const { namespace, name } = provider.metadata;
    const body = { ...provider, status };
    const common = { group: GROUP, version: VERSION, name, body, fieldManager: this.#component };
    const updated = await this.#run(namespace, () => namespace
      ? this.#custom.replaceNamespacedCustomObjectStatus({ ...common, plural: ROOMPROVIDERS, namespace })
      : this.#custom.replaceClusterCustomObjectStatus({ ...common, plural: CLUSTERROOMPROVIDERS }));
    return updated as RoomProvider;
  }

  async createEvent(ban: RoomBan, event: EventSpec, instance: string): Promise<void> {
    const { namespace = 'default', name, uid, resourceVersion } = ban.metadata;
    const now = new Date();
    await this.#run(namespace, () => this.#core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { generateName: `${name}.`, namespace },
        involvedObject: { apiVersion: ban.apiVersion, kind: ban.kind, name, namespace, uid, resourceVersion },
        type: event.type,
        reason: event.reason,
        message: event.message,
        source: { component: this.#component },
        reportingComponent: this.#component,
        reportingInstance: instance,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    }));
  }

  /** `namespace`: whose turn the request waits for ("" for cluster-scoped and all-namespace requests). */
  #run<T>(namespace: string | undefined, request: () => Promise<T>): Promise<T> {
    return this.#limit === undefined ? request() : this.#limit.run(namespace ?? '', request);
  }
}

