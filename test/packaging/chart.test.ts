// charts/roomban-operator: lint, rendering, operator flags, the values schema, server-side
// dry-runs and a real `helm install` on the test control plane.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';
import { freshNamespace, installCrds, testCluster } from '../harness/cluster.ts';
import {
  CHART_DIR, FIXTURES_DIR, type PodSpec, deploymentSpec, findManifest, helm, helmTemplateArgs, kinds,
  operatorArgs, operatorContainer, parseManifests, renderChart, rules,
} from './chart.ts';
import { assertRestrictedPod, dryRunServer, installServiceMonitorCrd } from './cluster-checks.ts';

const ALL_FEATURES = join(FIXTURES_DIR, 'all-features.values.yaml');

describe('Helm chart charts/roomban-operator', function () {
  this.timeout(180_000);

  describe('lint and CRDs', () => {
    it('passes helm lint and helm lint --strict', async () => {
      for (const args of [['lint', CHART_DIR], ['lint', '--strict', CHART_DIR]]) {
        const result = await helm(args);
        assert.equal(result.code, 0, `helm ${args.join(' ')}:\n${result.stdout}${result.stderr}`);
        assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      }
    });

    it('passes helm lint --strict with every optional feature on', async () => {
      const result = await helm(['lint', '--strict', CHART_DIR, '--values', ALL_FEATURES]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
    });

    it('ships crds/ byte-identical to the repository crds/ (run charts/roomban-operator/sync-crds.sh)', () => {
      const source = join(PROJECT_ROOT, 'crds');
      const copy = join(CHART_DIR, 'crds');
      const files = readdirSync(source).filter((f) => f.endsWith('.yaml')).sort();
      assert.ok(files.length >= 3, 'crds/ holds the three CRDs');
      assert.deepEqual(readdirSync(copy).sort(), files, 'the chart ships exactly the files of crds/');
      for (const file of files) {
        assert.ok(readFileSync(join(copy, file)).equals(readFileSync(join(source, file))), `charts/roomban-operator/crds/${file} differs from crds/${file}: run charts/roomban-operator/sync-crds.sh`);
      }
    });

    it('declares apiVersion v2, kubeVersion >=1.30.0-0 and appVersion 0.1.0', () => {
      const chart = readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8');
      assert.match(chart, /^apiVersion: v2$/m);
      assert.match(chart, /^kubeVersion: ">=1\.30\.0-0"$/m);
      assert.match(chart, /^appVersion: "0\.1\.0"$/m);
    });
  });

  describe('rendering', () => {
    it('renders by default a ServiceAccount, a ClusterRole and its binding, the Deployment and the metrics Service, nothing optional', async () => {
      const manifests = await renderChart();
      assert.deepEqual(kinds(manifests), ['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Service', 'ServiceAccount']);
      for (const manifest of manifests) {
        const labels = manifest.metadata.labels ?? {};
        for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/managed-by', 'helm.sh/chart']) {
          assert.ok(labels[key], `${manifest.kind}/${manifest.metadata.name} lacks label ${key}`);
        }
      }
    });

    it('runs the operator under the restricted Pod Security profile with a read-only root filesystem', async () => {
      const pod = deploymentSpec(await renderChart()).template.spec;
      assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
      const container = pod.containers[0]!;
      assert.deepEqual(container.securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      assert.deepEqual(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
      assert.deepEqual(pod.volumes, [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
      assert.equal(pod.terminationGracePeriodSeconds, 30);
    });

    it('probes /healthz (liveness) and /readyz (readiness) on the named port health, and passes POD_NAMESPACE', async () => {
      const container = operatorContainer(await renderChart());
      assert.deepEqual(container.livenessProbe?.httpGet, { path: '/healthz', port: 'health' });
      assert.deepEqual(container.readinessProbe?.httpGet, { path: '/readyz', port: 'health' });
      assert.deepEqual(container.ports, [{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }, { name: 'health', containerPort: 8081, protocol: 'TCP' }]);
      const podNamespace = container.env?.find((e) => e.name === 'POD_NAMESPACE');
      assert.deepEqual(podNamespace?.valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
      assert.ok(container.resources?.requests && container.resources.limits, 'requests and limits are set');
    });

    it('runs `operator` with the default flags and the image from appVersion', async () => {
      const manifests = await renderChart();
      assert.deepEqual(operatorArgs(manifests), ['operator', '--concurrency=10', '--log-level=info', '--health-probe-bind-address=:8081', '--metrics-bind-address=:8080']);
      assert.equal(operatorContainer(manifests).image, 'ghcr.io/roomban/roomban-operator:0.1.0');
    });

    const flagCases: { flag: string; values: Record<string, unknown> }[] = [
      { flag: '--namespaces=team-a,team-b', values: { watchNamespaces: ['team-a', 'team-b'] } },
      { flag: '--concurrency=3', values: { concurrency: 3 } },
      { flag: '--leader-elect', values: { 'leaderElection.enabled': true } },
      { flag: '--leader-election-namespace=leases', values: { 'leaderElection.enabled': true, 'leaderElection.namespace': 'leases' } },
      { flag: '--leader-election-id=my-lease', values: { 'leaderElection.enabled': true, 'leaderElection.id': 'my-lease' } },
      { flag: '--metrics-bind-address=:9100', values: { 'metrics.port': 9100 } },
      { flag: '--metrics-bind-address=0', values: { 'metrics.enabled': false } },
      { flag: '--health-probe-bind-address=:9101', values: { 'health.port': 9101 } },
      { flag: '--allow-custom-endpoints', values: { allowCustomEndpoints: true } },
      { flag: '--allowed-endpoint-hosts=sandbox.example,127.0.0.1:9000', values: { allowedEndpointHosts: ['sandbox.example', '127.0.0.1:9000'] } },
      { flag: '--log-level=warn', values: { logLevel: 'warn' } },
      { flag: '--kubeconfig=/etc/roomban/kubeconfig', values: { kubeconfig: '/etc/roomban/kubeconfig' } },
      { flag: '--some-future-flag=1', values: { extraArgs: ['--some-future-flag=1'] } },
    ];
    for (const { flag, values } of flagCases) {
      it(`passes ${flag} from ${Object.keys(values).join(', ')}`, async () => {
        assert.ok(operatorArgs(await renderChart({ values })).includes(flag), `args lack ${flag}`);
      });
    }

    it('turns leader election on when replicaCount > 1: --leader-elect, a Lease Role and rolling updates', async () => {
      const manifests = await renderChart({ values: { replicaCount: 2 } });
      const args = operatorArgs(manifests);
      assert.ok(args.includes('--leader-elect'));
      assert.ok(args.includes('--leader-election-id=roomban-operator'));
      assert.equal(deploymentSpec(manifests).strategy?.type, 'RollingUpdate');
      const role = findManifest(manifests, 'Role', 'roomban-operator-leader-election');
      assert.equal(role.metadata.namespace, 'roomban-system');
      assert.deepEqual(rules(role), [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['roomban-operator'], verbs: ['get', 'update'] },
      ]);
      findManifest(manifests, 'RoleBinding', 'roomban-operator-leader-election');
    });

    it('keeps one replica without leader election and recreates instead of rolling (never two operators at once)', async () => {
      const manifests = await renderChart();
      assert.ok(!operatorArgs(manifests).includes('--leader-elect'));
      assert.equal(deploymentSpec(manifests).strategy?.type, 'Recreate');
      assert.ok(!manifests.some((m) => m.kind === 'Role'));
    });

    it('puts the Lease Role in leaderElection.namespace when set', async () => {
      const manifests = await renderChart({ values: { 'leaderElection.enabled': true, 'leaderElection.namespace': 'leases' } });
      assert.equal(findManifest(manifests, 'Role', 'roomban-operator-leader-election').metadata.namespace, 'leases');
    });

    it('with metrics.enabled=false serves no metrics port and creates no metrics Service', async () => {
      const manifests = await renderChart({ values: { 'metrics.enabled': false } });
      assert.ok(!manifests.some((m) => m.kind === 'Service'));
      assert.deepEqual(operatorContainer(manifests).ports?.map((p) => p.name), ['health']);
    });

    it('refuses a ServiceMonitor without metrics', async () => {
      const result = await helm(helmTemplateArgs({ values: { 'serviceMonitor.enabled': true, 'metrics.enabled': false } }));
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /serviceMonitor\.enabled needs metrics\.enabled/);
    });

    it('sets a PodDisruptionBudget of minAvailable 1 with several replicas, and maxUnavailable 1 with one', async () => {
      const several = findManifest(await renderChart({ values: { replicaCount: 3, 'podDisruptionBudget.enabled': true } }), 'PodDisruptionBudget');
      assert.deepEqual((several.spec as { minAvailable?: number }).minAvailable, 1);
      const one = findManifest(await renderChart({ values: { 'podDisruptionBudget.enabled': true } }), 'PodDisruptionBudget');
      assert.deepEqual((one.spec as { maxUnavailable?: number; minAvailable?: number }), {
        maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'roomban-operator', 'app.kubernetes.io/instance': 'roomban-operator' } } });
    });

    it('namespace-scoped mode: Roles only in watched and Secret namespaces, a ClusterRole only for ClusterRoomProviders', async () => {
      const manifests = await renderChart({ values: { watchNamespaces: ['team-a', 'team-b'], 'rbac.secretNamespaces': ['vendor-secrets', 'team-a'] } });
      const roles = manifests.filter((m) => m.kind === 'Role').map((m) => `${m.metadata.namespace}/${m.metadata.name}`).sort();
      assert.deepEqual(roles, ['team-a/roomban-operator', 'team-b/roomban-operator', 'vendor-secrets/roomban-operator-secrets']);
      const clusterRoles = manifests.filter((m) => m.kind === 'ClusterRole');
      assert.equal(clusterRoles.length, 1);
      const clusterResources = rules(clusterRoles[0]!).flatMap((r) => r.resources ?? []).sort();
      assert.deepEqual(clusterResources, ['clusterroomproviders', 'clusterroomproviders/status', 'namespaces']);
      const namespaceRule = rules(clusterRoles[0]!).find((r) => r.resources?.includes('namespaces'));
      assert.deepEqual(namespaceRule, { apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'watch'], resourceNames: ['team-a', 'team-b'] });
      assert.deepEqual(rules(findManifest(manifests, 'Role', 'roomban-operator-secrets')), [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    });

    it('with every optional feature on renders the ServiceMonitor, PodDisruptionBudget and NetworkPolicy', async () => {
      const manifests = await renderChart({ valuesFiles: [ALL_FEATURES] });
      for (const kind of ['ServiceMonitor', 'PodDisruptionBudget', 'NetworkPolicy']) findManifest(manifests, kind);
      const policy = findManifest(manifests, 'NetworkPolicy').spec as { ingress: { ports: { port: string }[] }[]; egress: unknown[] };
      assert.deepEqual(policy.ingress.map((rule) => rule.ports.map((p) => p.port)), [['metrics', 'health']]);
      assert.equal(policy.egress.length, 4, 'DNS, vendor HTTPS, the API server and the extra rule');
      type Egress = { to?: unknown[]; ports?: { port: number; protocol: string }[] };
      const defaults = findManifest(await renderChart({ values: { 'networkPolicy.enabled': true } }), 'NetworkPolicy').spec as { egress: Egress[] };
      assert.deepEqual(defaults.egress, [
        { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
        { ports: [{ port: 443, protocol: 'TCP' }] },
        { ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] },
      ], 'by default egress is DNS, HTTPS to the vendors and the API server ports: never every port');
      const open = findManifest(await renderChart({ values: { 'networkPolicy.enabled': true, 'networkPolicy.egress.allowAll': true } }), 'NetworkPolicy').spec as { egress: unknown[] };
      assert.deepEqual(open.egress, [{}], 'allowAll opts in to every port');
    });

    it('with a digest pins the image by digest', async () => {
      const digest = `sha256:${'ab'.repeat(32)}`;
      const container = operatorContainer(await renderChart({ values: { 'image.digest': digest } }));
      assert.equal(container.image, `ghcr.io/roomban/roomban-operator@${digest}`);
    });
  });

  describe('values.schema.json refuses wrong values with a message naming them', () => {
    const refusals: { title: string; values: Record<string, unknown>; message: RegExp }[] = [
      { title: 'an unknown logLevel', values: { logLevel: 'verbose' }, message: /at '\/logLevel': value must be one of 'debug', 'info', 'warn', 'error'/ },
      { title: 'concurrency 0', values: { concurrency: 0 }, message: /at '\/concurrency': minimum: got 0, want 1/ },
      { title: 'a negative replicaCount', values: { replicaCount: -1 }, message: /at '\/replicaCount': minimum: got -1, want 0/ },
      { title: 'replicaCount as a string', values: { replicaCount: '2' }, message: /at '\/replicaCount': got string, want integer/ },
      { title: 'a namespace that is not a DNS label', values: { watchNamespaces: ['Moderation_Team'] }, message: /at '\/watchNamespaces\/0': 'Moderation_Team' does not match pattern/ },
      { title: 'a typo in a top-level key', values: { logLevle: 'debug' }, message: /additional properties 'logLevle' not allowed/ },
      { title: 'a typo in a nested key', values: { 'rbac.secretNamespace': ['vendor-secrets'] }, message: /at '\/rbac': additional properties 'secretNamespace' not allowed/ },
      { title: 'an unknown image.pullPolicy', values: { 'image.pullPolicy': 'Sometimes' }, message: /at '\/image\/pullPolicy': value must be one of 'IfNotPresent', 'Always', 'Never'/ },
      { title: 'a port out of range', values: { 'metrics.port': 70000 }, message: /at '\/metrics\/port': maximum: got 70,000, want 65,535/ },
      { title: 'an extraArgs entry that is not a flag', values: { extraArgs: ['leader-elect'] }, message: /at '\/extraArgs\/0': 'leader-elect' does not match pattern/ },
      { title: 'a malformed image digest', values: { 'image.digest': 'sha256:abc' }, message: /at '\/image\/digest': 'sha256:abc' does not match pattern/ },
      { title: 'a leader-election namespace that is not a DNS label', values: { 'leaderElection.namespace': 'Kube_System' }, message: /at '\/leaderElection\/namespace': 'Kube_System' does not match pattern/ },
      { title: 'a memory quantity that is not a quantity', values: { 'resources.limits.memory': 'lots' }, message: /at '\/resources\/limits\/memory': 'lots' does not match pattern/ },
      { title: 'a scrape interval without a unit', values: { 'serviceMonitor.interval': '30' }, message: /at '\/serviceMonitor\/interval': '30' does not match pattern/ },
      { title: 'a pod label that would change the selector', values: { podLabels: { 'app.kubernetes.io/name': 'other' } }, message: /invalid propertyName 'app\.kubernetes\.io\/name'/ },
      { title: 'allowCustomEndpoints as a string', values: { allowCustomEndpoints: 'yes' }, message: /at '\/allowCustomEndpoints': got string, want boolean/ },
    ];
    for (const { title, values, message } of refusals) {
      it(`refuses ${title}`, async () => {
        const result = await helm(helmTemplateArgs({ values }));
        assert.notEqual(result.code, 0, 'helm template accepted the values');
        assert.match(result.stderr, /values don't meet the specifications of the schema/);
        assert.match(result.stderr, message);
      });
    }
  });

  describe('on the test control plane', () => {
    it('the default render, with its crds/, is accepted by kubectl apply --dry-run=server', async () => {
      const c = await testCluster();
      await installCrds(c);
      const namespace = await freshNamespace(c, 'chart');
      const manifests = await renderChart({ release: `dflt-${namespace}`, namespace, includeCrds: true });
      assert.equal(manifests.filter((m) => m.kind === 'CustomResourceDefinition').length, 3);
      await dryRunServer(c, manifests);
    });

    it('the render with every optional feature on is accepted by kubectl apply --dry-run=server', async () => {
      const c = await testCluster();
      await Promise.all([installCrds(c), installServiceMonitorCrd(c)]);
      const [namespace, watchA, watchB, secrets, leases] = await Promise.all(['chart', 'watch', 'watch', 'secrets', 'leases'].map((p) => freshNamespace(c, p)));
      const manifests = await renderChart({
        release: `all-${namespace}`,
        namespace,
        valuesFiles: [ALL_FEATURES],
        values: { watchNamespaces: [watchA, watchB], 'rbac.secretNamespaces': [secrets, watchA], 'leaderElection.namespace': leases },
      });
      assert.deepEqual([...new Set(kinds(manifests))], ['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ServiceMonitor']);
      await dryRunServer(c, manifests);
    });

    it('the pod template is admitted where the restricted Pod Security profile is enforced (defaults and every feature on)', async () => {
      const c = await testCluster();
      await assertRestrictedPod(c, deploymentSpec(await renderChart()).template.spec);
      await assertRestrictedPod(c, deploymentSpec(await renderChart({ valuesFiles: [ALL_FEATURES] })).template.spec);
    });

    it('helm install succeeds (no --wait), upgrades to two replicas with leader election, and uninstalls', async () => {
      const c = await testCluster();
      // --skip-crds: the CRDs on this shared control plane belong to installCrds (kubectl). Helm 4
      // server-side-applies crds/ as field manager "helm", which would then co-own every CRD field
      // and make any later `kubectl apply --server-side` of a changed crds/ in the same run fail
      // with a conflict. The chart's crds/ are covered by the byte-identity test above and by the
      // --include-crds server dry-run.
      await installCrds(c);
      const namespace = await freshNamespace(c, 'helm');
      const release = `rb-${namespace}`;
      const installed = await c.helm(['install', release, CHART_DIR, '--namespace', namespace, '--skip-crds']);
      assert.equal(installed.code, 0, installed.stderr);
      assert.match(installed.stdout, /STATUS: deployed/);
      assert.match(installed.stdout, /every namespace \(cluster-wide RBAC\)/, 'NOTES.txt is rendered');

      const fullname = `${release}-roomban-operator`;
      const objects = await c.kubectl(['get', 'deployment,serviceaccount,service', '-n', namespace, '-o', 'name']);
      assert.equal(objects.code, 0, objects.stderr);
      assert.deepEqual(objects.stdout.trim().split('\n').sort(), [`deployment.apps/${fullname}`, `service/${fullname}-metrics`, `serviceaccount/${fullname}`]);
      const clusterRole = await c.kubectl(['get', 'clusterrole', fullname, '-o', 'name']);
      assert.equal(clusterRole.code, 0, clusterRole.stderr);

      const upgraded = await c.helm(['upgrade', release, CHART_DIR, '--namespace', namespace, '--set', 'replicaCount=2', '--set', 'podDisruptionBudget.enabled=true']);
      assert.equal(upgraded.code, 0, upgraded.stderr);
      const deployment = await c.kubectl(['get', 'deployment', fullname, '-n', namespace, '-o', 'json']);
      const live = parseManifests(deployment.stdout)[0]!;
      const liveSpec = live.spec as { replicas: number; strategy: { type: string }; template: { spec: PodSpec } };
      assert.equal(liveSpec.replicas, 2);
      assert.equal(liveSpec.strategy.type, 'RollingUpdate');
      assert.ok(liveSpec.template.spec.containers[0]!.args?.includes('--leader-elect'));
      const leaseRole = await c.kubectl(['get', 'role', `${fullname}-leader-election`, '-n', namespace, '-o', 'name']);
      assert.equal(leaseRole.code, 0, leaseRole.stderr);

      const uninstalled = await c.helm(['uninstall', release, '--namespace', namespace]);
      assert.equal(uninstalled.code, 0, uninstalled.stderr);
      const gone = await c.kubectl(['get', 'deployment', fullname, '-n', namespace, '--ignore-not-found', '-o', 'name']);
      assert.equal(gone.stdout.trim(), '');
    });
  });
});
