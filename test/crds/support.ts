// Helpers for the CRD tests against the real API server: valid base objects to break one field at
// a time, and create calls that return the API server's Status on rejection.

import assert from 'node:assert/strict';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { API_VERSION, GROUP, VERSION } from '../../src/api/types.ts';
import { freshNamespace, installCrds, type TestCluster, testCluster } from '../harness/cluster.ts';
import type { RoomBan, RoomProvider } from '../../src/api/types.ts';

/** The objects of the roomban.io API. */
export type ApiObject = RoomBan | RoomProvider;

/** metav1.Status as the API server returns it for a refused request. */
export interface ApiStatus {
  code: number;
  reason: string;
  message: string;
  causes: { reason?: string; message?: string; field?: string }[];
}

const PLURALS = { RoomBan: 'roombans', RoomProvider: 'roomproviders', ClusterRoomProvider: 'clusterroomproviders' } as const;

export function pluralOf(object: ApiObject): string {
  return PLURALS[object.kind];
}

/** A valid RoomBan; tests change one field to make it invalid. */
export function roomBan(name = 'raid'): RoomBan {
  return {
    apiVersion: API_VERSION,
    kind: 'RoomBan',
    metadata: { name },
    spec: { providerRef: { name: 'trtc-intl' }, roomId: 'abcd', users: ['test1', 'test2'], reason: 'spam wave' },
  };
}

/** A valid RoomProvider for each vendor. */
export function trtcProvider(name = 'trtc-intl'): RoomProvider {
  return {
    apiVersion: API_VERSION,
    kind: 'RoomProvider',
    metadata: { name },
    spec: { tencentTRTC: { sdkAppId: 1400000001, region: 'ap-singapore' }, credentialsSecretRef: { name: 'trtc-credentials' } },
  };
}

export function chatProvider(name = 'chat-sgp'): RoomProvider {
  return {
    apiVersion: API_VERSION,
    kind: 'RoomProvider',
    metadata: { name },
    spec: {
      tencentChat: { sdkAppId: 1400000002, region: 'singapore', adminIdentifier: 'administrator' },
      credentialsSecretRef: { name: 'chat-credentials' },
    },
  };
}

export function volcengineProvider(name = 'volc-cn'): RoomProvider {
  return {
    apiVersion: API_VERSION,
    kind: 'RoomProvider',
    metadata: { name },
    spec: {
      volcengineRTC: { appId: '0123456789abcdef01234567', region: 'cn-north-1' },
      credentialsSecretRef: { name: 'volcengine-credentials' },
    },
  };
}

export function clusterProvider(name: string, secretNamespace: string): RoomProvider {
  return {
    apiVersion: API_VERSION,
    kind: 'ClusterRoomProvider',
    metadata: { name },
    spec: {
      tencentTRTC: { sdkAppId: 1400000003, region: 'ap-guangzhou' },
      credentialsSecretRef: { name: 'shared-trtc-credentials', namespace: secretNamespace },
    },
  };
}

/**
 * Creates `object` the way kubectl does (fieldValidation=Strict: unknown fields are errors, not
 * silently dropped). Cluster-scoped kinds ignore `namespace`.
 */
export async function create<T extends ApiObject>(kubeConfig: KubeConfig, namespace: string, object: T | object): Promise<T> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const body = object as T;
  const common = { group: GROUP, version: VERSION, plural: pluralOf(body), body, fieldValidation: 'Strict' };
  const created: unknown = body.kind === 'ClusterRoomProvider'
    ? await api.createClusterCustomObject(common)
    : await api.createNamespacedCustomObject({ ...common, namespace });
  return created as T;
}

/**
 * Registers a before hook in the calling suite: the test cluster with the CRDs installed, and a
 * fresh namespace named after `prefix`. The returned object is filled in when the hook has run.
 */
export function useCrdNamespace(prefix: string): { c: TestCluster; ns: string } {
  const env = {} as { c: TestCluster; ns: string };
  before(async () => {
    env.c = await testCluster();
    await installCrds(env.c);
    env.ns = await freshNamespace(env.c, prefix);
  });
  return env;
}

/** Replaces a RoomBan (kubectl apply's update), strictly validated. */
export async function replaceRoomBan(kubeConfig: KubeConfig, namespace: string, ban: RoomBan): Promise<RoomBan> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const common = { group: GROUP, version: VERSION, plural: 'roombans', name: ban.metadata.name, body: ban, fieldValidation: 'Strict' };
  return (await api.replaceNamespacedCustomObject({ ...common, namespace })) as RoomBan;
}

/** Creates `object`, expects the API server to refuse it, and returns its Status. */
export async function rejection(kubeConfig: KubeConfig, namespace: string, object: object): Promise<ApiStatus> {
  try {
    await create(kubeConfig, namespace, object);
  } catch (error) {
    return statusOf(error);
  }
  return assert.fail(`the API server accepted ${JSON.stringify(object)}`);
}

/** The metav1.Status in a client-node ApiException; rethrows anything else. */
export function statusOf(error: unknown): ApiStatus {
  const { code, body } = error as { code?: unknown; body?: unknown };
  if (typeof code !== 'number' || typeof body !== 'string') throw error;
  const parsed = JSON.parse(body) as { reason?: string; message?: string; details?: { causes?: ApiStatus['causes'] } };
  return { code, reason: parsed.reason ?? '', message: parsed.message ?? '', causes: parsed.details?.causes ?? [] };
}

/** A deep copy that a test may mutate freely. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** What the API server stores for `object`: the schema's defaults filled in. */
export function withDefaults(object: ApiObject): ApiObject {
  const result = copy(object);
  if (result.kind === 'RoomBan') {
    result.spec.providerRef.kind ??= 'RoomProvider';
    result.spec.roomIdType ??= 'String';
    result.spec.deletionPolicy ??= 'Unban';
  } else if (result.spec.tencentChat !== undefined) {
    result.spec.tencentChat.banDurationUnit ??= 'Seconds';
  }
  return result;
}
