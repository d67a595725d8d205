// RoomBans, providers and Secrets created through the real API server, for the integration tests
// and the benchmark.

import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { SANDBOX_ACCOUNTS } from '../src/sandbox/index.ts';
import { API_VERSION, GROUP, type RoomBan, type RoomBanSpec, type RoomProviderSpec, VERSION, type VendorName } from '../src/api/types.ts';

/** The Secret values for a vendor's sandbox account (what must never appear in logs, events or status). */
export function secretData(vendor: VendorName): Record<string, string> {
  switch (vendor) {
    case 'tencentTRTC':
      return { secretId: SANDBOX_ACCOUNTS.trtc.secretId, secretKey: SANDBOX_ACCOUNTS.trtc.secretKey };
    case 'tencentChat':
      return { secretKey: SANDBOX_ACCOUNTS.chat.secretKey };
    case 'volcengineRTC':
      return { accessKeyId: SANDBOX_ACCOUNTS.volcengine.accessKeyId, secretAccessKey: SANDBOX_ACCOUNTS.volcengine.secretAccessKey };
  }
}

export function providerSpec(vendor: VendorName, endpoint: string, secretName: string): RoomProviderSpec {
  const credentialsSecretRef = { name: secretName };
  switch (vendor) {
    case 'tencentTRTC':
      return { tencentTRTC: { sdkAppId: SANDBOX_ACCOUNTS.trtc.sdkAppId, region: 'ap-singapore', endpoint }, credentialsSecretRef };
    case 'tencentChat':
      return { tencentChat: { sdkAppId: SANDBOX_ACCOUNTS.chat.sdkAppId, region: 'singapore', adminIdentifier: 'administrator', endpoint }, credentialsSecretRef };
    case 'volcengineRTC':
      return { volcengineRTC: { appId: SANDBOX_ACCOUNTS.volcengine.appIds[0], region: 'cn-north-1', endpoint }, credentialsSecretRef };
  }
}

export class Fixtures {
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async secret(namespace: string, name: string, data: Record<string, string>): Promise<void> {
    await this.core.createNamespacedSecret({ namespace, body: { metadata: { name }, stringData: data } });
  }

  async replaceSecret(namespace: string, name: string, data: Record<string, string>): Promise<void> {
    await this.core.replaceNamespacedSecret({ namespace, name, body: { metadata: { name }, stringData: data } });
  }

  async provider(namespace: string, name: string, spec: RoomProviderSpec): Promise<void> {
    const body = { apiVersion: API_VERSION, kind: 'RoomProvider', metadata: { name }, spec };
    await this.custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'roomproviders', body });
  }

  /** A Secret and a RoomProvider for `vendor` pointing at a simulator. */
  async vendorProvider(namespace: string, vendor: VendorName, endpoint: string, name = vendor.toLowerCase()): Promise<string> {
    await this.secret(namespace, `${name}-credentials`, secretData(vendor));
    await this.provider(namespace, name, providerSpec(vendor, endpoint, `${name}-credentials`));
    return name;
  }

  async ban(namespace: string, name: string, spec: RoomBanSpec, annotations?: Record<string, string>): Promise<RoomBan> {
    const body = { apiVersion: API_VERSION, kind: 'RoomBan', metadata: { name, ...(annotations ? { annotations } : {}) }, spec };
    return (await this.custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'roombans', body })) as RoomBan;
  }

  async getBan(namespace: string, name: string): Promise<RoomBan> {
    return (await this.custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'roombans', name })) as RoomBan;
  }

  async updateBan(namespace: string, name: string, change: (ban: RoomBan) => void): Promise<RoomBan> {
    for (;;) {
      const ban = await this.getBan(namespace, name);
      change(ban);
      try {
        return (await this.custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'roombans', name, body: ban })) as RoomBan;
      } catch (error) {
        if ((error as { code?: number }).code !== 409) throw error;
      }
    }
  }

  async deleteBan(namespace: string, name: string): Promise<void> {
    await this.custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'roombans', name });
  }

  /** Polls until the RoomBan is gone (its finalizers all removed). */
  async waitForGone(namespace: string, name: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: RoomBan | undefined;
    while (Date.now() < deadline) {
      try {
        last = await this.getBan(namespace, name);
      } catch (error) {
        if ((error as { code?: number }).code === 404) return;
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`RoomBan ${namespace}/${name} still exists after ${timeoutMs} ms:\n${JSON.stringify({ metadata: last?.metadata, status: last?.status }, null, 1)}`);
  }

  async listBans(namespace: string): Promise<RoomBan[]> {
    const list = (await this.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'roombans' })) as { items: RoomBan[] };
    return list.items;
  }

  /** Polls until `predicate` holds for the ban; fails with its last status. */
  async waitForBan(namespace: string, name: string, predicate: (ban: RoomBan) => boolean, timeoutMs = 60_000): Promise<RoomBan> {
    const deadline = Date.now() + timeoutMs;
    let last: RoomBan | undefined;
    while (Date.now() < deadline) {
      last = await this.getBan(namespace, name);
      if (predicate(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`RoomBan ${namespace}/${name} did not reach the expected state in ${timeoutMs} ms; last status:\n${JSON.stringify(last?.status, null, 1)}`);
  }

  async events(namespace: string): Promise<{ reason: string; message: string; type: string }[]> {
    const list = await this.core.listNamespacedEvent({ namespace });
    return list.items.map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '' }));
  }
}

/** Events are written just after the status write that caused them: poll briefly. */
export async function waitForEvents(fx: Fixtures, namespace: string, predicate: (events: { reason: string; message: string; type: string }[]) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await fx.events(namespace);
    if (predicate(events) || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function condition(ban: RoomBan, type: string): { status: string; reason: string; message: string } | undefined {
  return ban.status?.conditions?.find((c) => c.type === type);
}

export function isReady(ban: RoomBan): boolean {
  return condition(ban, 'Ready')?.status === 'True' && ban.status?.observedGeneration === ban.metadata.generation;
}
