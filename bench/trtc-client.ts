// Benchmark: our TencentTrtcClient vs the official tencentcloud-sdk-nodejs TRTC client, against the
// same TRTC simulator (cap lifted, in a child process so CPU figures are the clients' own).
// Prints calls/second and CPU per call for each, and the ours/official ratios: calls per CPU-second
// (target >= 2.0, issue #13) and calls per wall-clock second; the last line is JSON.
//
//   scripts/node24 node bench/trtc-client.ts [calls=3000] [concurrency=32] [rounds=3]
//
// The official SDK can only be pointed at a host[:port] plus a protocol, and derives the signing
// service from the endpoint's first label, so it is given endpoint
// "trtc.tencentcloudapi.com:<port>" over http with an agent whose DNS lookup answers 127.0.0.1.

import { spawn } from 'node:child_process';
import { Agent as HttpAgent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { createInterface } from 'node:readline';
import * as tencentcloud from 'tencentcloud-sdk-nodejs';
import { createVendorClient } from '../src/vendors/factory.ts';
import { createVendorRuntime } from '../src/vendors/runtime.ts';

const CALLS = Number(process.argv[2] ?? 3000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const ROUNDS = Number(process.argv[4] ?? 3);
const ACCOUNT = { sdkAppId: 1400000001, secretId: 'AKIDbenchmark', secretKey: 'benchmark-secret-key' };
const REGION = 'ap-guangzhou';

interface Measurement {
  callsPerSecond: number;
  cpuMicrosPerCall: number;
  failures: number;
}

type RemoveOne = (userId: string) => Promise<boolean>;

async function startSimulatorProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [new URL('./support/trtc-simulator-process.ts', import.meta.url).pathname, JSON.stringify([ACCOUNT])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  const { url } = JSON.parse(first) as { url: string };
  return { url, stop: () => child.stdin.end() };
}

async function measure(removeOne: RemoveOne, calls: number, concurrency: number): Promise<Measurement> {
  let next = 0;
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < calls) {
      const index = next;
      next += 1;
      if (!(await removeOne(`user${index % 5000}`))) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { callsPerSecond: calls / seconds, cpuMicrosPerCall: (cpu.user + cpu.system) / calls, failures };
}

function oursFactory(url: string): { removeOne: RemoveOne; close: () => Promise<void> } {
  // The simulator's cap is lifted, so ours is too: this measures the client, not the limiter.
  const runtime = createVendorRuntime({ capOverrides: { tencentTRTC: 1_000_000 } });
  const client = createVendorClient(
    { vendor: 'tencentTRTC', sdkAppId: ACCOUNT.sdkAppId, region: REGION, endpoint: url, credentials: ACCOUNT },
    runtime,
  );
  return {
    removeOne: async (userId) => {
      const [result] = await client.removeUsers({ roomId: 'bench-room', roomIdType: 'String', userIds: [userId], reason: '' });
      return result?.outcome === 'Removed';
    },
    close: () => runtime.close(),
  };
}

function officialFactory(url: string): { removeOne: RemoveOne; close: () => Promise<void> } {
  const port = new URL(url).port;
  const toLoopback: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
  // Same socket budget as ours (undici's default pool here is 64 per origin).
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 64, lookup: toLoopback });
  const TrtcClient = tencentcloud.trtc.v20190722.Client;
  const client = new TrtcClient({
    credential: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey },
    region: REGION,
    profile: { httpProfile: { endpoint: `trtc.tencentcloudapi.com:${port}`, protocol: 'http://', agent } },
  });
  return {
    removeOne: async (userId) => {
      try {
        await client.RemoveUserByStrRoomId({ SdkAppId: ACCOUNT.sdkAppId, RoomId: 'bench-room', UserIds: [userId] });
        return true;
      } catch {
        return false;
      }
    },
    close: async () => agent.destroy(),
  };
}

function format(m: Measurement): string {
  return `${m.callsPerSecond.toFixed(0).padStart(6)} calls/s  ${m.cpuMicrosPerCall.toFixed(1).padStart(7)} µs CPU/call  ${m.failures} failures`;
}

async function main(): Promise<void> {
  const simulator = await startSimulatorProcess();
  const ours = oursFactory(simulator.url);
  const official = officialFactory(simulator.url);
  try {
    // Warm-up: JIT, sockets, TLS-free keep-alive pools on both sides.
    await measure(ours.removeOne, 500, CONCURRENCY);
    await measure(official.removeOne, 500, CONCURRENCY);
    const results: { ours: Measurement[]; official: Measurement[] } = { ours: [], official: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate the order so neither side always runs on a warmer machine.
      const order = round % 2 === 0 ? (['ours', 'official'] as const) : (['official', 'ours'] as const);
      for (const side of order) {
        const m = await measure(side === 'ours' ? ours.removeOne : official.removeOne, CALLS, CONCURRENCY);
        results[side].push(m);
        console.log(`round ${round + 1} ${side.padEnd(8)} ${format(m)}`);
      }
    }
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const oursRate = median(results.ours.map((m) => m.callsPerSecond));
    const officialRate = median(results.official.map((m) => m.callsPerSecond));
    const oursCpu = median(results.ours.map((m) => m.cpuMicrosPerCall));
    const officialCpu = median(results.official.map((m) => m.cpuMicrosPerCall));
    console.log(`\n${CALLS} calls x ${ROUNDS} rounds, concurrency ${CONCURRENCY}, medians:`);
    console.log(`ours      ${oursRate.toFixed(0)} calls/s, ${oursCpu.toFixed(1)} µs CPU/call`);
    console.log(`official  ${officialRate.toFixed(0)} calls/s, ${officialCpu.toFixed(1)} µs CPU/call`);
    console.log(`calls per CPU-second ratio ours/official: ${(officialCpu / oursCpu).toFixed(2)} (target >= 2.0)`);
    console.log(`throughput ratio ours/official: ${(oursRate / officialRate).toFixed(2)} (calls per wall-clock second)`);
    console.log(JSON.stringify({
      bench: 'client', vendor: 'tencentTRTC', calls: CALLS, rounds: ROUNDS, concurrency: CONCURRENCY,
      oursCallsPerSecond: Math.round(oursRate), officialCallsPerSecond: Math.round(officialRate),
      oursCpuMicrosPerCall: +oursCpu.toFixed(1), officialCpuMicrosPerCall: +officialCpu.toFixed(1),
      callsPerCpuSecondRatio: +(officialCpu / oursCpu).toFixed(2), throughputRatio: +(oursRate / officialRate).toFixed(2),
      targetCallsPerCpuSecondRatio: 2, ok: officialCpu / oursCpu >= 2,
    }));
  } finally {
    await ours.close();
    await official.close();
    simulator.stop();
  }
}

await main();
