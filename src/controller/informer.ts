// A list+watch cache of one resource that never dies (docs/architecture.md#watches).
// @kubernetes/client-node 2.0.1 gives us the streaming Watch, but its ListWatch stops for good on
// any error other than 410 and a timeout, and its Watch aborts a connection after 30 s without
// data. So: we list, then watch from the list's resourceVersion with bookmarks; ask the server to
// end each watch after ~20 s (under that inactivity limit) and resume from the last
// resourceVersion at once; relist on 410 Gone; reconnect with jittered exponential backoff on
// any other error (healthy=false meanwhile, which /readyz reports); and resync periodically.

import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { type BackoffPolicy, backoffDelay } from '../common/backoff.ts';
import { isGone } from './kube-errors.ts';

/** What the informer needs of an object (RoomBans' timestamps are strings, Secrets' are Dates). */
export interface KubernetesObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export type InformerEvent = 'add' | 'update' | 'delete' | 'resync';

export interface ObjectList<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface InformerOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** For logs and metrics, e.g. "roombans". */
  resource: string;
  /** The collection's API path, e.g. /apis/roomban.io/v1alpha1/roombans. */
  path: string;
  /** A field selector for the watch (the list applies its own), e.g. metadata.name=team-a. */
  fieldSelector?: string;
  list(): Promise<ObjectList<T>>;
  /** `old` is the cached version an update replaced. */
  onEvent(event: InformerEvent, object: T, old?: T): void;
  log: Logger;
  resyncMs?: number;
  onWatchRestart?(resource: string): void;
  onHealthChange?(resource: string, healthy: boolean): void;
  /** After a (re)list replaced the cache: it is at least as new as anything written before. */
  onRelisted?(): void;
  random?: () => number;
}

const WATCH_SECONDS = 20;
/** Reconnects after a failed watch: 800 ms doubling to 30 s, never much sooner than the ceiling. */
const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 800, capMs: 30_000, jitter: 'equal' };

export function objectKey(object: KubernetesObject): string {
  const { namespace, name } = object.metadata ?? {};
  return namespace ? `${namespace}/${name}` : `${name}`;
}

export class Informer<T extends KubernetesObject> {
  readonly #options: InformerOptions<T>;
  readonly #cache = new Map<string, T>();
  readonly #watch: Watch;
  #resourceVersion = '';
  #synced = false;
  #healthy = false;
  #stopped = true;
  #failures = 0;
  #abort: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  #resyncTimer: NodeJS.Timeout | undefined;
  #firstSync: { promise: Promise<void>; resolve: () => void };

  constructor(options: InformerOptions<T>) {
    this.#options = options;
    this.#watch = new Watch(options.kubeConfig);
    let resolve = (): void => {};
    const promise = new Promise<void>((r) => (resolve = r));
    this.#firstSync = { promise, resolve };
  }

  get resource(): string {
    return this.#options.resource;
  }

  get synced(): boolean {
    return this.#synced;
  }

  /** False while the watch is down and reconnecting. */
  get healthy(): boolean {
    return this.#healthy;
  }

  get(key: string): T | undefined {
    return this.#cache.get(key);
  }

  list(): T[] {
    return [...this.#cache.values()];
  }

  /** Resolves after the first successful list. */
  waitForSync(): Promise<void> {
    return this.#firstSync.promise;
  }

  start(): void {
    this.#stopped = false;
    void this.#relist();
    const resyncMs = this.#options.resyncMs;
    if (resyncMs) this.#resyncTimer = setInterval(() => this.#resync(), resyncMs).unref();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#resyncTimer);
    this.#abort?.abort();
  }

  async #relist(): Promise<void> {
    if (this.#stopped) return;
    try {
      const list = await this.#options.list();
      this.#replace(list.items);
      this.#options.onRelisted?.();
      this.#resourceVersion = list.metadata?.resourceVersion ?? '';
      this.#synced = true;
      this.#firstSync.resolve();
      await this.#startWatch();
    } catch (error) {
      this.#retryLater(error);
    }
  }

  #replace(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items.map(cacheForm)) {
      const key = objectKey(item);
      seen.add(key);
      this.#apply('ADDED', item);
    }
    for (const [key, old] of this.#cache) {
      if (!seen.has(key)) this.#apply('DELETED', old);
    }
  }

  async #startWatch(): Promise<void> {
    if (this.#stopped) return;
    let ended = false;
    const query = {
      resourceVersion: this.#resourceVersion,
      allowWatchBookmarks: true,
      ...(this.#options.fieldSelector ? { fieldSelector: this.#options.fieldSelector } : {}),
      timeoutSeconds: WATCH_SECONDS + Math.floor((this.#options.random ?? Math.random)() * 5),
    };
    const done = (error: unknown): void => {
      ended = true;
      this.#onWatchEnd(error);
    };
    this.#abort = await this.#watch.watch(this.#options.path, query, (type, object) => this.#onWatchEvent(type, object), done);
    if (!ended) this.#setHealthy(true);
  }

  #onWatchEvent(type: string, object: unknown): void {
    if (type === 'ERROR') {
      const status = object as { code?: number; message?: string };
      if (status.code === 410) this.#resourceVersion = '';
      return;
    }
    const item = cacheForm(object as T);
    const rv = item.metadata?.resourceVersion;
    if (rv) this.#resourceVersion = rv;
    if (type === 'BOOKMARK') return;
    this.#failures = 0;
    this.#apply(type, item);
  }

  #onWatchEnd(error: unknown): void {
    if (this.#stopped) return;
    if (isGone(error)) this.#resourceVersion = '';
    if (error && !isGone(error)) {
      this.#retryLater(error);
      return;
    }
    // A clean end (server timeout) resumes at once; 410 relists.
    this.#options.onWatchRestart?.(this.#options.resource);
    if (this.#resourceVersion === '') void this.#relist();
    else void this.#startWatch().catch((e: unknown) => this.#retryLater(e));
  }

  #retryLater(error: unknown): void {
    if (this.#stopped) return;
    this.#setHealthy(false);
    this.#failures += 1;
    const delay = backoffDelay(RECONNECT_BACKOFF, { failures: this.#failures, random: this.#options.random ?? Math.random });
    this.#options.log.warn({ resource: this.#options.resource, err: describe(error), retryInMs: Math.round(delay) }, 'watch failed; reconnecting');
    this.#options.onWatchRestart?.(this.#options.resource);
    // Relist after errors: events may have been missed while disconnected.
    this.#timer = setTimeout(() => void this.#relist(), delay);
  }

  #apply(type: string, item: T): void {
    const key = objectKey(item);
    const old = this.#cache.get(key);
    if (type === 'DELETED') {
      if (!old) return;
      this.#cache.delete(key);
      this.#options.onEvent('delete', item);
      return;
    }
    if (old?.metadata?.resourceVersion === item.metadata?.resourceVersion) return;
    this.#cache.set(key, item);
    if (old) this.#options.onEvent('update', item, old);
    else this.#options.onEvent('add', item);
  }

  #resync(): void {
    for (const item of this.#cache.values()) this.#options.onEvent('resync', item);
  }

  #setHealthy(healthy: boolean): void {
    if (this.#healthy === healthy) return;
    this.#healthy = healthy;
    this.#options.onHealthChange?.(this.#options.resource, healthy);
  }
}

/**
 * The form objects are cached in (docs/decisions.md#informer-caches-hold-a-compact-form):
 * - without managedFields, which the cache never needs and which are often the largest part of an
 *   object (controller-runtime's TransformStripManagedFields). The metadata is rebuilt rather than
 *   `delete`d from, which would leave it a slower and larger dictionary-mode object;
 * - with equal strings shared: JSON.parse gives every string value its own copy, and a RoomBan
 *   repeats its timestamps, its condition messages and reasons, and shares its provider, account
 *   and inputsVersion with every other RoomBan of that provider.
 * Together they halve what a cached RoomBan costs. Lists apply it page by page (kube-api.ts), so
 * a relist never holds every object in its full form at once. Idempotent.
 */
export function cacheForm<T extends KubernetesObject>(object: T): T {
  const metadata = object.metadata as (KubernetesObject['metadata'] & { managedFields?: unknown }) | undefined;
  if (metadata?.managedFields !== undefined) {
    const { managedFields: _dropped, ...rest } = metadata;
    (object as { metadata?: unknown }).metadata = rest;
  }
  shareStrings(object);
  return object;
}

/** Strings longer than this are rarely repeated (request IDs, long messages): not shared. */
const SHARED_STRING_MAX_LENGTH = 64;
/**
 * The canonical copy of each short string seen. Emptied when it reaches SHARED_STRINGS_MAX entries,
 * so strings of deleted objects are not kept forever: after that, the next copy of a string becomes
 * its canonical one, and a string shared by many objects ends up with a few copies, not one each.
 */
const SHARED_STRINGS_MAX = 1 << 17;
const sharedStrings = new Map<string, string>();

function shared(value: string): string {
  if (value.length > SHARED_STRING_MAX_LENGTH) return value;
  const known = sharedStrings.get(value);
  if (known !== undefined) return known;
  if (sharedStrings.size >= SHARED_STRINGS_MAX) sharedStrings.clear();
  sharedStrings.set(value, value);
  return value;
}

/** Replaces, in place, every short string value inside `value` with its shared copy. */
function shareStrings(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') value[i] = shared(item);
      else if (typeof item === 'object' && item !== null) shareStrings(item);
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') record[key] = shared(item);
    else if (typeof item === 'object' && item !== null) shareStrings(item);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
