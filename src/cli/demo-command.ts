// `roomban demo` (the README's run command): a local kube-apiserver + etcd (or --kubeconfig), the
// vendor simulators and the operator; applies crds/ and examples/ (pointed at the simulators) and
// shows the RoomBans' progress until every one is Ready with its RequestIds. Ctrl-C stops it all.

import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiextensionsV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { RoomBan, RoomProvider, VendorName } from '../api/types.ts';
import { startOperator } from '../controller/operator.ts';
import { PROJECT_ROOT } from '../devcluster/binaries.ts';
import { startLocalCluster } from '../devcluster/local-cluster.ts';
import { createLogger } from '../observability/logger.ts';
import { type AllSimulators, SANDBOX_ACCOUNTS, startAllSimulators } from '../sandbox/index.ts';

const NAMESPACE = 'roomban-demo';

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { kubeconfig: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write('Usage: roomban demo [--kubeconfig=<path>]\n\nStarts a local control plane (or uses --kubeconfig), the vendor simulators and the operator,\napplies crds/ and examples/ into namespace roomban-demo, and shows progress. Ctrl-C stops what it started.\n');
    return 0;
  }
  const stops: (() => Promise<void>)[] = [];
  const interrupted = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  try {
    const kubeConfig = new KubeConfig();
    if (values.kubeconfig) kubeConfig.loadFromFile(values.kubeconfig);
    else {
      say('starting kube-apiserver and etcd on 127.0.0.1 ...');
      const cluster = await startLocalCluster();
      stops.push(() => cluster.stop());
      kubeConfig.loadFromFile(cluster.kubeconfigPath('admin'));
      say(`control plane up at ${cluster.server} (kubeconfig: ${cluster.kubeconfigPath('admin')})`);
    }
    await installCrds(kubeConfig);
    const sims = await startAllSimulators();
    stops.push(() => sims.close());
    say(`simulators: TRTC ${sims.trtc.url}  Chat ${sims.chat.url}  Volcengine ${sims.volcengine.url}`);
    const bans = await applyExamples(kubeConfig, sims);
    const operatorStop = new AbortController();
    const operator = await startOperator({
      kubeConfig, namespaces: undefined, concurrency: 10, leaderElect: false, leaderElectionNamespace: NAMESPACE,
      leaderElectionId: 'roomban-operator', metricsBindAddress: '127.0.0.1:0', healthProbeBindAddress: '127.0.0.1:0',
      allowCustomEndpoints: true, log: createLogger({ level: 'warn' }),
    }, operatorStop.signal);
    stops.push(async () => {
      operatorStop.abort();
      await operator.done;
    });
    say(`operator running (metrics ${operator.metricsUrl}/metrics)`);
    await Promise.race([showProgress(kubeConfig, bans), interrupted]);
    say('Ctrl-C to stop.');
    await interrupted;
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function readManifests(folder: string): KubernetesObject[] {
  return readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(folder, f), 'utf8')).map((d) => d.toJS() as KubernetesObject | null))
    .filter((o): o is KubernetesObject => o !== null);
}

async function installCrds(kubeConfig: KubeConfig): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const crd of readManifests(join(PROJECT_ROOT, 'crds'))) await upsert(objects, crd);
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  for (const crd of readManifests(join(PROJECT_ROOT, 'crds'))) {
    for (;;) {
      const read = await api.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
      if (read.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function upsert(objects: KubernetesObjectApi, object: KubernetesObject): Promise<void> {
  try {
    await objects.create(object);
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
    const existing = await objects.read(object as KubernetesObject & { metadata: { name: string } });
    await objects.replace({ ...object, metadata: { ...object.metadata, resourceVersion: existing.metadata?.resourceVersion } });
  }
}

/** Applies examples/ into the demo namespace, pointed at the simulators; returns the RoomBan names. */
async function applyExamples(kubeConfig: KubeConfig, sims: AllSimulators): Promise<string[]> {
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  await upsert(objects, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const manifests = readManifests(join(PROJECT_ROOT, 'examples'));
  const providers = manifests.filter((o): o is KubernetesObject & RoomProvider => o.kind === 'RoomProvider' || o.kind === 'ClusterRoomProvider');
  const secretVendor = new Map(providers.map((p) => [p.spec.credentialsSecretRef.name, vendorOf(p)]));
  const vendorOfProvider = new Map(providers.map((p) => [p.metadata.name, vendorOf(p)]));
  const bans: string[] = [];
  for (const object of manifests) {
    if (object.kind !== 'ClusterRoomProvider') object.metadata = { ...object.metadata, namespace: NAMESPACE };
    if (object.kind === 'Secret') sandboxSecret(object as KubernetesObject & { stringData?: Record<string, string> }, secretVendor.get(object.metadata?.name ?? ''));
    if (object.kind === 'RoomProvider' || object.kind === 'ClusterRoomProvider') sandboxProvider(object as KubernetesObject & RoomProvider, sims);
    if (object.kind === 'RoomBan') {
      const ban = object as KubernetesObject & RoomBan;
      bans.push(ban.metadata.name);
      seedRoom(sims, vendorOfProvider.get(ban.spec.providerRef.name), ban);
    }
    await upsert(objects, object);
  }
  return bans;
}

function vendorOf(provider: RoomProvider): VendorName {
  return provider.spec.tencentChat ? 'tencentChat' : provider.spec.volcengineRTC ? 'volcengineRTC' : 'tencentTRTC';
}

function sandboxSecret(secret: { stringData?: Record<string, string> }, vendor: VendorName | undefined): void {
  if (vendor === 'tencentChat') secret.stringData = { secretKey: SANDBOX_ACCOUNTS.chat.secretKey };
  else if (vendor === 'volcengineRTC') secret.stringData = { accessKeyId: SANDBOX_ACCOUNTS.volcengine.accessKeyId, secretAccessKey: SANDBOX_ACCOUNTS.volcengine.secretAccessKey };
  else secret.stringData = { secretId: SANDBOX_ACCOUNTS.trtc.secretId, secretKey: SANDBOX_ACCOUNTS.trtc.secretKey };
}

function sandboxProvider(provider: RoomProvider, sims: AllSimulators): void {
  const { spec } = provider;
  if (spec.tencentTRTC) spec.tencentTRTC = { ...spec.tencentTRTC, sdkAppId: SANDBOX_ACCOUNTS.trtc.sdkAppId, endpoint: sims.trtc.url };
  if (spec.tencentChat) spec.tencentChat = { ...spec.tencentChat, sdkAppId: SANDBOX_ACCOUNTS.chat.sdkAppId, adminIdentifier: SANDBOX_ACCOUNTS.chat.adminIdentifier, endpoint: sims.chat.url };
  if (spec.volcengineRTC) spec.volcengineRTC = { ...spec.volcengineRTC, appId: SANDBOX_ACCOUNTS.volcengine.appIds[0], endpoint: sims.volcengine.url };
  if (provider.kind === 'ClusterRoomProvider') spec.credentialsSecretRef = { ...spec.credentialsSecretRef, namespace: NAMESPACE };
}

/** The users are in the room at the simulator, so the kicks really remove them. */
function seedRoom(sims: AllSimulators, vendor: VendorName | undefined, ban: RoomBan): void {
  const sim = vendor === 'tencentChat' ? sims.chat : vendor === 'volcengineRTC' ? sims.volcengine : sims.trtc;
  sim.addMembers(ban.spec.roomId, ban.spec.users, { roomIdType: ban.spec.roomIdType ?? 'String' });
}

async function showProgress(kubeConfig: KubeConfig, names: string[]): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (;;) {
    const bans = await Promise.all(names.map((name) =>
      objects.read({ apiVersion: 'roomban.io/v1alpha1', kind: 'RoomBan', metadata: { name, namespace: NAMESPACE } }) as Promise<RoomBan>));
    const ready = bans.filter((b) => b.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    say(`${new Date().toISOString().slice(11, 19)}  ${bans.map((b) => `${b.metadata.name} ${b.status?.progress ?? '0/?'}`).join('  ')}`);
    if (ready.length === bans.length) {
      say('\nAll RoomBans are Ready:');
      for (const ban of bans) {
        for (const user of ban.status?.users ?? []) {
          const until = user.bannedUntil === undefined ? '' : `  bannedUntil ${user.bannedUntil}`;
          say(`  ${ban.metadata.name.padEnd(28)} ${user.userId.padEnd(16)} ${user.state.padEnd(13)} RequestId ${user.requestId ?? ''}${until}`);
        }
      }
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
