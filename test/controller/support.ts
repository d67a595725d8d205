// Shared setup for the operator's integration tests: the real control plane, the CRDs, the three
// vendor simulators, and an operator process per test scoped to the test's namespace.

import type { VendorName } from '../../src/api/types.ts';
import { type AllSimulators, startAllSimulators, type VendorSimulator } from '../../src/sandbox/index.ts';
import { freshNamespace, installCrds, type TestCluster, testCluster } from '../harness/cluster.ts';
import { Fixtures } from '../../support/fixtures.ts';
import { type OperatorProcess, type OperatorProcessOptions, startOperatorProcess } from '../../support/operator-process.ts';

export interface Env {
  cluster: TestCluster;
  sims: AllSimulators;
  fx: Fixtures;
  operators: OperatorProcess[];
}

/** Registers before/after hooks in the calling suite and returns the environment they fill. */
export function useOperatorEnv(): Env {
  const env = { operators: [] } as unknown as Env;
  before(async function () {
    this.timeout(180_000);
    env.cluster = await testCluster();
    await installCrds(env.cluster);
    env.sims = await startAllSimulators({ seed: 7 });
    env.fx = new Fixtures(env.cluster.admin);
  });
  afterEach(async () => {
    await Promise.all(env.operators.splice(0).map((op) => op.stop('SIGKILL')));
    env.sims.trtc.faults.clear();
    env.sims.chat.faults.clear();
    env.sims.volcengine.faults.clear();
  });
  after(async () => {
    await env.sims?.close();
  });
  return env;
}

export async function namespaceWithOperator(env: Env, options: Partial<OperatorProcessOptions> = {}): Promise<{ ns: string; op: OperatorProcess }> {
  const ns = await freshNamespace(env.cluster);
  const op = await startOperator(env, { namespaces: [ns], ...options });
  return { ns, op };
}

export async function startOperator(env: Env, options: Partial<OperatorProcessOptions>): Promise<OperatorProcess> {
  const op = await startOperatorProcess({ kubeconfig: env.cluster.adminKubeconfigPath, ...options });
  env.operators.push(op);
  return op;
}

export function simulatorFor(env: Env, vendor: VendorName): VendorSimulator {
  return vendor === 'tencentTRTC' ? env.sims.trtc : vendor === 'tencentChat' ? env.sims.chat : env.sims.volcengine;
}

export function callsFor(sim: VendorSimulator, roomId: string) {
  return sim.calls.filter((call) => call.roomId === roomId);
}

export function users(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}
