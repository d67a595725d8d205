// From a RoomBan's providerRef to what the vendor client needs: the provider, its Secret's
// credentials, and the versions they were read at. Every way this can fail maps to a condition
// reason (docs/reconcile.md#providers-and-credentials): ProviderNotFound, ProviderNotAllowed and
// CredentialsInvalid stall; a missing Secret waits for its watch event; a Secret the operator may
// not read is polled. A ClusterRoomProvider's Secret is not the tenant's: a RoomBan using one is
// never told which Secret it is, nor whether it is missing, unreadable or malformed (the
// provider's own status says so, for its owner).

import type { V1Secret } from '@kubernetes/client-node';
import type { BanTarget, LabelSelector, ProviderKind, RoomBan, RoomProvider, VendorName } from '../api/types.ts';
import type { ProviderConfig } from '../vendors/index.ts';
import { targetFor } from '../reconcile/index.ts';
import type { EndpointPolicy } from './endpoint-policy.ts';
import { isForbidden } from './kube-errors.ts';
import { selectorMatches } from './label-selector.ts';

export type ProviderResolution =
  | { kind: 'ok'; vendor: VendorName; config: ProviderConfig; target: BanTarget; inputsVersion: string; providerKey: string }
  | { kind: 'stalled'; reason: 'ProviderNotFound' | 'ProviderNotAllowed' | 'CredentialsInvalid' | 'InvalidSpec'; message: string }
  /** `poll`: no watched event will say when it passes (RBAC granted later), so back off and look again. */
  | { kind: 'waiting'; reason: 'WaitingForProvider'; message: string; poll?: boolean };

export interface ProviderLookup {
  provider(kind: ProviderKind, namespace: string, name: string): RoomProvider | undefined;
  secret(namespace: string, name: string): Promise<V1Secret | undefined>;
  /** The labels of a namespace, or undefined when it is not known (e.g. deleted). */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  endpoints: EndpointPolicy;
}

/** Why a provider cannot be used, for its own status (reasons of its Ready condition). */
export type ProviderProblemReason = 'InvalidSpec' | 'EndpointNotAllowed' | 'SecretNotFound' | 'SecretNotReadable' | 'CredentialsInvalid';

/** What a provider and its Secret amount to; messages are for the provider's owner (they name the Secret). */
export type ProviderInspection =
  | { kind: 'ok'; vendor: VendorName; config: ProviderConfig; secret: V1Secret; secretNamespace: string }
  | { kind: 'problem'; reason: ProviderProblemReason; message: string };

const CREDENTIAL_KEYS: Record<VendorName, { required: string[]; optional: string[] }> = {
  tencentTRTC: { required: ['secretId', 'secretKey'], optional: ['token'] },
  tencentChat: { required: ['secretKey'], optional: [] },
  volcengineRTC: { required: ['accessKeyId', 'secretAccessKey'], optional: ['sessionToken'] },
};

export function providerKeyOf(ban: RoomBan): string {
  const kind = ban.spec.providerRef.kind ?? 'RoomProvider';
  return kind === 'RoomProvider' ? `${kind}/${ban.metadata.namespace}/${ban.spec.providerRef.name}` : `${kind}/${ban.spec.providerRef.name}`;
}

/** The kind of a provider object (ClusterRoomProviders have no namespace). */
export function kindOf(provider: RoomProvider): ProviderKind {
  return provider.metadata.namespace ? 'RoomProvider' : 'ClusterRoomProvider';
}

/** A ClusterRoomProvider's namespaceSelector; undefined (every namespace) when unset or on a RoomProvider. */
export function namespaceSelectorOf(provider: RoomProvider): LabelSelector | undefined {
  return 'namespaceSelector' in provider.spec ? provider.spec.namespaceSelector : undefined;
}

/** Whether RoomBans in `namespace` may use `provider`. A namespace whose labels are unknown matches only a selector-less provider. */
export function allowsNamespace(provider: RoomProvider, labels: Record<string, string> | undefined): boolean {
  const selector = namespaceSelectorOf(provider);
  if (selector === undefined || kindOf(provider) === 'RoomProvider') return true;
  return labels !== undefined && selectorMatches(selector, labels);
}

export async function resolveProvider(ban: RoomBan, lookup: ProviderLookup): Promise<ProviderResolution> {
  const kind = ban.spec.providerRef.kind ?? 'RoomProvider';
  const namespace = ban.metadata.namespace ?? '';
  const provider = lookup.provider(kind, namespace, ban.spec.providerRef.name);
  if (!provider) {
    return { kind: 'stalled', reason: 'ProviderNotFound', message: `${kind} "${ban.spec.providerRef.name}" not found` };
  }
  // Before anything is read for it: a namespace the provider does not serve learns nothing of its Secret.
  if (kind === 'ClusterRoomProvider' && !allowsNamespace(provider, lookup.namespaceLabels(namespace))) {
    return {
      kind: 'stalled', reason: 'ProviderNotAllowed',
      message: `ClusterRoomProvider "${provider.metadata.name}" may not be used by RoomBans in namespace "${namespace}" (its namespaceSelector does not match the namespace's labels); ask the provider's owner`,
    };
  }
  const inspection = await inspectProvider(provider, lookup);
  if (inspection.kind === 'problem') return banProblem(kind, provider, inspection);
  const { vendor, config, secret } = inspection;
  const target: BanTarget = { ...targetFor(ban.spec, `${vendor}/${accountOf(config)}`), providerKind: kind, providerName: provider.metadata.name };
  return { kind: 'ok', vendor, config, target, inputsVersion: inputsVersionOf(provider, secret), providerKey: providerKeyOf(ban) };
}

/**
 * "<provider uid>.<provider generation>/<Secret resourceVersion>": what the results were obtained
 * with. The provider's generation, not its resourceVersion: the operator's own writes of the
 * provider's status must not re-ask Failed users or replace the vendor client.
 */
export function inputsVersionOf(provider: RoomProvider, secret: V1Secret): string {
  return `${provider.metadata.uid ?? ''}.${provider.metadata.generation ?? 0}/${secret.metadata?.resourceVersion ?? ''}`;
}

/** The provider's vendor, endpoint policy, Secret and credentials, as its owner would want them described. */
export async function inspectProvider(provider: RoomProvider, lookup: Pick<ProviderLookup, 'secret' | 'endpoints'>): Promise<ProviderInspection> {
  const kind = kindOf(provider);
  const vendor = vendorOf(provider);
  if (!vendor) return { kind: 'problem', reason: 'InvalidSpec', message: `${kind} "${provider.metadata.name}" sets no vendor` };
  const endpoint = provider.spec[vendor]?.endpoint;
  const refusal = endpoint === undefined ? undefined : lookup.endpoints.refusal(endpoint);
  if (refusal !== undefined) {
    return { kind: 'problem', reason: 'EndpointNotAllowed', message: `${kind} "${provider.metadata.name}": spec.${vendor}.endpoint is refused: ${refusal}` };
  }
  const ref = provider.spec.credentialsSecretRef;
  const secretNamespace = kind === 'ClusterRoomProvider' ? ref.namespace ?? '' : provider.metadata.namespace ?? '';
  let secret: V1Secret | undefined;
  try {
    secret = await lookup.secret(secretNamespace, ref.name);
  } catch (error) {
    if (!isForbidden(error)) throw error;
    const message = `not allowed to read Secret ${secretNamespace}/${ref.name}: grant the operator get on Secrets there (Helm: rbac.secretNamespaces)`;
    return { kind: 'problem', reason: 'SecretNotReadable', message };
  }
  if (!secret) return { kind: 'problem', reason: 'SecretNotFound', message: `Secret ${secretNamespace}/${ref.name} not found` };
  const credentials = readCredentials(secret, vendor);
  if (typeof credentials === 'string') {
    return { kind: 'problem', reason: 'CredentialsInvalid', message: `Secret ${secretNamespace}/${ref.name}: ${credentials}` };
  }
  return { kind: 'ok', vendor, config: providerConfig(provider, vendor, credentials, endpoint), secret, secretNamespace };
}

/**
 * What a RoomBan is told about a provider problem. Its own RoomProvider's Secret is the tenant's, so
 * the message names it. A ClusterRoomProvider's Secret is not: missing, unreadable and malformed all
 * read the same (Reconciling/WaitingForProvider, one message), so a tenant learns nothing about
 * Secrets it cannot read; the provider's status tells its owner which it is.
 */
function banProblem(kind: ProviderKind, provider: RoomProvider, problem: Extract<ProviderInspection, { kind: 'problem' }>): ProviderResolution {
  const poll = problem.reason === 'SecretNotReadable';
  if (problem.reason === 'InvalidSpec' || problem.reason === 'EndpointNotAllowed') {
    return { kind: 'stalled', reason: 'InvalidSpec', message: problem.message };
  }
  if (kind === 'ClusterRoomProvider') {
    const message = `the credentials of ClusterRoomProvider "${provider.metadata.name}" are missing, unreadable or invalid; ask the provider's owner (its status says what is wrong)`;
    return { kind: 'waiting', reason: 'WaitingForProvider', message, ...(poll ? { poll } : {}) };
  }
  if (problem.reason === 'CredentialsInvalid') return { kind: 'stalled', reason: 'CredentialsInvalid', message: problem.message };
  return { kind: 'waiting', reason: 'WaitingForProvider', message: problem.message, ...(poll ? { poll } : {}) };
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
    const { sdkAppId, region, adminIdentifier, banDurationUnit } = spec.tencentChat;
    const unit = banDurationUnit === undefined ? {} : { banDurationUnit };
    return { vendor, sdkAppId, region, adminIdentifier, ...unit, credentials: { secretKey: c.secretKey ?? '' }, ...common };
  }
  const volc = spec.volcengineRTC!;
  const credentials = {
    accessKeyId: c.accessKeyId ?? '', secretAccessKey: c.secretAccessKey ?? '',
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
  };
  return { vendor: 'volcengineRTC', appId: volc.appId, region: volc.region, credentials, ...common };
}
