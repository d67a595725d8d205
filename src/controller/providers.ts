// From a RoomBan's providerRef to what the vendor client needs: the provider, its Secret's
// credentials, and the versions they were read at. Every way this can fail maps to a condition
// reason (docs/reconcile.md#conditions): ProviderNotFound and CredentialsInvalid stall; a missing
// Secret waits for its watch event; a Secret the operator may not read is polled.

import type { V1Secret } from '@kubernetes/client-node';
import type { BanTarget, ProviderKind, RoomBan, RoomProvider, VendorName } from '../api/types.ts';
import type { ProviderConfig } from '../vendors/index.ts';
import type { EndpointPolicy } from './endpoint-policy.ts';
import { isForbidden } from './kube-errors.ts';

export type ProviderResolution =
  | { kind: 'ok'; vendor: VendorName; config: ProviderConfig; target: BanTarget; inputsVersion: string; providerKey: string }
  | { kind: 'stalled'; reason: 'ProviderNotFound' | 'CredentialsInvalid' | 'InvalidSpec'; message: string }
  /** `poll`: no watched event will say when it passes (RBAC granted later), so back off and look again. */
  | { kind: 'waiting'; reason: 'WaitingForProvider'; message: string; poll?: boolean };

export interface ProviderLookup {
  provider(kind: ProviderKind, namespace: string, name: string): RoomProvider | undefined;
  secret(namespace: string, name: string): Promise<V1Secret | undefined>;
  endpoints: EndpointPolicy;
}

const CREDENTIAL_KEYS: Record<VendorName, { required: string[]; optional: string[] }> = {
  tencentTRTC: { required: ['secretId', 'secretKey'], optional: ['token'] },
  tencentChat: { required: ['secretKey'], optional: [] },
  volcengineRTC: { required: ['accessKeyId', 'secretAccessKey'], optional: ['sessionToken'] },
};

export function providerKeyOf(ban: RoomBan): string {
  const kind = ban.spec.providerRef.kind ?? 'RoomProvider';
  return kind === 'RoomProvider' ? `${kind}/${ban.metadata.namespace}/${ban.spec.providerRef.name}` : `${kind}/${ban.spec.providerRef.name}`;
}

export async function resolveProvider(ban: RoomBan, lookup: ProviderLookup): Promise<ProviderResolution> {
  const kind = ban.spec.providerRef.kind ?? 'RoomProvider';
  const namespace = ban.metadata.namespace ?? '';
  const provider = lookup.provider(kind, namespace, ban.spec.providerRef.name);
  if (!provider) {
    return { kind: 'stalled', reason: 'ProviderNotFound', message: `${kind} "${ban.spec.providerRef.name}" not found` };
  }
  const vendor = vendorOf(provider);
  if (!vendor) return { kind: 'stalled', reason: 'InvalidSpec', message: `${kind} "${provider.metadata.name}" sets no vendor` };
  const endpoint = provider.spec[vendor]?.endpoint;
  const refusal = endpoint === undefined ? undefined : lookup.endpoints.refusal(endpoint);
  if (refusal !== undefined) {
    return { kind: 'stalled', reason: 'InvalidSpec', message: `${kind} "${provider.metadata.name}": spec.${vendor}.endpoint is refused: ${refusal}` };
  }
  const ref = provider.spec.credentialsSecretRef;
  const secretNamespace = kind === 'ClusterRoomProvider' ? ref.namespace ?? '' : namespace;
  let secret: V1Secret | undefined;
  try {
    secret = await lookup.secret(secretNamespace, ref.name);
  } catch (error) {
    if (!isForbidden(error)) throw error;
    // RBAC can be granted later without any event we watch: wait, and poll with backoff.
    const message = `not allowed to read Secret ${secretNamespace}/${ref.name}: grant the operator get on Secrets there (Helm: rbac.secretNamespaces)`;
    return { kind: 'waiting', reason: 'WaitingForProvider', message, poll: true };
  }
  if (!secret) {
    return { kind: 'waiting', reason: 'WaitingForProvider', message: `Secret ${secretNamespace}/${ref.name} not found` };
  }
  const credentials = readCredentials(secret, vendor);
  if (typeof credentials === 'string') {
    return { kind: 'stalled', reason: 'CredentialsInvalid', message: `Secret ${secretNamespace}/${ref.name}: ${credentials}` };
  }
  const config = providerConfig(provider, vendor, credentials, endpoint);
  const target: BanTarget = {
    providerKind: kind,
    providerName: provider.metadata.name,
    account: `${vendor}/${accountOf(config)}`,
    roomId: ban.spec.roomId,
    roomIdType: ban.spec.roomIdType ?? 'String',
  };
  const inputsVersion = `${provider.metadata.resourceVersion ?? ''}/${secret.metadata?.resourceVersion ?? ''}`;
  return { kind: 'ok', vendor, config, target, inputsVersion, providerKey: providerKeyOf(ban) };
}

export function vendorOf(provider: RoomProvider): VendorName | undefined {
  if (provider.spec.tencentTRTC) return 'tencentTRTC';
  if (provider.spec.tencentChat) return 'tencentChat';
  if (provider.spec.volcengineRTC) return 'volcengineRTC';
  return undefined;
}

export function accountOf(config: ProviderConfig): string {
  return config.vendor === 'volcengineRTC' ? config.appId : String(config.sdkAppId);
}

/** Credential values longer than this are refused: no vendor issues keys of kilobytes. */
const MAX_CREDENTIAL_BYTES = 4096;

/**
 * The Secret's keys for this vendor, or a message naming the missing or malformed keys (never their
 * values). A value with control characters (a newline pasted with the key) or over
 * MAX_CREDENTIAL_BYTES could never sign a request; refusing it here says which key to fix, where the
 * HTTP layer would only fail to send.
 */
function readCredentials(secret: V1Secret, vendor: VendorName): Record<string, string> | string {
  const data = secret.data ?? {};
  const keys = CREDENTIAL_KEYS[vendor];
  const values: Record<string, string> = {};
  const malformed: string[] = [];
  for (const key of [...keys.required, ...keys.optional]) {
    const encoded = data[key];
    const bytes = encoded === undefined ? Buffer.alloc(0) : Buffer.from(encoded, 'base64');
    const value = bytes.toString('utf8').trim();
    if (bytes.length > MAX_CREDENTIAL_BYTES) malformed.push(`${key} is over ${MAX_CREDENTIAL_BYTES} bytes`);
    else if (/[\u0000-\u001f\u007f]/.test(value) || value.includes('\ufffd')) malformed.push(`${key} holds control characters or bytes that are not UTF-8`);
    else if (value !== '') values[key] = value;
  }
  if (malformed.length > 0) return `malformed key(s): ${malformed.join('; ')}`;
  const missing = keys.required.filter((key) => values[key] === undefined);
  if (missing.length > 0) return `missing or empty key(s) ${missing.join(', ')} (a ${vendor} provider needs ${keys.required.join(', ')})`;
  return values;
}

function providerConfig(provider: RoomProvider, vendor: VendorName, c: Record<string, string>, endpoint?: string): ProviderConfig {
  const requestsPerSecond = provider.spec.rateLimit?.requestsPerSecond;
  const common = { ...(endpoint ? { endpoint } : {}), ...(requestsPerSecond ? { requestsPerSecond } : {}) };
  const spec = provider.spec;
  if (vendor === 'tencentTRTC' && spec.tencentTRTC) {
    const credentials = { secretId: c.secretId ?? '', secretKey: c.secretKey ?? '', ...(c.token ? { token: c.token } : {}) };
    return { vendor, sdkAppId: spec.tencentTRTC.sdkAppId, region: spec.tencentTRTC.region, credentials, ...common };
  }
  if (vendor === 'tencentChat' && spec.tencentChat) {
    const { sdkAppId, region, adminIdentifier } = spec.tencentChat;
    return { vendor, sdkAppId, region, adminIdentifier, credentials: { secretKey: c.secretKey ?? '' }, ...common };
  }
  const volc = spec.volcengineRTC!;
  const credentials = {
    accessKeyId: c.accessKeyId ?? '', secretAccessKey: c.secretAccessKey ?? '',
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
  };
  return { vendor: 'volcengineRTC', appId: volc.appId, region: volc.region, credentials, ...common };
}
