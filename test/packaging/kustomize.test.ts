// operator/: the kustomize base behind `kubectl apply -k operator/`.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';
import { installCrds, testCluster } from '../harness/cluster.ts';
import { KUSTOMIZE_DIR, type Manifest, deploymentSpec, findManifest, kinds, operatorArgs, operatorContainer, parseManifests, renderChart, rules } from './chart.ts';
import { assertRestrictedPod, dryRunServer } from './cluster-checks.ts';

let built: Promise<Manifest[]> | undefined;

/** `kubectl kustomize operator/` once (plain kustomize: no load-restrictor flag). */
function buildBase(): Promise<Manifest[]> {
  built ??= (async () => {
    const c = await testCluster();
    const result = await c.kubectl(['kustomize', KUSTOMIZE_DIR]);
    if (result.code !== 0) throw new Error(`kubectl kustomize operator/ failed: ${result.stderr}`);
    return parseManifests(result.stdout);
  })();
  return built;
}

describe('kustomize base operator/', function () {
  this.timeout(180_000);

  it('ships crds/ byte-identical to the repository crds/ (run charts/roomban-operator/sync-crds.sh)', () => {
    const source = join(PROJECT_ROOT, 'crds');
    const copy = join(KUSTOMIZE_DIR, 'crds');
    const files = readdirSync(source).filter((f) => f.endsWith('.yaml')).sort();
    assert.deepEqual(readdirSync(copy).sort(), files);
    for (const file of files) {
      assert.ok(readFileSync(join(copy, file)).equals(readFileSync(join(source, file))), `operator/crds/${file} differs from crds/${file}: run charts/roomban-operator/sync-crds.sh`);
    }
  });

  it('builds the CRDs, namespace roomban-system, ServiceAccount, RBAC, Deployment and metrics Service', async () => {
    const manifests = await buildBase();
    assert.deepEqual(kinds(manifests), [
      'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition',
      'Deployment', 'Namespace', 'Role', 'RoleBinding', 'Service', 'ServiceAccount',
    ]);
    const crds = manifests.filter((m) => m.kind === 'CustomResourceDefinition').map((m) => m.metadata.name).sort();
    assert.deepEqual(crds, ['clusterroomproviders.roomban.io', 'roombans.roomban.io', 'roomproviders.roomban.io']);
    for (const manifest of manifests) {
      if (['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(manifest.kind)) continue;
      assert.equal(manifest.metadata.namespace, 'roomban-system', `${manifest.kind}/${manifest.metadata.name}`);
    }
    const binding = findManifest(manifests, 'ClusterRoleBinding') as Manifest & { subjects: { namespace: string }[] };
    assert.equal(binding.subjects[0]?.namespace, 'roomban-system');
    assert.equal(operatorContainer(manifests).image, 'ghcr.io/roomban/roomban-operator:0.1.0');
  });

  it('runs with leader election (safe to scale), the same security context, probes and resources as the chart', async () => {
    const base = await buildBase();
    const chart = await renderChart();
    const basePod = deploymentSpec(base).template.spec;
    const chartPod = deploymentSpec(chart).template.spec;
    assert.deepEqual(basePod.securityContext, chartPod.securityContext);
    assert.equal(basePod.terminationGracePeriodSeconds, chartPod.terminationGracePeriodSeconds);
    assert.deepEqual(basePod.volumes, chartPod.volumes);
    const baseContainer = operatorContainer(base);
    const chartContainer = operatorContainer(chart);
    for (const field of ['securityContext', 'livenessProbe', 'readinessProbe', 'resources', 'ports', 'env', 'volumeMounts'] as const) {
      assert.deepEqual(baseContainer[field], chartContainer[field], `container ${field} differs from the chart's`);
    }
    assert.deepEqual(operatorArgs(base), [...operatorArgs(chart), '--leader-elect', '--leader-election-id=roomban-operator']);
    assert.equal(deploymentSpec(base).strategy?.type, 'RollingUpdate');
  });

  it('grants the same rules as the chart: the cluster-wide ClusterRole and the Lease Role', async () => {
    const base = await buildBase();
    const chart = await renderChart({ values: { 'leaderElection.enabled': true } });
    assert.deepEqual(rules(findManifest(base, 'ClusterRole')), rules(findManifest(chart, 'ClusterRole')));
    assert.deepEqual(rules(findManifest(base, 'Role')), rules(findManifest(chart, 'Role')));
  });

  it('is accepted by kubectl apply --dry-run=server, and its pod by the restricted Pod Security profile', async () => {
    const c = await testCluster();
    await installCrds(c);
    // A server-side dry-run does not create the Namespace it carries, so namespaced objects need it to exist.
    const manifests = await buildBase();
    const namespace = await c.kubectl(['apply', '-f', '-'], { input: JSON.stringify(findManifest(manifests, 'Namespace')) });
    assert.equal(namespace.code, 0, namespace.stderr);
    await dryRunServer(c, manifests);
    await assertRestrictedPod(c, deploymentSpec(manifests).template.spec);
  });
});
