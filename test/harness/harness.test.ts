import assert from 'node:assert/strict';
import { AuthorizationV1Api, CoreV1Api, RbacAuthorizationV1Api, VersionApi } from '@kubernetes/client-node';
import { freshNamespace, testCluster } from './cluster.ts';

describe('test control plane', function () {
  this.timeout(180_000);

  it('is a real kube-apiserver of a current release with RBAC on', async () => {
    const c = await testCluster();
    const version = await c.admin.makeApiClient(VersionApi).getCode();
    assert.match(version.gitVersion, /^v1\.(3[5-9]|[4-9]\d)\./);
    const kubectl = await c.kubectl(['get', '--raw', '/readyz?verbose']);
    assert.equal(kubectl.code, 0, kubectl.stderr);
    assert.match(kubectl.stdout, /poststarthook\/rbac\/bootstrap-roles ok/);
  });

  it('gives restricted identities nothing until a Role grants it', async () => {
    const c = await testCluster();
    const ns = await freshNamespace(c);
    const dev = c.userKubeConfig('dev').makeApiClient(CoreV1Api);
    await assert.rejects(dev.listNamespacedConfigMap({ namespace: ns }), (e: { code?: number }) => e.code === 403);
    const rbac = c.admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({ namespace: ns, body: {
      metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] } });
    await rbac.createNamespacedRoleBinding({ namespace: ns, body: {
      metadata: { name: 'dev-cm' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
      subjects: [{ kind: 'User', name: 'dev', apiGroup: 'rbac.authorization.k8s.io' }] } });
    const review = await c.userKubeConfig('dev').makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({ body: {
      spec: { resourceAttributes: { namespace: ns, verb: 'list', resource: 'configmaps' } } } });
    assert.equal(review.status?.allowed, true);
    const list = await dev.listNamespacedConfigMap({ namespace: ns });
    assert.ok(Array.isArray(list.items));
    const other = c.userKubeConfig('dev2').makeApiClient(CoreV1Api);
    await assert.rejects(other.listNamespacedConfigMap({ namespace: ns }), (e: { code?: number }) => e.code === 403);
  });

  it('accepts ServiceAccount tokens from TokenRequest', async () => {
    const c = await testCluster();
    const ns = await freshNamespace(c);
    const core = c.admin.makeApiClient(CoreV1Api);
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'op' } } });
    const token = await core.createNamespacedServiceAccountToken({ namespace: ns, name: 'op', body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    const path = c.local.writeTokenKubeconfig(`op-${ns}`, token.status?.token ?? assert.fail('no token issued'));
    const whoami = await c.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig: path });
    assert.equal(whoami.stdout, `system:serviceaccount:${ns}:op`);
  });
});

describe('test control plane startup failures', () => {
  it('say which process failed and where its log is', async () => {
    const { startLocalCluster } = await import('../../src/devcluster/local-cluster.ts');
    const error = await startLocalCluster({ binaries: { etcd: '/bin/false', kubeApiserver: '/bin/false' }, startTimeoutMs: 20_000 }).then(
      () => assert.fail('started with /bin/false'),
      (e: Error) => e,
    );
    assert.match(error.message, /(etcd|kube-apiserver) exited with code 1/);
    assert.match(error.message, /Log: \/.*\.log/);
  });
});
