// Providers in a shared cluster (issue 11, findings 4 and 8): a ClusterRoomProvider's
// namespaceSelector decides which namespaces' RoomBans may use it, a RoomBan is never told which
// Secret a ClusterRoomProvider uses nor what is wrong with it, and every provider carries a Ready
// condition its owner can read (kubectl get shows it). Real kube-apiserver, simulators, operator process.

import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { API_VERSION, GROUP, type ClusterRoomProviderSpec, type RoomBan, type RoomProvider, VERSION } from '../../src/api/types.ts';
import { condition, isReady, providerSpec, secretData } from '../../support/fixtures.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { callsFor, type Env, startOperator, useOperatorEnv } from './support.ts';

async function createClusterProvider(env: Env, name: string, spec: ClusterRoomProviderSpec): Promise<void> {
  const body = { apiVersion: API_VERSION, kind: 'ClusterRoomProvider', metadata: { name }, spec };
  await env.fx.custom.createClusterCustomObject({ group: GROUP, version: VERSION, plural: 'clusterroomproviders', body });
}

async function getProvider(env: Env, namespace: string | undefined, name: string): Promise<RoomProvider> {
  const object = namespace
    ? await env.fx.custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'roomproviders', name })
    : await env.fx.custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural: 'clusterroomproviders', name });
  return object as RoomProvider;
}

/** Polls until the provider's Ready condition satisfies `predicate`; fails with its last status. */
async function waitForProvider(env: Env, namespace: string | undefined, name: string, predicate: (p: RoomProvider) => boolean): Promise<RoomProvider> {
  const deadline = Date.now() + 60_000;
  let last: RoomProvider | undefined;
  while (Date.now() < deadline) {
    last = await getProvider(env, namespace, name);
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`provider ${namespace ?? ''}/${name} did not reach the expected state; last status:\n${JSON.stringify(last?.status, null, 1)}`);
}

function ready(provider: RoomProvider): { status: string; reason: string; message: string; observedGeneration?: number } | undefined {
  return provider.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Ready with this status and reason, for the provider's current generation. */
function readyIs(status: 'True' | 'False', reason: string) {
  return (p: RoomProvider): boolean => {
    const c = ready(p);
    return c?.status === status && c.reason === reason && c.observedGeneration === p.metadata.generation && p.status?.observedGeneration === p.metadata.generation;
  };
}

async function label(env: Env, namespace: string, labels: Record<string, string>): Promise<void> {
  const core = env.cluster.admin.makeApiClient(CoreV1Api);
  const current = await core.readNamespace({ name: namespace });
  current.metadata = { ...current.metadata, labels: { ...current.metadata?.labels, ...labels } };
  await core.replaceNamespace({ name: namespace, body: current });
}

/** Every human-readable text a tenant can read from its RoomBan: condition messages and user messages. */
function tenantTexts(ban: RoomBan): string {
  return JSON.stringify([ban.status?.conditions?.map((c) => [c.reason, c.message]), ban.status?.users?.map((u) => u.message ?? '')]);
}

describe('providers in a shared cluster', function () {
  this.timeout(180_000);
  const env = useOperatorEnv();

  it("a ClusterRoomProvider's namespaceSelector: a matching namespace's RoomBan completes, another's is Stalled/ProviderNotAllowed with no Secret read and no vendor call, until its namespace is relabelled", async () => {
    const [allowed = '', refused = '', secrets = ''] = await Promise.all(['sel-in', 'sel-out', 'sel-keys'].map((p) => freshNamespace(env.cluster, p)));
    await label(env, allowed, { 'roomban.io/tenant': 'moderation' });
    await startOperator(env, { namespaces: [allowed, refused, secrets] });
    const sim = env.sims.trtc;
    const name = `sel-${allowed}`;
    const spec: ClusterRoomProviderSpec = {
      ...providerSpec('tencentTRTC', sim.url, 'shared-keys'),
      namespaceSelector: { matchLabels: { 'roomban.io/tenant': 'moderation' }, matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
    };
    spec.credentialsSecretRef.namespace = secrets;
    // The Secret does not exist yet: a RoomBan for which the operator looked at it would be
    // WaitingForProvider; ProviderNotAllowed is decided before any Secret is read.
    await createClusterProvider(env, name, spec);
    const roomIn = `in-${allowed}`;
    const roomOut = `out-${refused}`;
    sim.addMembers(roomIn, ['i1']);
    sim.addMembers(roomOut, ['o1']);
    const ref = { kind: 'ClusterRoomProvider' as const, name };
    await env.fx.ban(allowed, 'b', { providerRef: ref, roomId: roomIn, users: ['i1'] });
    await env.fx.ban(refused, 'b', { providerRef: ref, roomId: roomOut, users: ['o1'] });

    const notAllowed = await env.fx.waitForBan(refused, 'b', (b) => condition(b, 'Stalled')?.reason === 'ProviderNotAllowed');
    assert.equal(condition(notAllowed, 'Stalled')?.status, 'True');
    assert.equal(condition(notAllowed, 'Ready')?.status, 'False');
    assert.equal(notAllowed.status?.observedGeneration, notAllowed.metadata.generation);
    assert.match(condition(notAllowed, 'Stalled')?.message ?? '', new RegExp(`ClusterRoomProvider "${name}" may not be used by RoomBans in namespace "${refused}"`));
    assert.doesNotMatch(tenantTexts(notAllowed), new RegExp(`${secrets}|shared-keys`));
    await env.fx.waitForBan(allowed, 'b', (b) => condition(b, 'Reconciling')?.reason === 'WaitingForProvider');

    await env.fx.secret(secrets, 'shared-keys', secretData('tencentTRTC'));
    const done = await env.fx.waitForBan(allowed, 'b', isReady);
    assert.deepEqual(done.status?.users?.map((u) => u.state), ['Removed']);
    // The Secret now exists and the allowed ban went through; the refused one still may not.
    const still = await env.fx.getBan(refused, 'b');
    assert.equal(condition(still, 'Stalled')?.reason, 'ProviderNotAllowed');
    assert.deepEqual(callsFor(sim, roomOut), [], 'no vendor call for a namespace the provider does not serve');
    assert.deepEqual(sim.members(roomOut), ['o1']);

    await label(env, refused, { 'roomban.io/tenant': 'moderation' });
    const relabelled = await env.fx.waitForBan(refused, 'b', isReady);
    assert.deepEqual(relabelled.status?.users?.map((u) => u.state), ['Removed']);
    assert.equal(callsFor(sim, roomOut).length, 1);
  });

  it("a RoomBan using a ClusterRoomProvider is never told which Secret it uses, nor whether it is missing or malformed; the provider's status tells its owner", async () => {
    const [ns = '', secrets = ''] = await Promise.all(['hide', 'hide-keys'].map((p) => freshNamespace(env.cluster, p)));
    await startOperator(env, { namespaces: [ns, secrets] });
    const sim = env.sims.trtc;
    const name = `hidden-${ns}`;
    const secretName = 'vault-trtc-credentials';
    const spec: ClusterRoomProviderSpec = providerSpec('tencentTRTC', sim.url, secretName);
    spec.credentialsSecretRef.namespace = secrets;
    await createClusterProvider(env, name, spec);
    const room = `hide-${ns}`;
    sim.addMembers(room, ['h1']);
    await env.fx.ban(ns, 'b', { providerRef: { kind: 'ClusterRoomProvider', name }, roomId: room, users: ['h1'] });

    const missing = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Reconciling')?.reason === 'WaitingForProvider');
    const uniform = /^the credentials of ClusterRoomProvider "[^"]+" are missing, unreadable or invalid; ask the provider's owner/;
    assert.match(condition(missing, 'Reconciling')?.message ?? '', uniform);
    assert.doesNotMatch(tenantTexts(missing), new RegExp(`${secrets}|${secretName}|not found`));
    const owner = await waitForProvider(env, undefined, name, readyIs('False', 'SecretNotFound'));
    assert.match(ready(owner)?.message ?? '', new RegExp(`Secret ${secrets}/${secretName} not found`));

    // A Secret without secretKey: the owner is told which key; the tenant reads exactly what it read before.
    await env.fx.secret(secrets, secretName, { secretId: secretData('tencentTRTC').secretId ?? '' });
    const malformed = await waitForProvider(env, undefined, name, readyIs('False', 'CredentialsInvalid'));
    assert.match(ready(malformed)?.message ?? '', /missing or empty key\(s\) secretKey/);
    const stillWaiting = await env.fx.getBan(ns, 'b');
    assert.equal(condition(stillWaiting, 'Reconciling')?.reason, 'WaitingForProvider');
    assert.equal(condition(stillWaiting, 'Reconciling')?.message, condition(missing, 'Reconciling')?.message);
    assert.doesNotMatch(tenantTexts(stillWaiting), new RegExp(`${secrets}|${secretName}|secretKey`));
    assert.deepEqual(callsFor(sim, room), []);
    const events = await env.fx.events(ns);
    assert.doesNotMatch(JSON.stringify(events), new RegExp(`${secrets}|${secretName}`));

    await env.fx.replaceSecret(secrets, secretName, secretData('tencentTRTC'));
    await env.fx.waitForBan(ns, 'b', isReady);
    await waitForProvider(env, undefined, name, readyIs('True', 'CredentialsFound'));
  });

  it('writes each provider a Ready condition: CredentialsFound, SecretNotFound, CredentialsInvalid naming the key, UnknownRegion; observedGeneration follows edits; kubectl get shows READY', async () => {
    const ns = await freshNamespace(env.cluster, 'pstat');
    await startOperator(env, { namespaces: [ns] });
    const values = secretData('volcengineRTC');

    // Good.
    await env.fx.vendorProvider(ns, 'volcengineRTC', env.sims.volcengine.url, 'good');
    const good = await waitForProvider(env, ns, 'good', readyIs('True', 'CredentialsFound'));
    assert.equal(good.status?.observedGeneration, 1);
    assert.equal(ready(good)?.message, `Secret ${ns}/good-credentials holds accessKeyId, secretAccessKey`);

    // Missing Secret, then a Secret missing a key, then fixed.
    await env.fx.provider(ns, 'keys', providerSpec('volcengineRTC', env.sims.volcengine.url, 'keys-credentials'));
    const notFound = await waitForProvider(env, ns, 'keys', readyIs('False', 'SecretNotFound'));
    assert.equal(ready(notFound)?.message, `Secret ${ns}/keys-credentials not found`);
    await env.fx.secret(ns, 'keys-credentials', { accessKeyId: values.accessKeyId ?? '' });
    const noKey = await waitForProvider(env, ns, 'keys', readyIs('False', 'CredentialsInvalid'));
    assert.match(ready(noKey)?.message ?? '', /missing or empty key\(s\) secretAccessKey/);
    await env.fx.replaceSecret(ns, 'keys-credentials', values);
    await waitForProvider(env, ns, 'keys', readyIs('True', 'CredentialsFound'));

    // An unknown region is a spec edit: generation 2, and the status says so for generation 2.
    const edited = await getProvider(env, ns, 'good');
    const volc = edited.spec.volcengineRTC;
    assert.ok(volc);
    volc.region = 'cn-south-9';
    await env.fx.custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'roomproviders', name: 'good', body: edited });
    const unknown = await waitForProvider(env, ns, 'good', readyIs('False', 'UnknownRegion'));
    assert.equal(unknown.metadata.generation, 2);
    assert.equal(unknown.status?.observedGeneration, 2);
    assert.match(ready(unknown)?.message ?? '', /volcengineRTC region "cn-south-9" is unknown/);

    // No credential value is ever echoed.
    const all = JSON.stringify([good.status, notFound.status, noKey.status, unknown.status]);
    for (const value of Object.values(values)) assert.ok(!all.includes(value), 'a credential value in a provider status');

    const table = await env.cluster.kubectl(['get', 'roomproviders.roomban.io', '-n', ns]);
    assert.equal(table.code, 0, table.stderr);
    // kubectl aligns columns; empty cells (the other vendors) are blanks, so read by the header's offset.
    const rows = table.stdout.trimEnd().split('\n');
    const at = rows[0]?.search(/\bREADY\b/) ?? -1;
    assert.ok(at >= 0, table.stdout);
    const cell = (provider: string) => rows.find((row) => row.startsWith(`${provider} `))?.slice(at).split(/\s+/)[0];
    assert.equal(cell('good'), 'False', table.stdout);
    assert.equal(cell('keys'), 'True', table.stdout);
  });

  it('a provider update that is not a spec change (its status, a label) re-asks no Failed user and keeps inputsVersion', async () => {
    const ns = await freshNamespace(env.cluster, 'pquiet');
    await startOperator(env, { namespaces: [ns] });
    const sim = env.sims.trtc;
    const room = `quiet-${ns}`;
    sim.addMembers(room, ['q1']);
    await env.fx.secret(ns, 'creds', { ...secretData('tencentTRTC'), secretKey: 'wrong-key' });
    await env.fx.provider(ns, 'trtc', providerSpec('tencentTRTC', sim.url, 'creds'));
    await env.fx.ban(ns, 'b', { providerRef: { name: 'trtc' }, roomId: room, users: ['q1'] });
    const stalled = await env.fx.waitForBan(ns, 'b', (b) => condition(b, 'Stalled')?.reason === 'VendorRejected');
    // A well-formed wrong key: the provider is Ready (its status was written), the vendor refused.
    await waitForProvider(env, ns, 'trtc', readyIs('True', 'CredentialsFound'));
    const calls = callsFor(sim, room).length;
    const provider = await getProvider(env, ns, 'trtc');
    provider.metadata.labels = { ...provider.metadata.labels, touched: 'yes' };
    const relabelled = (await env.fx.custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'roomproviders', name: 'trtc', body: provider })) as RoomProvider;
    assert.notEqual(relabelled.metadata.resourceVersion, provider.metadata.resourceVersion);
    assert.equal(relabelled.metadata.generation, provider.metadata.generation);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(callsFor(sim, room).length, calls, 'no Failed user re-asked');
    const after = await env.fx.getBan(ns, 'b');
    assert.equal(after.status?.inputsVersion, stalled.status?.inputsVersion);
    assert.deepEqual(after.status?.users?.map((u) => [u.state, u.attempts]), [['Failed', 1]]);
  });

  it("a ClusterRoomProvider's Ready condition, and READY in kubectl get", async () => {
    const [ns = '', secrets = ''] = await Promise.all(['cstat', 'cstat-keys'].map((p) => freshNamespace(env.cluster, p)));
    await startOperator(env, { namespaces: [ns, secrets] });
    const name = `cstat-${ns}`;
    const spec: ClusterRoomProviderSpec = providerSpec('tencentTRTC', env.sims.trtc.url, 'shared');
    spec.credentialsSecretRef.namespace = secrets;
    assert.ok(spec.tencentTRTC);
    spec.tencentTRTC.region = 'singapore';
    await env.fx.secret(secrets, 'shared', secretData('tencentTRTC'));
    await createClusterProvider(env, name, spec);
    const unknown = await waitForProvider(env, undefined, name, readyIs('False', 'UnknownRegion'));
    assert.match(ready(unknown)?.message ?? '', /tencentTRTC region "singapore" is not a TencentCloud region name/);
    const table = await env.cluster.kubectl(['get', 'clusterroomproviders.roomban.io', name, '-o', 'custom-columns=READY:.status.conditions[?(@.type=="Ready")].status']);
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout.trim().split('\n')[1], 'False');
    const printed = await env.cluster.kubectl(['get', 'clusterroomproviders.roomban.io', name]);
    assert.match(printed.stdout.split('\n')[0] ?? '', /\bREADY\b/);
    assert.match(printed.stdout.split('\n')[1] ?? '', /\bFalse\b/);
  });
});
