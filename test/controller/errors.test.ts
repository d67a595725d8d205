// An error thrown inside a reconcile (here: the API server refuses the status write) is logged
// with the RoomBan's key and retried with backoff; it never disappears silently.

import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { freshNamespace } from '../harness/cluster.ts';
import { startOperator, useOperatorEnv } from './support.ts';

describe('errors inside a reconcile', function () {
  this.timeout(120_000);
  const env = useOperatorEnv();

  it('are logged with the RoomBan key and retried with backoff (a status write the RBAC refuses)', async () => {
    const ns = await freshNamespace(env.cluster);
    const name = `no-status-${ns}`;
    // Everything the operator reads, and Events, but no update on roombans/status.
    const rbac = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name },
        rules: [
          { apiGroups: ['roomban.io'], resources: ['roombans', 'roomproviders', 'clusterroomproviders'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'watch'] },
          { apiGroups: [''], resources: ['events'], verbs: ['create'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
      },
    ];
    const applied = await env.cluster.kubectl(['apply', '-f', '-'], { input: rbac.map((object) => stringify(object)).join('---\n') });
    assert.equal(applied.code, 0, applied.stderr);
    const token = await env.cluster.kubectl(['create', 'token', name, '-n', ns]);
    assert.equal(token.code, 0, token.stderr);
    const kubeconfig = env.cluster.local.writeTokenKubeconfig(name, token.stdout.trim());

    const op = await startOperator(env, { kubeconfig, namespaces: [ns] });
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', env.sims.trtc.url);
    env.sims.trtc.addMembers(`err-${ns}`, ['e1']);
    await env.fx.ban(ns, 'refused', { providerRef: { name: provider }, roomId: `err-${ns}`, users: ['e1'] });

    const logged = new RegExp(`"roomban":"${ns}/refused".*"err":"HTTP 403".*"msg":"reconcile failed; retrying with backoff"`, 'g');
    await op.waitForOutput(logged, 30_000);
    // Backoff: the same failure is retried (1 s, then 2 s ceilings), each time logged.
    for (let i = 0; i < 100 && (op.output().match(logged) ?? []).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok((op.output().match(logged) ?? []).length >= 2, 'retried and logged again');
    const ban = await env.fx.getBan(ns, 'refused');
    assert.equal(ban.status?.observedGeneration ?? 0, 0, 'nothing was written');
  });
});
