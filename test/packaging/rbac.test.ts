// The chart's RBAC, checked as the operator's own ServiceAccount token: it can do exactly what the
// operator needs (docs/architecture.md#one-roomban-end-to-end) and nothing else.

import assert from 'node:assert/strict';
import { freshNamespace, installCrds, testCluster, type TestCluster } from '../harness/cluster.ts';
import { type ChartRbac, installChartRbac } from './chart-rbac.ts';

/** One permission as `kubectl auth can-i --list` reports it: resource (with group and subresource), verb, resource name. */
type Permission = string;

const SELF_REVIEWS = /^self(subject(access|rules)?)reviews\./;

/** The resource permissions `kubectl auth can-i --list` reports in a namespace, without the self-review ones every user has. */
async function listPermissions(c: TestCluster, rbac: ChartRbac, namespace: string): Promise<Permission[]> {
  const result = await c.kubectl(['auth', 'can-i', '--list', '-n', namespace], { kubeconfig: rbac.kubeconfigPath });
  assert.equal(result.code, 0, result.stderr);
  const permissions = new Set<Permission>();
  for (const line of result.stdout.split('\n').slice(1)) {
    const row = /^(\S+)\s+\[(.*?)\]\s+\[(.*?)\]\s+\[(.*?)\]\s*$/.exec(line);
    if (!row) continue; // non-resource URLs (discovery, health) start with a blank resource column
    const [, resource = '', , names = '', verbs = ''] = row;
    if (SELF_REVIEWS.test(resource)) continue;
    for (const verb of verbs.split(' ').filter(Boolean)) {
      for (const name of names ? names.split(' ') : ['*']) permissions.add(`${resource} ${verb} ${name}`);
    }
  }
  return [...permissions].sort();
}

function expand(resources: string[], verbs: string[], name = '*'): Permission[] {
  return resources.flatMap((resource) => verbs.map((verb) => `${resource} ${verb} ${name}`));
}

// Status is written by update (a PUT with the resourceVersion), Events only created (core/v1):
// no events.k8s.io. A RoomBan is also patched: its finalizer roomban.io/unban (a merge patch of
// metadata.finalizers with the resourceVersion; RBAC cannot narrow it to that field), and its
// status after a call (a JSON Patch of what changed, with the resourceVersion as precondition).
const CLUSTER_PROVIDERS = [
  ...expand(['clusterroomproviders.roomban.io'], ['get', 'list', 'watch']),
  ...expand(['clusterroomproviders.roomban.io/status'], ['get', 'update']),
];
const WATCHED_NAMESPACE = [
  ...expand(['roombans.roomban.io', 'roomproviders.roomban.io', 'secrets'], ['get', 'list', 'watch']),
  ...expand(['roombans.roomban.io/status', 'roomproviders.roomban.io/status'], ['get', 'update']),
  ...expand(['roombans.roomban.io', 'roombans.roomban.io/status'], ['patch']),
  ...expand(['roombans.roomban.io/finalizers'], ['update']),
  ...expand(['events'], ['create']),
];
/** Namespace labels (ClusterRoomProviders' namespaceSelector): list+watch, of the named namespaces only when given. */
const namespaces = (names?: string[]): Permission[] => (names ?? ['*']).flatMap((name) => expand(['namespaces'], ['list', 'watch'], name));
const SECRETS_ONLY = expand(['secrets'], ['get', 'list', 'watch']);
const leases = (lease: string): Permission[] => [...expand(['leases.coordination.k8s.io'], ['create']), ...expand(['leases.coordination.k8s.io'], ['get', 'update'], lease)];

const sorted = (permissions: Permission[]): Permission[] => [...new Set(permissions)].sort();

async function canI(c: TestCluster, rbac: ChartRbac, args: string[]): Promise<boolean> {
  const result = await c.kubectl(['auth', 'can-i', ...args], { kubeconfig: rbac.kubeconfigPath });
  assert.ok(result.stdout.trim() === 'yes' || result.stdout.trim() === 'no', `kubectl auth can-i ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return result.stdout.trim() === 'yes';
}

async function assertCan(c: TestCluster, rbac: ChartRbac, checks: string[][]): Promise<void> {
  const answers = await Promise.all(checks.map((args) => canI(c, rbac, args)));
  const refused = checks.filter((_, i) => !answers[i]).map((args) => args.join(' '));
  assert.deepEqual(refused, [], 'the operator must be able to do these');
}

async function assertCannot(c: TestCluster, rbac: ChartRbac, checks: string[][]): Promise<void> {
  const answers = await Promise.all(checks.map((args) => canI(c, rbac, args)));
  const allowed = checks.filter((_, i) => answers[i]).map((args) => args.join(' '));
  assert.deepEqual(allowed, [], 'the operator must not be able to do these');
}

describe('chart RBAC, as the operator ServiceAccount token', function () {
  this.timeout(180_000);

  describe('namespace-scoped mode (watchNamespaces + rbac.secretNamespaces + leader election)', () => {
    let c: TestCluster;
    let rbac: ChartRbac;
    let release = '';
    let watchA = '';
    let watchB = '';
    let secretsNs = '';
    let other = '';

    before(async () => {
      c = await testCluster();
      await installCrds(c);
      [release = '', watchA = '', watchB = '', secretsNs = '', other = ''] = await Promise.all(['op', 'watch', 'watch', 'secrets', 'other'].map((p) => freshNamespace(c, p)));
      rbac = await installChartRbac(c, { namespace: release, watchNamespaces: [watchA, watchB], secretNamespaces: [secretsNs], leaderElection: true });
    });

    const clusterWide = (): Permission[] => [...CLUSTER_PROVIDERS, ...namespaces([watchA, watchB])];

    it('holds exactly the operator permissions in each watched namespace', async () => {
      for (const namespace of [watchA, watchB]) {
        assert.deepEqual(await listPermissions(c, rbac, namespace), sorted([...WATCHED_NAMESPACE, ...clusterWide()]), namespace);
      }
    });

    it('reads only Secrets in a ClusterRoomProvider Secret namespace', async () => {
      assert.deepEqual(await listPermissions(c, rbac, secretsNs), sorted([...SECRETS_ONLY, ...clusterWide()]));
    });

    it('holds only its own Lease in the leader-election namespace', async () => {
      assert.ok(rbac.leaseName, 'the chart passes --leader-election-id');
      assert.deepEqual(await listPermissions(c, rbac, release), sorted([...leases(rbac.leaseName), ...clusterWide()]));
    });

    it('holds nothing but ClusterRoomProvider access (and its watched Namespaces\' labels) in any other namespace', async () => {
      assert.deepEqual(await listPermissions(c, rbac, other), sorted(clusterWide()));
    });

    it('can do what the operator needs (auth can-i)', async () => {
      await assertCan(c, rbac, [
        ...[watchA, watchB].flatMap((ns) => [
          ['list', 'roombans.roomban.io', '-n', ns], ['watch', 'roombans.roomban.io', '-n', ns], ['get', 'roombans.roomban.io', '-n', ns],
          ['update', 'roombans.roomban.io', '--subresource=status', '-n', ns],
          ['list', 'roomproviders.roomban.io', '-n', ns], ['watch', 'roomproviders.roomban.io', '-n', ns],
          ['update', 'roomproviders.roomban.io', '--subresource=status', '-n', ns],
          ['get', 'secrets', '-n', ns], ['list', 'secrets', '-n', ns], ['watch', 'secrets', '-n', ns],
          ['create', 'events', '-n', ns],
          ['list', `namespaces/${ns}`], ['watch', `namespaces/${ns}`],
        ]),
        ['list', 'clusterroomproviders.roomban.io'], ['watch', 'clusterroomproviders.roomban.io'],
        ['update', 'clusterroomproviders.roomban.io', '--subresource=status'],
        ['get', 'secrets', '-n', secretsNs], ['watch', 'secrets', '-n', secretsNs],
        ['create', 'leases.coordination.k8s.io', '-n', release],
        ['get', `leases.coordination.k8s.io/${rbac.leaseName}`, '-n', release], ['update', `leases.coordination.k8s.io/${rbac.leaseName}`, '-n', release],
      ]);
    });

    it('cannot read Secrets outside its namespaces, nor delete RoomBans, nor write their spec', async () => {
      await assertCannot(c, rbac, [
        ['get', 'secrets', '-n', other], ['list', 'secrets', '-n', other], ['list', 'secrets', '--all-namespaces'],
        ['get', 'secrets', '-n', release], ['list', 'secrets', '-n', 'kube-system'],
        ['delete', 'roombans.roomban.io', '-n', watchA], ['deletecollection', 'roombans.roomban.io', '-n', watchA],
        ['create', 'roombans.roomban.io', '-n', watchA], ['update', 'roombans.roomban.io', '-n', watchA],
        ['list', 'roombans.roomban.io', '-n', other], ['list', 'roombans.roomban.io', '--all-namespaces'], ['list', 'roombans.roomban.io', '-n', secretsNs],
        ['update', 'roomproviders.roomban.io', '-n', watchA], ['delete', 'roomproviders.roomban.io', '-n', watchA],
        ['update', 'clusterroomproviders.roomban.io'], ['delete', 'clusterroomproviders.roomban.io'], ['create', 'clusterroomproviders.roomban.io'],
        ['create', 'secrets', '-n', watchA], ['update', 'secrets', '-n', watchA], ['delete', 'secrets', '-n', watchA], ['create', 'secrets', '-n', secretsNs],
        ['get', 'configmaps', '-n', watchA], ['create', 'pods', '-n', watchA], ['delete', 'events', '-n', watchA],
        ['patch', 'roomproviders.roomban.io', '--subresource=status', '-n', watchA],
        ['patch', 'clusterroomproviders.roomban.io', '--subresource=status'],
        ['patch', 'events', '-n', watchA], ['create', 'events.events.k8s.io', '-n', watchA],
        ['list', 'namespaces'], ['list', `namespaces/${other}`], ['get', `namespaces/${watchA}`], ['update', `namespaces/${watchA}`], ['patch', `namespaces/${watchA}`],
        ['list', 'leases.coordination.k8s.io', '-n', release], ['get', 'leases.coordination.k8s.io/someone-else', '-n', release],
        ['update', 'leases.coordination.k8s.io/someone-else', '-n', release], ['delete', `leases.coordination.k8s.io/${rbac.leaseName}`, '-n', release],
        ['create', 'leases.coordination.k8s.io', '-n', watchA],
        ['escalate', 'roles.rbac.authorization.k8s.io', '-n', watchA], ['create', 'rolebindings.rbac.authorization.k8s.io', '-n', watchA],
      ]);
    });

    it('is refused by the API server outside its namespaces (real requests)', async () => {
      const allowed = await c.kubectl(['get', 'roombans.roomban.io,roomproviders.roomban.io,secrets', '-n', watchA], { kubeconfig: rbac.kubeconfigPath });
      assert.equal(allowed.code, 0, allowed.stderr);
      const secrets = await c.kubectl(['get', 'secrets', '-n', other], { kubeconfig: rbac.kubeconfigPath });
      assert.notEqual(secrets.code, 0);
      assert.match(secrets.stderr, new RegExp(`secrets is forbidden: User "${rbac.username}" cannot list resource "secrets" in API group "" in the namespace "${other}"`));
    });
  });

  describe('cluster-wide mode (the default, without leader election)', () => {
    let c: TestCluster;
    let rbac: ChartRbac;
    let release = '';
    let anyNamespace = '';

    before(async () => {
      c = await testCluster();
      await installCrds(c);
      [release = '', anyNamespace = ''] = await Promise.all(['op', 'any'].map((p) => freshNamespace(c, p)));
      rbac = await installChartRbac(c, { namespace: release });
    });

    it('holds exactly the operator permissions in every namespace, and no Lease', async () => {
      const expected = sorted([...WATCHED_NAMESPACE, ...CLUSTER_PROVIDERS, ...namespaces()]);
      assert.deepEqual(await listPermissions(c, rbac, anyNamespace), expected);
      assert.deepEqual(await listPermissions(c, rbac, release), expected);
      assert.equal(rbac.leaseName, undefined);
    });

    it('can watch RoomBans, RoomProviders and Secrets across namespaces, but not write specs or delete', async () => {
      await assertCan(c, rbac, [
        ['list', 'roombans.roomban.io', '--all-namespaces'], ['watch', 'roombans.roomban.io', '--all-namespaces'],
        ['watch', 'roomproviders.roomban.io', '--all-namespaces'], ['watch', 'secrets', '--all-namespaces'],
        ['update', 'roombans.roomban.io', '--subresource=status', '-n', anyNamespace],
        ['list', 'namespaces'], ['watch', 'namespaces'],
      ]);
      await assertCannot(c, rbac, [
        ['delete', 'roombans.roomban.io', '-n', anyNamespace], ['update', 'roombans.roomban.io', '-n', anyNamespace],
        ['create', 'roombans.roomban.io', '-n', anyNamespace],
        ['create', 'secrets', '-n', anyNamespace], ['create', 'leases.coordination.k8s.io', '-n', release],
        ['list', 'configmaps', '--all-namespaces'],
        ['patch', 'events', '-n', anyNamespace],
        ['create', 'events.events.k8s.io', '-n', anyNamespace],
        ['get', `namespaces/${anyNamespace}`], ['update', `namespaces/${anyNamespace}`], ['create', 'namespaces'], ['delete', `namespaces/${anyNamespace}`],
      ]);
    });
  });
});
