// Operator benchmarks (issue #4), each measured in one run and printed as ratios:
//   throughput  RoomBans at the vendor cap: achieved call rate / cap, and rate-limit rejections;
//               the CPU each component used; for one-call bans also the API floor (the same API
//               writes with no operator) and the rate as a ratio to min(cap, floor)
//   latency     create -> Ready for one RoomBan (zero-latency simulator), p50/p99, as a ratio to a
//               bare create + status-patch round trip measured in the same run
//   scale       operator start with N RoomBans already Ready: time to caught-up, vendor calls,
//               status writes, peak RSS
//   bans        the throughput run for bans that hold (spec.duration): Chat ban_room_member at
//               200/s, Volcengine BanRoomUser at 40/s; ratio to min(ban cap, API floor), where the
//               floor also patches the finalizer a ban needs
//   raid        1,000 single-user RoomBans on one room (TRTC, Chat), batched across RoomBans and
//               not, in the same process: vendor calls vs ceil(1000 / per-call size), time to all
//               Ready (as a watch sees it) as a ratio to the unbatched run (target <= 0.15 for
//               TRTC); the Events' lag behind it; the API floors (write + Event, writes alone)
//   efficiency  status writes per RoomBan vs vendor calls + 2 (from the throughput run)
//   client      bench/trtc-client.ts in its own process: our TRTC client against the official SDK,
//               calls per CPU-second ratio (target >= 2)
// Usage: scripts/node24 node bench/operator-bench.ts [all|throughput|bans|raid|latency|scale|client, or several joined by +]
//        [--quick] [--vendor=tencentTRTC|tencentChat|volcengineRTC] [--scale-sizes=1000,10000,100000]

import { CustomObjectsApi, type KubeConfig, Watch } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { API_VERSION, GROUP, type RoomBan, type RoomBanSpec, type RoomProvider, VERSION, type VendorName } from '../src/api/types.ts';
import { inputsVersionOf } from '../src/controller/providers.ts';
import { prepareStatus, recordResults, targetFor, transitionEvents } from '../src/reconcile/index.ts';
import { KubeApi } from '../src/controller/kube-api.ts';
import { PooledKubeConfig } from '../src/controller/pooled-kube-config.ts';
import { SANDBOX_ACCOUNTS } from '../src/sandbox/index.ts';
import { chartNodeOptions, startOperatorProcess, sumMetric } from '../support/operator-process.ts';
import { startLocalCluster } from '../src/devcluster/local-cluster.ts';
import { startOperator } from '../src/controller/operator.ts';
import { createLogger } from '../src/observability/logger.ts';
import { type AllSimulators, startAllSimulators, type VendorSimulator } from '../src/sandbox/index.ts';
import { Fixtures, isReady } from '../support/fixtures.ts';
import { runCommand } from '../support/run-command.ts';
import { kubeTools, PROJECT_ROOT } from '../src/devcluster/binaries.ts';
import { DOCUMENTED_CAPS, type VendorRuntimeOptions } from '../src/vendors/runtime.ts';
import { VENDOR_RULES } from '../src/api/vendor-rules.ts';

const quick = process.argv.includes('--quick');
const which = process.argv[2] ?? 'all';
// One scenario, several joined by "+" (e.g. client+latency+scale), or all of them.
const runs = (scenario: string): boolean => which === 'all' || which.split('+').includes(scenario);
const only = process.argv.find((a) => a.startsWith('--vendor='))?.slice('--vendor='.length);
// --scale-sizes=1000,10000,100000: the Ready RoomBans the scale run starts the operator with, in turn.
const scaleSizes = (process.argv.find((a) => a.startsWith('--scale-sizes='))?.slice('--scale-sizes='.length).split(',').map(Number)
  ?? (quick ? [1000, 10_000] : [1000, 10_000, 100_000])).sort((a, b) => a - b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ctx {
  kc: KubeConfig;
  pids: { etcd: number | undefined; kubeApiserver: number | undefined };
  kubeconfigPath: string;
  /** The cluster's etcd (plain HTTP on loopback), for the scale setup. */
  etcdUrl: string;
  fx: Fixtures;
  sims: AllSimulators;
}

async function main(): Promise<void> {
  // First, on a quiet machine: it measures CPU per call and needs no cluster.
  if (runs('client')) await clientBench();
  if (!runs('throughput') && !runs('bans') && !runs('raid') && !runs('latency') && !runs('scale')) return;
  const cluster = await startLocalCluster();
  const sims = await startAllSimulators({ seed: 3 });
  try {
    const kc = cluster.kubeConfig('admin');
    const install = await runCommand(kubeTools().kubectl, ['apply', '--server-side', '-f', `${PROJECT_ROOT}/crds`], { kubeconfig: cluster.kubeconfigPath('admin') });
    if (install.code !== 0) throw new Error(install.stderr);
    await runCommand(kubeTools().kubectl, ['wait', '--for=condition=Established', '-f', `${PROJECT_ROOT}/crds`], { kubeconfig: cluster.kubeconfigPath('admin') });
    const ctx: Ctx = { kc, pids: cluster.pids, kubeconfigPath: cluster.kubeconfigPath('admin'), etcdUrl: cluster.etcdUrl, fx: new Fixtures(kc), sims };
    if (runs('throughput')) {
      const sizes: [VendorName, number, number][] = [
        ['tencentTRTC', quick ? 200 : 1000, 10], ['tencentChat', quick ? 400 : 3000, 20], ['volcengineRTC', quick ? 100 : 300, 10],
      ];
      for (const [vendor, bans, users] of sizes) if (!only || only === vendor) await throughput(ctx, vendor, bans, users);
    }
    if (runs('bans')) {
      const sizes: [VendorName, number, number][] = [['tencentChat', quick ? 400 : 3000, 20], ['volcengineRTC', quick ? 100 : 300, 1]];
      for (const [vendor, bans, users] of sizes) if (!only || only === vendor) await throughput(ctx, vendor, bans, users, '24h');
    }
    if (runs('raid')) for (const vendor of ['tencentTRTC', 'tencentChat'] as const) if (!only || only === vendor) await raid(ctx, vendor, quick ? 200 : 1000);
    if (runs('latency')) await latency(ctx, quick ? 20 : 100);
    if (runs('scale')) await scale(ctx, scaleSizes);
  } finally {
    await sims.close();
    await cluster.stop();
  }
}

/** bench/trtc-client.ts as a child process (its CPU figures are its own), its output passed through. */
async function clientBench(): Promise<void> {
  const args = quick ? ['1000', '32', '3'] : [];
  const run = await runCommand(process.execPath, [`${PROJECT_ROOT}/bench/trtc-client.ts`, ...args]);
  process.stdout.write(run.stdout);
  if (run.code !== 0) throw new Error(`bench/trtc-client.ts failed (${run.code}): ${run.stderr}`);
}

async function namespace(ctx: Ctx, name: string): Promise<string> {
  await ctx.fx.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

function simFor(ctx: Ctx, vendor: VendorName): VendorSimulator {
  return vendor === 'tencentTRTC' ? ctx.sims.trtc : vendor === 'tencentChat' ? ctx.sims.chat : ctx.sims.volcengine;
}

async function createBans(ctx: Ctx, ns: string, provider: string, sim: VendorSimulator, count: number, usersPerBan: number, duration?: string): Promise<void> {
  const users = Array.from({ length: usersPerBan }, (_, u) => `u${u}`);
  await inParallel(16, count, async (i) => {
    sim.addMembers(`room-${i}`, users);
    await ctx.fx.ban(ns, `ban-${i}`, { providerRef: { name: provider }, roomId: `room-${i}`, users, reason: 'bench', ...(duration === undefined ? {} : { duration }) });
  });
}

/**
 * The API work every single-call RoomBan needs at the least, with no operator: one status write (its
 * results, durable) and one Event (UsersRemoved), for `count` fresh bans of `usersPerBan` users, at
 * `concurrency`, through the operator's own client (KubeApi, pooled connections). Its rate is the
 * most this machine's API server can take alongside the benchmark: the ceiling for calls per second.
 * `events: false` measures the status writes alone.
 */
async function apiFloor(ctx: Ctx, vendor: VendorName, count: number, usersPerBan: number, concurrency: number, banning = false, events = true): Promise<{ rate: number; apiServerMsPerCall: number }> {
  const ns = await namespace(ctx, `floor-${floors++}-${vendor.toLowerCase()}${banning ? '-bans' : ''}${events ? '' : '-writes'}`);
  const users = Array.from({ length: usersPerBan }, (_, u) => `u${u}`);
  const created = await inParallel(16, count, (i) => ctx.fx.ban(ns, `floor-${i}`, { providerRef: { name: 'absent' }, roomId: `floor-${i}`, users, reason: 'bench' }));
  const api = new KubeApi(PooledKubeConfig.from(ctx.kc));
  const target = targetFor(created[0]!.spec, `${vendor}/bench`);
  const start = performance.now();
  const cpu = cpuMeter(ctx);
  await inParallel(concurrency, count, async (i) => {
    // A ban also needs its finalizer before its call (a merge patch of metadata.finalizers).
    const ban = banning ? await api.setFinalizers(created[i]!, ['roomban.io/unban']) : created[i]!;
    const now = new Date();
    const prepared = prepareStatus(ban, { generation: 1, target: { ...target, roomId: ban.spec.roomId }, inputsVersion: '1/1' }, now);
    const results = users.map((userId) => ({ userId, outcome: 'Removed' as const, code: '', message: '', requestId: `${randomUUID()}` }));
    const status = recordResults(prepared, results, now, 1);
    const written = await api.replaceStatus(ban, status);
    if (events) for (const event of transitionEvents(ban.status, status)) await api.createEvent(written, event, 'bench');
  });
  const rate = count / ((performance.now() - start) / 1000);
  return { rate, apiServerMsPerCall: msPerCall(cpu().kubeApiserver, rate) };
}

/** Floors measured so far in this run: each gets a namespace of its own. */
let floors = 0;

/** CPU milliseconds per call of a component that used `cores` while calls went at `rate` per second. */
function msPerCall(cores: number, rate: number): number {
  return +((cores * 1000) / rate).toFixed(2);
}

/** Runs `task(0..count-1)` with at most `concurrency` at once; the results in index order. */
async function inParallel<T>(concurrency: number, count: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

interface RunOptions {
  /** Batching across RoomBans (default on). */
  combineCalls?: boolean;
  /** E.g. caps lifted, for a run that measures the operator rather than a vendor's quota. */
  vendorRuntime?: VendorRuntimeOptions;
}

async function runOperator<T>(ctx: Ctx, ns: string, concurrency: number, body: (metrics: () => Promise<string>) => Promise<T>, options: RunOptions = {}): Promise<T> {
  const stop = new AbortController();
  const op = await startOperator({
    kubeConfig: ctx.kc, namespaces: [ns], concurrency, leaderElect: false, leaderElectionNamespace: ns, leaderElectionId: 'x',
    combineCalls: options.combineCalls ?? true, ...(options.vendorRuntime ? { vendorRuntime: options.vendorRuntime } : {}),
    metricsBindAddress: '127.0.0.1:0', healthProbeBindAddress: '127.0.0.1:0', allowCustomEndpoints: true, log: createLogger({ level: 'error' }),
  }, stop.signal);
  try {
    return await body(async () => (await fetch(`${op.metricsUrl}/metrics`)).text());
  } finally {
    stop.abort();
    await op.done;
  }
}

/** Kicks (no duration) at the removal cap, or bans that hold (`duration`) at the ban action's cap. */
async function throughput(ctx: Ctx, vendor: VendorName, bans: number, usersPerBan: number, duration?: string): Promise<void> {
  const banRules = VENDOR_RULES[vendor].ban;
  const banning = duration !== undefined && banRules !== undefined;
  const ns = await namespace(ctx, `tp-${vendor.toLowerCase()}${banning ? '-bans' : ''}`);
  const sim = simFor(ctx, vendor);
  const provider = await ctx.fx.vendorProvider(ns, vendor, sim.url);
  await createBans(ctx, ns, provider, sim, bans, usersPerBan, duration);
  sim.clearCalls();
  const rejectionsBefore = sim.rateLimitRejections;
  const cap = banning ? banRules.actions.ban.requestsPerSecond : DOCUMENTED_CAPS[vendor];
  const perCall = banning ? banRules.usersPerBan : VENDOR_RULES[vendor].usersPerCall;
  const concurrency = Math.max(10, Math.ceil(cap / 4));
  const floor = usersPerBan <= perCall ? await apiFloor(ctx, vendor, Math.min(bans, 1000), usersPerBan, concurrency, banning) : undefined;
  const cpu = cpuMeter(ctx);
  // Poll the operator's metrics, not the API server: listing every ban twice a second would load
  // the API server more than the operator does.
  const result = await runOperator(ctx, ns, concurrency, async (metrics) => {
    for (;;) {
      const text = await metrics();
      if (sumMetric(text, 'roomban_users_removed_total') >= bans * usersPerBan) return text;
      await sleep(250);
    }
  });
  const coresUsed = cpu();
  const ready = (await ctx.fx.listBans(ns)).filter(isReady).length;
  const calls = sim.calls;
  const seconds = (calls[calls.length - 1]!.time - calls[0]!.time) / 1000;
  const rate = (calls.length - 1) / seconds;
  const writes = sumMetric(result, 'roomban_status_writes_total', 'result="ok"');
  console.log(JSON.stringify({
    bench: banning ? 'bans' : 'throughput', vendor, ...(banning ? { action: banRules.actions.ban.name, duration } : {}), bans, usersPerBan, vendorCalls: calls.length, seconds: +seconds.toFixed(1),
    achievedPerSecond: +rate.toFixed(2), cap, ratioToCap: +(rate / cap).toFixed(3), rateLimitRejections: sim.rateLimitRejections - rejectionsBefore,
    readyBans: ready, statusWritesPerBan: +(writes / bans).toFixed(2), vendorCallsPerBan: +(calls.length / bans).toFixed(2),
    efficiencyOk: writes / bans <= calls.length / bans + 2, coresUsed, coresAvailable: availableParallelism(),
    apiServerMsPerCall: msPerCall(coresUsed.kubeApiserver, rate),
    ...(floor === undefined ? {} : {
      apiFloorPerSecond: +floor.rate.toFixed(1), apiFloorApiServerMsPerCall: floor.apiServerMsPerCall,
      ceilingPerSecond: +Math.min(cap, floor.rate).toFixed(1), ratioToCeiling: +(rate / Math.min(cap, floor.rate)).toFixed(3),
      ceilingNote: 'apiFloor: the least API work per call (1 status write + 1 Event) done with no operator, same client and concurrency; ceiling = min(cap, apiFloor)',
    }),
  }));
}

/**
 * A raid reported as `count` single-user RoomBans on one room: the operator with batching across
 * RoomBans and without, one after the other in this process, same concurrency and vendor cap.
 */
async function raid(ctx: Ctx, vendor: 'tencentTRTC' | 'tencentChat', count: number): Promise<void> {
  const sim = simFor(ctx, vendor);
  const perCall = VENDOR_RULES[vendor].usersPerCall;
  const concurrency = Math.max(4 * perCall, Math.ceil(DOCUMENTED_CAPS[vendor] / 4));
  const run = async (combine: boolean) => {
    const ns = await namespace(ctx, `raid-${vendor.toLowerCase()}-${combine ? 'batched' : 'alone'}`);
    const provider = await ctx.fx.vendorProvider(ns, vendor, sim.url);
    const room = `raid-room-${ns}`;
    const users = Array.from({ length: count }, (_, i) => `r${i}`);
    sim.addMembers(room, users);
    await inParallel(16, count, (i) => ctx.fx.ban(ns, `report-${i}`, { providerRef: { name: provider }, roomId: room, users: [users[i]!], reason: 'raid' }));
    const rejectionsBefore = sim.rateLimitRejections;
    // All Ready as a watch sees it (not the operator's own count of vendor answers, which comes
    // before the status writes); then the Events, which the operator sends behind the writes.
    const ready = new Set<string>();
    let allReady = (): void => {};
    const readyDone = new Promise<void>((resolve) => (allReady = resolve));
    const watch = await keepWatching(ctx, ns, (_type, ban) => {
      if (isReady(ban)) ready.add(ban.metadata.name);
      if (ready.size >= count) allReady();
    });
    const start = performance.now();
    const startedAt = Date.now();
    const cpu = cpuMeter(ctx);
    let eventsSeconds = 0;
    let statusWrites = 0;
    await runOperator(ctx, ns, concurrency, async (metrics) => {
      await readyDone;
      const readyAt = performance.now();
      statusWrites = sumMetric(await metrics(), 'roomban_status_writes_total');
      while ((await usersRemovedEvents(ctx, ns)) < count) await sleep(250);
      eventsSeconds = (performance.now() - readyAt) / 1000;
    }, { combineCalls: combine });
    const seconds = (performance.now() - start) / 1000 - eventsSeconds;
    watch.stop();
    const coresUsed = cpu();
    const calls = sim.calls.filter((call) => call.roomId === room);
    const requestIds = new Set(calls.filter((call) => call.code === '').map((call) => call.requestId));
    const bans = await ctx.fx.listBans(ns);
    const valid = bans.filter((ban) => isReady(ban) && requestIds.has(ban.status?.users?.[0]?.requestId ?? '')).length;
    const lastCallSeconds = +((Math.max(...calls.map((call) => call.time)) - startedAt) / 1000).toFixed(2);
    return { seconds, lastCallSeconds, calls: calls.length, statusWrites, rateLimitRejections: sim.rateLimitRejections - rejectionsBefore, readyWithValidRequestId: valid, eventsAfterReadySeconds: +eventsSeconds.toFixed(2), coresUsed };
  };
  const alone = await run(false);
  const batched = await run(true);
  const floor = await apiFloor(ctx, vendor, count, 1, concurrency);
  // The operator sends Events behind the status writes: the writes alone are its floor to Ready.
  const writesFloor = await apiFloor(ctx, vendor, count, 1, concurrency, false, false);
  const floorCalls = Math.ceil(count / perCall);
  console.log(JSON.stringify({
    bench: 'raid', vendor, roomBans: count, usersPerRoomBan: 1, perCall, concurrency,
    batched: { ...batched, seconds: +batched.seconds.toFixed(2) }, unbatched: { ...alone, seconds: +alone.seconds.toFixed(2) },
    callsRatioToMinimum: +(batched.calls / floorCalls).toFixed(3), callsTarget: 1.1,
    timeRatioToUnbatched: +(batched.seconds / alone.seconds).toFixed(3), ...(vendor === 'tencentTRTC' ? { timeTarget: 0.15 } : {}),
    apiFloorSeconds: +(count / floor.rate).toFixed(2), apiFloorApiServerMsPerRoomBan: floor.apiServerMsPerCall,
    statusWritesFloorSeconds: +(count / writesFloor.rate).toFixed(2), timeRatioToStatusWritesFloor: +(batched.seconds / (count / writesFloor.rate)).toFixed(3),
    floorNote: 'apiFloor: 1 status write + 1 Event per RoomBan, no operator; statusWritesFloor: the status writes alone (the operator sends Events behind them)',
  }));
}

/** The UsersRemoved Events in `ns`. */
async function usersRemovedEvents(ctx: Ctx, ns: string): Promise<number> {
  const events = await ctx.fx.core.listNamespacedEvent({ namespace: ns, fieldSelector: 'reason=UsersRemoved' });
  return events.items.length;
}

/**
 * CPU used per component from now until the returned function is called, in cores (CPU seconds per
 * second): shows which process a throughput run is bound by. "bench" is this process: the operator,
 * the simulators and the benchmark's own polling.
 */
function cpuMeter(ctx: Ctx): () => { kubeApiserver: number; etcd: number; bench: number } {
  const processSeconds = (pid: number | undefined): number => {
    if (pid === undefined) return 0;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  };
  const sample = () => ({
    kubeApiserver: processSeconds(ctx.pids.kubeApiserver), etcd: processSeconds(ctx.pids.etcd),
    bench: cpuSeconds(process.cpuUsage()), wall: performance.now() / 1000,
  });
  const start = sample();
  return () => {
    const end = sample();
    const cores = (key: 'kubeApiserver' | 'etcd' | 'bench') => +((end[key] - start[key]) / (end.wall - start.wall)).toFixed(2);
    return { kubeApiserver: cores('kubeApiserver'), etcd: cores('etcd'), bench: cores('bench') };
  };
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * create -> Ready of one RoomBan at a time (zero-latency simulator), against its floor measured in
 * the same run, sample for sample in turn: a bare controller in this process (a client-node watch
 * that, on ADDED, writes the Ready status the operator would write through the same pooled client)
 * gives create + one watch delivery + one status write + one watch delivery back. Both are timed
 * by the same observer watch, from before the create to the event that shows Ready.
 */
async function latency(ctx: Ctx, samples: number): Promise<void> {
  const ns = await namespace(ctx, 'latency');
  const floorNs = await namespace(ctx, 'latency-floor');
  const sim = ctx.sims.trtc;
  sim.faults.clear();
  const provider = await ctx.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
  const bare = await bareController(ctx, floorNs);
  const create = PooledKubeConfig.from(ctx.kc).makeApiClient(CustomObjectsApi);
  const createBan = (namespace: string, name: string, spec: RoomBanSpec) =>
    create.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'roombans', body: { apiVersion: API_VERSION, kind: 'RoomBan', metadata: { name }, spec } });
  const floor: number[] = [];
  // The floor has no vendor call, so neither the simulator's cap nor the operator's bucket may add
  // a token wait to the operator's samples (they come every ~50 ms, TRTC's 20/s).
  sim.setRequestsPerSecond(Number.POSITIVE_INFINITY);
  const measured = await runOperator(ctx, ns, 10, async () => {
    await sleep(1000);
    const readyAt = await watchReady(ctx, ns);
    const floorReadyAt = await watchReady(ctx, floorNs);
    const time = async (watch: typeof readyAt, namespace: string, name: string, spec: RoomBanSpec) => {
      const start = performance.now();
      const ready = watch.next(name);
      await createBan(namespace, name, spec);
      return (await ready) - start;
    };
    // Warm both paths (connections, JIT) before measuring.
    for (let i = 0; i < 3; i++) {
      sim.addMembers(`w${i}`, ['u']);
      await time(readyAt, ns, `warm-${i}`, { providerRef: { name: provider }, roomId: `w${i}`, users: ['u'] });
      await time(floorReadyAt, floorNs, `warm-${i}`, { providerRef: { name: provider }, roomId: `w${i}`, users: ['u'] });
    }
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      sim.addMembers(`l${i}`, ['u']);
      floor.push(await time(floorReadyAt, floorNs, `floor-${i}`, { providerRef: { name: provider }, roomId: `f${i}`, users: ['u'] }));
      times.push(await time(readyAt, ns, `lat-${i}`, { providerRef: { name: provider }, roomId: `l${i}`, users: ['u'] }));
    }
    readyAt.stop();
    floorReadyAt.stop();
    return times;
  }, { vendorRuntime: { capOverrides: { tencentTRTC: 1_000_000 } } });
  sim.setRequestsPerSecond(DOCUMENTED_CAPS.tencentTRTC);
  bare.stop();
  const [p50, p99, floor50, floor99] = [percentile(measured, 50), percentile(measured, 99), percentile(floor, 50), percentile(floor, 99)];
  console.log(JSON.stringify({
    bench: 'latency', samples, createToReadyP50ms: +p50.toFixed(1), createToReadyP99ms: +p99.toFixed(1),
    floorP50ms: +floor50.toFixed(1), floorP99ms: +floor99.toFixed(1),
    ratioP50: +(p50 / floor50).toFixed(2), ratioP99: +(p99 / floor99).toFixed(2), targetRatioP50: 1.3, ok: p50 / floor50 <= 1.3,
    note: 'floor = create + watch delivery to a bare controller + its status write + watch delivery back, measured in turn with the operator; Ready seen by the same kind of observer watch',
  }));
}

/**
 * The least a controller can do between a create and Ready: a watch that, on ADDED, writes the Ready
 * status (the core's prepare + record, as the operator would) through the operator's own pooled
 * client. No provider lookup, no vendor call, no Event.
 */
async function bareController(ctx: Ctx, ns: string): Promise<{ stop: () => void }> {
  const api = new KubeApi(PooledKubeConfig.from(ctx.kc));
  return keepWatching(ctx, ns, (type, ban) => {
    if (type !== 'ADDED' || isReady(ban)) return;
    const now = new Date();
    const prepared = prepareStatus(ban, { generation: 1, target: targetFor(ban.spec, `tencentTRTC/${SANDBOX_ACCOUNTS.trtc.sdkAppId}`), inputsVersion: '1/1' }, now);
    const status = recordResults(prepared, [{ userId: 'u', outcome: 'Removed', code: '', message: '', requestId: randomUUID() }], now, 1);
    api.replaceStatus(ban, status).catch((error: unknown) => console.error(`bare controller: status write of ${ban.metadata.name} failed: ${String(error)}`));
  });
}

/**
 * A watch of the RoomBans of `ns` that is started again when it ends: the API server answers 429
 * while the watch cache of a just-installed CRD initializes, and ends watches after a while.
 */
async function keepWatching(ctx: Ctx, ns: string, onEvent: (type: string, ban: RoomBan) => void): Promise<{ stop: () => void }> {
  let stopped = false;
  let abort: AbortController | undefined;
  const start = async (): Promise<void> => {
    if (stopped) return;
    abort = await new Watch(ctx.kc).watch(`/apis/${GROUP}/${VERSION}/namespaces/${ns}/roombans`, {}, onEvent, () => void sleep(200).then(start));
  };
  await start();
  return { stop: () => { stopped = true; abort?.abort(); } };
}

/** Resolves, per ban name, with the time (performance.now) its watch event first shows Ready. */
async function watchReady(ctx: Ctx, ns: string) {
  const waiting = new Map<string, (t: number) => void>();
  const watch = await keepWatching(ctx, ns, (_type, object) => {
    const done = waiting.get(object.metadata.name);
    if (done && isReady(object)) {
      waiting.delete(object.metadata.name);
      done(performance.now());
    }
  });
  return {
    next: (name: string) => new Promise<number>((resolve) => waiting.set(name, resolve)),
    stop: () => watch.stop(),
  };
}

/**
 * Ready RoomBans s-<from>..s-<to - 1>, exactly as the operator would have left them (the same core
 * functions, the same inputsVersion). Through the API server a RoomBan costs a create and a status
 * write (the status subresource ignores status on create), about 10 ms of API-server CPU each here:
 * 100,000 would take over 20 minutes. So s-0 is made through the API, and the others are copies of
 * its stored form (managedFields and all, new name, uid, room and status) written into etcd in
 * transactions of 128; the API server's watch cache takes them in from etcd like any other write,
 * and lists and watches serve them as usual. Resolves once a list counts them all.
 */
async function createReadyBans(ctx: Ctx, ns: string, provider: string, from: number, to: number): Promise<void> {
  const pooled = PooledKubeConfig.from(ctx.kc);
  const custom = pooled.makeApiClient(CustomObjectsApi);
  const providerObj = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'roomproviders', name: provider })) as RoomProvider;
  const secret = await ctx.fx.core.readNamespacedSecret({ namespace: ns, name: `${provider}-credentials` });
  const inputsVersion = inputsVersionOf(providerObj, secret);
  const now = new Date();
  const readyStatus = (ban: RoomBan, i: number) => {
    const target = targetFor(ban.spec, `tencentTRTC/${SANDBOX_ACCOUNTS.trtc.sdkAppId}`);
    const prepared = prepareStatus(ban, { generation: 1, target, inputsVersion }, now);
    const results = ['u1', 'u2'].map((userId) => ({ userId, outcome: 'Removed' as const, code: '', message: '', requestId: `req-${i}-${userId}` }));
    return recordResults(prepared, results, now, 1);
  };
  const key = (name: string) => `/registry/${GROUP}/roombans/${ns}/${name}`;
  if (from === 0) {
    const body = { apiVersion: API_VERSION, kind: 'RoomBan', metadata: { name: 's-0' }, spec: { providerRef: { name: provider }, roomId: 's0', users: ['u1', 'u2'] } };
    const ban = (await custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'roombans', body })) as RoomBan;
    await new KubeApi(pooled).replaceStatus(ban, readyStatus(ban, 0));
    from = 1;
  }
  const stored = await etcd(ctx, '/v3/kv/range', { key: base64(key('s-0')) }) as { kvs?: { value: string }[] };
  const template = JSON.parse(Buffer.from(stored.kvs?.[0]?.value ?? '', 'base64').toString()) as RoomBan;
  if (!isReady(template)) throw new Error(`s-0 is not stored Ready under ${key('s-0')}`);
  const perTxn = 128; // etcd's default --max-txn-ops
  let revision = 0;
  await inParallel(4, Math.ceil((to - from) / perTxn), async (chunk) => {
    const success = [];
    for (let i = from + chunk * perTxn; i < Math.min(to, from + (chunk + 1) * perTxn); i++) {
      const ban: RoomBan = { ...template, metadata: { ...template.metadata, name: `s-${i}`, uid: randomUUID() }, spec: { ...template.spec, roomId: `s${i}` } };
      ban.status = readyStatus(ban, i);
      success.push({ requestPut: { key: base64(key(ban.metadata.name)), value: base64(JSON.stringify(ban)) } });
    }
    const answer = await etcd(ctx, '/v3/kv/txn', { success }) as { header?: { revision?: string } };
    revision = Math.max(revision, Number(answer.header?.revision ?? 0));
  });
  // The API server's watch cache takes the writes in at its own pace (minutes for 100,000 at
  // once, which no real cluster sees): wait until it has them all, as a long-running API server
  // would, so the operator's start measures the operator. A list at that revision answers 504
  // ("Too large resource version") until then.
  for (;;) {
    try {
      const page = (await custom.listNamespacedCustomObject({
        group: GROUP, version: VERSION, namespace: ns, plural: 'roombans', limit: 1, resourceVersion: String(revision), resourceVersionMatch: 'NotOlderThan',
      })) as { items: unknown[]; metadata?: { remainingItemCount?: number } };
      if (page.items.length + (page.metadata?.remainingItemCount ?? 0) >= to) return;
    } catch (error) {
      if ((error as { code?: number }).code !== 504) throw error;
    }
    await sleep(1000);
  }
}

async function etcd(ctx: Ctx, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${ctx.etcdUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`etcd ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

interface ScaleRow {
  readyBans: number;
  setupSeconds: number;
  setupPerSecond: number;
  timeToCaughtUpMs: number;
  /** Until every cache had listed ("caches synced"): the rest of the time to caught up is reconciling. */
  timeToSyncedMs: number;
  vendorCalls: number;
  statusWrites: number;
  peakRssMB: number;
  peakHeapUsedMB: number;
  rssAfterMB: number;
  heapUsedAfterMB: number;
}

/**
 * The operator starting with N RoomBans already Ready, for each N of `sizes` (ascending) in one
 * namespace that grows between runs: time to caught up, vendor calls, status writes, peak RSS and
 * heap. A fresh operator process (the compiled dist/, the chart's NODE_OPTIONS) per size.
 */
async function scale(ctx: Ctx, sizes: number[]): Promise<void> {
  const ns = await namespace(ctx, 'scale');
  const sim = ctx.sims.trtc;
  const provider = await ctx.fx.vendorProvider(ns, 'tencentTRTC', sim.url);
  // The chart's V8 settings (values.yaml nodeOptions), unless OPERATOR_NODE_OPTIONS says otherwise.
  const nodeOptions = process.env.OPERATOR_NODE_OPTIONS ?? chartNodeOptions();
  // Measure what the image runs: the compiled dist/ (running src/ adds Node's TypeScript stripper).
  const build = await runCommand(process.execPath, [`${PROJECT_ROOT}/node_modules/typescript/bin/tsc`, '-p', `${PROJECT_ROOT}/tsconfig.build.json`]);
  if (build.code !== 0) throw new Error(`build failed: ${build.stdout}`);
  const rows: ScaleRow[] = [];
  let created = 0;
  for (const size of sizes) {
    const setupStart = performance.now();
    await createReadyBans(ctx, ns, provider, created, size);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const added = size - created;
    created = size;
    console.error(`scale: ${added} more Ready RoomBans (${size} in all) created in ${setupSeconds.toFixed(0)} s`);
    sim.clearCalls();
    rows.push({ readyBans: size, setupSeconds: Math.round(setupSeconds), setupPerSecond: Math.round(added / setupSeconds), ...(await startupWith(ctx, ns, size, nodeOptions)) });
    console.log(JSON.stringify({ bench: 'scale', ...rows[rows.length - 1], nodeOptions }));
  }
  console.log(`\nscale: operator start with N Ready RoomBans (NODE_OPTIONS="${nodeOptions}")`);
  console.log(table(['Ready RoomBans', 'synced s', 'caught up s', 'vendor calls', 'status writes', 'peak RSS MB', 'peak heap MB', 'RSS after MB', 'heap after MB', 'setup s'],
    rows.map((r) => [r.readyBans, (r.timeToSyncedMs / 1000).toFixed(1), (r.timeToCaughtUpMs / 1000).toFixed(1), r.vendorCalls, r.statusWrites, r.peakRssMB, r.peakHeapUsedMB, r.rssAfterMB, r.heapUsedAfterMB, r.setupSeconds])));
  const largest = rows[rows.length - 1]!;
  console.log(JSON.stringify({
    bench: 'scale-targets', readyBans: largest.readyBans,
    peakRssRatioTo512MB: +(largest.peakRssMB / 512).toFixed(2), caughtUpRatioTo60s: +(largest.timeToCaughtUpMs / 60_000).toFixed(2),
    vendorCalls: largest.vendorCalls, statusWrites: largest.statusWrites,
    ok: largest.peakRssMB <= 512 && largest.timeToCaughtUpMs <= 60_000 && largest.vendorCalls === 0 && largest.statusWrites === 0,
  }));
}

async function startupWith(ctx: Ctx, ns: string, count: number, nodeOptions: string): Promise<Omit<ScaleRow, 'readyBans' | 'setupSeconds' | 'setupPerSecond'>> {
  const sim = ctx.sims.trtc;
  const start = performance.now();
  const startWall = Date.now();
  const op = await startOperatorProcess({
    kubeconfig: ctx.kubeconfigPath, entry: `${PROJECT_ROOT}/dist/cli/main.js`, namespaces: [ns], args: ['--log-level=info'], env: { NODE_OPTIONS: nodeOptions },
  });
  try {
    let text = '';
    let peakHeap = 0;
    let fetchFailures = 0;
    // Caught up: every ban reconciled once and the queue empty.
    for (;;) {
      try {
        text = await (await fetch(`${op.metricsUrl}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
      } catch (error) {
        // A keep-alive connection the server closed while its event loop was busy: ask again.
        if (op.child.exitCode === null && op.child.signalCode === null && ++fetchFailures < 10) continue;
        throw new Error(`operator metrics unreachable (exit ${op.child.exitCode} ${op.child.signalCode}): ${String(error)}\n${op.output().slice(-3000)}`);
      }
      peakHeap = Math.max(peakHeap, sumMetric(text, 'nodejs_heap_size_used_bytes'));
      if (sumMetric(text, 'roomban_reconcile_total') >= count && sumMetric(text, 'roomban_workqueue_depth') === 0) break;
      await sleep(100);
    }
    const ms = performance.now() - start;
    // The operator's own clock on its "caches synced" line: the metrics polls wait while it is busy.
    const synced = op.output().split('\n').find((line) => line.includes('"msg":"caches synced; reconciling"'));
    const syncedMs = synced === undefined ? ms : Date.parse((JSON.parse(synced) as { time: string }).time) - startWall;
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${op.child.pid}/status`, 'utf8'))?.[1] ?? 0);
    return {
      timeToCaughtUpMs: Math.round(ms), timeToSyncedMs: Math.round(syncedMs), vendorCalls: sim.calls.length, statusWrites: sumMetric(text, 'roomban_status_writes_total'),
      peakRssMB: Math.round(peakKb / 1024), peakHeapUsedMB: Math.round(peakHeap / 2 ** 20),
      rssAfterMB: Math.round(sumMetric(text, 'process_resident_memory_bytes') / 2 ** 20), heapUsedAfterMB: Math.round(sumMetric(text, 'nodejs_heap_size_used_bytes') / 2 ** 20),
    };
  } finally {
    await op.stop('SIGTERM');
  }
}

/** A plain-text table: a header row and right-aligned columns. */
function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  return cells.map((row) => row.map((cell, c) => cell.padStart(widths[c]!)).join('  ')).join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
