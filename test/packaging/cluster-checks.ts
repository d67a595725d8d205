// Checks against the test control plane shared by the packaging tests: server-side dry-runs,
// Pod Security admission, and the ServiceMonitor CRD fixture.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freshNamespace, type TestCluster } from '../harness/cluster.ts';
import { FIXTURES_DIR, type Manifest, type PodSpec, toYamlStream } from './chart.ts';

let serviceMonitorCrd: Promise<void> | undefined;

/** Installs the minimal ServiceMonitor CRD fixture once per run (the Prometheus Operator is not installed). */
export function installServiceMonitorCrd(c: TestCluster): Promise<void> {
  serviceMonitorCrd ??= (async () => {
    const file = join(FIXTURES_DIR, 'servicemonitor-crd.yaml');
    const applied = await c.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(applied.code, 0, applied.stderr);
    const wait = await c.kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', file]);
    assert.equal(wait.code, 0, wait.stderr);
  })();
  return serviceMonitorCrd;
}

/** `kubectl apply --dry-run=server`: every object must be accepted, with no Pod Security warning. */
export async function dryRunServer(c: TestCluster, manifests: Manifest[]): Promise<void> {
  const result = await c.kubectl(['apply', '--dry-run=server', '-f', '-'], { input: toYamlStream(manifests) });
  assert.equal(result.code, 0, `the API server refused the render:\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /PodSecurity|would violate/i, result.stderr);
}

/** Dry-runs the pod template as a Pod in a namespace that enforces the restricted Pod Security profile. */
export async function assertRestrictedPod(c: TestCluster, podSpec: PodSpec): Promise<void> {
  const namespace = await freshNamespace(c, 'restricted');
  const label = await c.kubectl(['label', 'namespace', namespace, 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/enforce-version=latest']);
  assert.equal(label.code, 0, label.stderr);
  const pod = (spec: unknown): Manifest => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'operator', namespace }, spec });
  // The namespace really enforces: a pod with no security context is refused.
  const bare = await c.kubectl(['apply', '--dry-run=server', '-f', '-'], {
    input: toYamlStream([pod({ containers: [{ name: 'bare', image: 'example.invalid/bare:1' }] })]) });
  assert.notEqual(bare.code, 0, 'PodSecurity admission did not refuse a bare pod: the check below would prove nothing');
  assert.match(bare.stderr, /violates PodSecurity "restricted/);
  const result = await c.kubectl(['apply', '--dry-run=server', '-f', '-'], { input: toYamlStream([pod(podSpec)]) });
  assert.equal(result.code, 0, `the pod template violates the restricted profile:\n${result.stderr}`);
}
