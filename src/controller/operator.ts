// `roomban operator`: caches, work queue, reconciler, leader election, health and metrics, wired
// together; and the shutdown order (docs/architecture.md#shutdown): stop taking work, let in-flight
// calls finish and their results be written, release the Lease, exit.

import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RoomBan } from '../api/types.ts';
import { VENDOR_RULES } from '../api/vendor-rules.ts';
import type { Logger } from 'pino';
import { createVendorClient, createVendorRuntime, type VendorRuntimeOptions } from '../vendors/index.ts';
import { createMetrics, type Metrics, vendorObserver } from '../observability/metrics.ts';
import { healthRoutes, metricsRoute, startHttpServer } from '../observability/http-server.ts';
import { BanHolds } from './ban-holds.ts';
import { BanStore } from './ban-store.ts';
import { RoomIndex } from './room-index.ts';
import { EventRecorder } from './event-recorder.ts';
import { CallCombiner } from './call-combiner.ts';
import { objectKey } from './informer.ts';
import { KubeApi } from './kube-api.ts';
import { endpointPolicy } from './endpoint-policy.ts';
import { ClientCache } from './client-cache.ts';
import { describeError } from './kube-errors.ts';
import { PooledKubeConfig } from './pooled-kube-config.ts';
import { LeaderElector } from './leader-election.ts';
import { ProviderStatusReconciler } from './provider-status.ts';
import type { ProviderLookup } from './providers.ts';
import { RoomBanReconciler } from './reconciler.ts';
import { Watches } from './watches.ts';
import { WorkQueue } from './work-queue.ts';

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  /** undefined: all namespaces. */
  namespaces: string[] | undefined;
  concurrency: number;
  leaderElect: boolean;
  leaderElectionNamespace: string;
  leaderElectionId: string;
  metricsBindAddress: string;
  healthProbeBindAddress: string;
  allowCustomEndpoints: boolean;
  /** --allowed-endpoint-hosts: the only hosts a provider's endpoint may name (host or host:port). */
  allowedEndpointHosts?: readonly string[];
  log: Logger;
  identity?: string;
  resyncMs?: number;
  /** Batching across RoomBans (default true); false for benchmarks comparing with every RoomBan calling alone. */
  combineCalls?: boolean;
  /** --ban-verify-interval in ms: how often each ban's bans in force are observed (0: never). */
  banVerifyIntervalMs?: number;
  /** Tests and benchmarks only (e.g. caps of a sandbox). */
  vendorRuntime?: VendorRuntimeOptions;
}

/** --ban-verify-interval's default: 10 minutes. */
export const DEFAULT_BAN_VERIFY_INTERVAL_MS = 10 * 60_000;

export interface RunningOperator {
  metricsUrl: string | undefined;
  healthUrl: string | undefined;
  /** Resolves when the operator has shut down. */
  done: Promise<void>;
}

export async function startOperator(options: OperatorOptions, signal: AbortSignal): Promise<RunningOperator> {
  const { log } = options;
  const identity = options.identity ?? `${hostname()}_${process.pid}`;
  const metrics = createMetrics();
  const runtime = createVendorRuntime({ ...options.vendorRuntime, observer: vendorObserver(metrics), logger: log });
  const kubeConfig = PooledKubeConfig.from(options.kubeConfig);
  const api = new KubeApi(kubeConfig);
  let stopping = false;
  const queue = createQueue(options.concurrency, metrics, log);
  // Providers' status has a queue of its own: a burst of RoomBans never delays it, nor it them.
  const providerQueue = new WorkQueue({
    concurrency: 2,
    onError: (key, error) => log.error({ provider: key, err: describeError(error) }, 'provider status threw; retrying with backoff'),
  });
  // The store reads the watches' cache; `watches` is assigned before any lookup can happen.
  const store = new BanStore((key) => watches.ban(key));
  const rooms = new RoomIndex();
  const holds = new BanHolds(rooms, (key) => store.get(key));
  const watches: Watches = new Watches({
    kubeConfig, api, namespaces: options.namespaces, log, resyncMs: options.resyncMs ?? 10 * 60_000,
    hooks: {
      onBan: (event, ban, old) => {
        store.observed(ban, event === 'delete');
        rooms.observed(ban, event === 'delete');
        if (event !== 'delete' && desiredStateChanged(old, ban)) queue.add(objectKey(ban));
      },
      onDependencyChange: (keys) => keys.forEach((key) => queue.add(key)),
      onProvidersChanged: (keys) => keys.forEach((key) => providerQueue.add(key)),
      onCredentialsGone: (keys) => clients.evict(keys),
      onBansRelisted: () => store.clear(),
      onWatchRestart: (resource) => metrics.watchRestarts.inc({ resource }),
      onHealthChange: (resource, up) => metrics.watchUp.set({ resource }, up ? 1 : 0),
    },
  });
  // The provider's key: its calls take turns with other providers' at the account's bucket.
  const clients = new ClientCache(
    (resolution) => createVendorClient(resolution.config, runtime, { quotaOwner: resolution.providerKey }),
    (size) => metrics.vendorClients.set(size),
  );
  const lookup: ProviderLookup = {
    provider: (k, ns, n) => watches.provider(k, ns, n),
    secret: (ns, n) => watches.secret(ns, n),
    namespaceLabels: (ns) => watches.namespaceLabels(ns),
    endpoints: endpointPolicy({ allowCustom: options.allowCustomEndpoints, allowedHosts: options.allowedEndpointHosts ?? [] }),
  };
  const providerStatus = new ProviderStatusReconciler({ api, provider: (key) => watches.providerByKey(key), lookup, log, now: () => new Date() });
  // Events go behind the status writes, with a tenth of the workers' share of the API server
  // (client-go sends one at a time), so under a flood the writes that make RoomBans Ready come first.
  const events = new EventRecorder({
    send: (ban, event) => api.createEvent(ban, event, identity),
    inFlight: Math.max(1, Math.ceil(options.concurrency / 10)),
    log,
    onDropped: (count) => metrics.eventsDropped.inc(count),
  });
  const reconciler = new RoomBanReconciler({
    // However many RoomBans ride along with calls, at most --concurrency of their requests at once.
    api: new KubeApi(kubeConfig, { maxInFlight: options.concurrency }), bans: store, providers: lookup,
    clientFor: (resolution) => clients.get(resolution),
    events,
    log, now: () => new Date(), stopping: () => stopping, othersWaiting: () => queue.depth > 0,
    holds, banVerifyIntervalMs: options.banVerifyIntervalMs ?? DEFAULT_BAN_VERIFY_INTERVAL_MS, random: Math.random,
    ...(options.combineCalls === false ? {} : {
      combiner: new CallCombiner((_users, roomBans) => metrics.roomBansPerCall.observe(roomBans)),
      riders: {
        sameRoom: (roomId: string) => rooms.keysIn(roomId),
        isWaiting: (key: string) => queue.isWaiting(key),
        startNow: (keys: readonly string[]) => queue.startNow(keys),
        isRiding: (key: string) => queue.isRiding(key),
      },
    }),
    onRiders: (count) => metrics.riders.inc(count),
    onStatusWrite: (result) => {
      metrics.statusWrites.inc({ result });
      if (result === 'conflict') metrics.statusConflicts.inc();
    },
    onStatusBytes: (how, bytes) => metrics.statusWriteBytes.inc({ how }, bytes),
    onUsersDone: (vendor, state, count) => metrics.usersRemoved.inc({ vendor, state }, count),
    onBansLifted: (vendor, how, count) => metrics.bansLifted.inc({ vendor, how }, count),
    onBansRestored: (vendor, count) => metrics.bansRestored.inc({ vendor }, count),
  });

  const servers = await startServers(options, metrics.registry, watches);
  watches.start();

  const startWork = async (): Promise<void> => {
    await watches.waitForSync();
    if (stopping) return;
    log.info({ bans: watches.bans().length }, 'caches synced; reconciling');
    queue.start((key) => reconciler.reconcile(key));
    for (const ban of watches.bans()) queue.add(objectKey(ban));
    providerQueue.start((key) => providerStatus.reconcile(key));
    for (const key of watches.providerKeys()) providerQueue.add(key);
  };

  const elector = options.leaderElect
    ? new LeaderElector({
        kubeConfig, namespace: options.leaderElectionNamespace, name: options.leaderElectionId, identity, log,
      })
    : undefined;
  const shutdown = async (): Promise<void> => {
    stopping = true;
    log.info({ inFlight: queue.inFlight }, 'shutting down: finishing in-flight vendor calls');
    await Promise.all([queue.shutdown(), providerQueue.shutdown()]);
    await events.flush();
    await elector?.release();
    watches.stop();
    await Promise.all(servers.map((s) => s.close()));
    await runtime.close();
    log.info('shut down');
  };

  const done = new Promise<void>((resolve, reject) => {
    signal.addEventListener('abort', () => void shutdown().then(resolve, reject), { once: true });
  });
  if (elector) {
    void elector.run({
      onStartedLeading: () => {
        metrics.leader.set(1);
        log.info({ identity }, 'became leader');
        void startWork();
      },
      onStoppedLeading: () => {
        metrics.leader.set(0);
        if (stopping) return;
        // Another replica may already be calling vendors: stop at once, as client-go does.
        log.error({ identity }, 'lost leadership; exiting');
        process.exit(1);
      },
    });
  } else {
    void startWork();
  }
  const [metricsServer, healthServer] = servers;
  return { metricsUrl: metricsServer?.url, healthUrl: healthServer?.url, done };
}

/** The most users any vendor takes in one call (Chat's 20). */
const MOST_USERS_PER_CALL = Math.max(...Object.values(VENDOR_RULES).map((rules) => rules.usersPerCall));

function createQueue(concurrency: number, metrics: Metrics, log: Logger): WorkQueue {
  return new WorkQueue({
    concurrency,
    // Two whole calls' worth of riders per worker (one being written while the next call fills):
    // results waiting for their status writes stay bounded, so shutdown records them in seconds
    // and a crash repeats only their few combined calls.
    maxRiding: 2 * concurrency * MOST_USERS_PER_CALL,
    onError: (key, error) => log.error({ roomban: key, err: describeError(error) }, 'reconcile threw; retrying with backoff'),
    onDepthChange: (depth) => metrics.workqueueDepth.set(depth),
    onProcessed: (_key, durationMs, outcome) => {
      metrics.reconcileTotal.inc({ result: outcome });
      metrics.reconcileDuration.observe(durationMs / 1000);
      if (outcome !== 'success') metrics.workqueueRetries.inc();
    },
  });
}

/** /metrics, and /healthz + /readyz (ready = every cache listed and its watch up; leadership aside, as in controller-runtime). */
async function startServers(options: OperatorOptions, registry: Parameters<typeof metricsRoute>[0], watches: Watches) {
  const metricsServer = await startHttpServer({ address: options.metricsBindAddress, routes: { '/metrics': metricsRoute(registry) } });
  const health = healthRoutes({ live: { ping: () => true }, ready: watches.health() });
  const healthServer = await startHttpServer({ address: options.healthProbeBindAddress, routes: health });
  return [metricsServer, healthServer].filter((s): s is NonNullable<typeof s> => s !== undefined && s !== null);
}

/**
 * Whether an event can change what the reconciler does (controller-runtime's GenerationChanged or
 * AnnotationChanged predicates). Status-only updates — mostly our own writes — are skipped: they
 * would requeue a key at once and defeat its backoff after a failed call (kubernetes#132805).
 */
export function desiredStateChanged(old: RoomBan | undefined, ban: RoomBan): boolean {
  if (!old) return true;
  const before = old.metadata;
  const after = ban.metadata;
  return before.generation !== after.generation
    || before.deletionTimestamp !== after.deletionTimestamp
    || JSON.stringify(before.annotations ?? {}) !== JSON.stringify(after.annotations ?? {});
}
