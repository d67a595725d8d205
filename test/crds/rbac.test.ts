// RoomBans are ordinary RBAC-protected resources: nobody kicks users without a grant, a grant on
// roombans does not reach providers, and writing status (the proof of what happened) needs its
// own grant on roombans/status.

import assert from 'node:assert/strict';
import { AuthorizationV1Api, CustomObjectsApi, RbacAuthorizationV1Api, type V1PolicyRule } from '@kubernetes/client-node';
import { GROUP, VERSION } from '../../src/api/types.ts';
import type { RoomBan } from '../../src/api/types.ts';
import { freshNamespace, installCrds, type TestCluster, testCluster } from '../harness/cluster.ts';
import { roomBanStatus } from '../api/samples.ts';
import { create, rejection, roomBan, statusOf, trtcProvider } from './support.ts';

describe('CRD access control', function () {
  this.timeout(180_000);
  let c: TestCluster;
  let ns: string;

  before(async () => {
    c = await testCluster();
    await installCrds(c);
  });

  beforeEach(async () => {
    ns = await freshNamespace(c, 'rbac');
  });

  /** Grants `rules` to user dev in `ns`, and waits until the authorizer has seen the binding. */
  async function grantDev(rules: V1PolicyRule[], probe: { verb: string; resource: string; subresource?: string }): Promise<void> {
    const rbac = c.admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name: 'moderator' }, rules } });
    await rbac.createNamespacedRoleBinding({ namespace: ns, body: {
      metadata: { name: 'dev-moderator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'moderator' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'dev' }],
    } });
    const reviews = c.userKubeConfig('dev').makeApiClient(AuthorizationV1Api);
    for (let attempt = 0; ; attempt++) {
      const review = await reviews.createSelfSubjectAccessReview({ body: {
        spec: { resourceAttributes: { namespace: ns, group: GROUP, ...probe } },
      } });
      if (review.status?.allowed) return;
      if (attempt >= 50) assert.fail(`the RoleBinding did not take effect: ${JSON.stringify(review.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('refuses (403) a RoomBan from an identity with no grant', async () => {
    const refused = await rejection(c.userKubeConfig('dev'), ns, roomBan());
    assert.equal(refused.code, 403);
    assert.equal(refused.reason, 'Forbidden');
    assert.match(refused.message, /User "dev" cannot create resource "roombans" in API group "roomban.io"/);
  });

  it('lets dev create and read RoomBans once a Role grants roombans create/get', async () => {
    await grantDev([{ apiGroups: [GROUP], resources: ['roombans'], verbs: ['create', 'get'] }], { verb: 'create', resource: 'roombans' });
    const created = await create<RoomBan>(c.userKubeConfig('dev'), ns, roomBan('by-dev'));
    assert.equal(created.metadata.name, 'by-dev');
    const api = c.userKubeConfig('dev').makeApiClient(CustomObjectsApi);
    const read = (await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'roombans', name: 'by-dev' })) as RoomBan;
    assert.deepEqual(read.spec.users, ['test1', 'test2']);

    // The grant is exactly what it says: no list, no providers, and nobody else.
    const list = await api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'roombans' }).then(
      () => assert.fail('dev listed roombans'), statusOf);
    assert.equal(list.code, 403);
    assert.equal((await rejection(c.userKubeConfig('dev'), ns, trtcProvider())).code, 403);
    assert.equal((await rejection(c.userKubeConfig('dev2'), ns, roomBan('by-dev2'))).code, 403);
  });

  it('keeps status writes behind roombans/status: a moderator who may edit RoomBans cannot forge results', async () => {
    await grantDev([{ apiGroups: [GROUP], resources: ['roombans'], verbs: ['create', 'get', 'update', 'patch'] }], { verb: 'update', resource: 'roombans' });
    const created = await create<RoomBan>(c.userKubeConfig('dev'), ns, roomBan('proof'));
    const api = c.userKubeConfig('dev').makeApiClient(CustomObjectsApi);
    const forged = await api.replaceNamespacedCustomObjectStatus({
      group: GROUP, version: VERSION, namespace: ns, plural: 'roombans', name: 'proof', body: { ...created, status: roomBanStatus },
    }).then(() => assert.fail('dev wrote status'), statusOf);
    assert.equal(forged.code, 403);
    assert.match(forged.message, /cannot update resource "roombans\/status"/);
  });
});
