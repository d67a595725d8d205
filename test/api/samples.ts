// Fully populated objects of every roomban.io type. `Complete<T>` makes every optional field of T
// mandatory, so tsc fails here as soon as src/api/types.ts gains a field the samples lack; the drift
// test then fails until the CRD schema has it too. The values are valid for the CRDs, so the
// control-plane tests can send them to a real API server.

import type {
  BanSummary,
  BanTarget,
  ClusterRoomProviderSpec,
  Condition,
  DeletionPolicy,
  LabelSelector,
  LabelSelectorOperator,
  LabelSelectorRequirement,
  ProviderKind,
  ProviderReference,
  RateLimit,
  RoomBan,
  RoomBanSpec,
  RoomBanStatus,
  RoomIdType,
  RoomProvider,
  RoomProviderSpec,
  RoomProviderStatus,
  SecretReference,
  TencentChatProvider,
  TencentTrtcProvider,
  UserState,
  UserStatus,
  VolcengineRtcProvider,
} from '../../src/api/types.ts';

/** T with every optional property required, recursively (arrays keep their element type). */
export type Complete<T> = T extends readonly (infer U)[]
  ? Complete<U>[]
  : T extends object
    ? { [K in keyof T]-?: Complete<T[K]> }
    : T;

/** The keys of T that are not optional (`{}` extends Pick<T, K> exactly when K is optional). */
export type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** A runtime list of T's required keys that tsc proves complete and exact. */
export function requiredKeys<T>(keys: Record<RequiredKeys<T>, true>): string[] {
  return Object.keys(keys).sort();
}

/** A runtime list of a string union's members that tsc proves complete and exact. */
export function members<U extends string>(values: Record<U, true>): string[] {
  return Object.keys(values).sort();
}

export const PROVIDER_KINDS = members<ProviderKind>({ RoomProvider: true, ClusterRoomProvider: true });
export const ROOM_ID_TYPES = members<RoomIdType>({ String: true, Numeric: true });
export const USER_STATES = members<UserState>({ Removed: true, AlreadyAbsent: true, Pending: true, Failed: true, Banned: true, Expired: true, Lifting: true });
export const DELETION_POLICIES = members<DeletionPolicy>({ Unban: true, Orphan: true });
export const SELECTOR_OPERATORS = members<LabelSelectorOperator>({ In: true, NotIn: true, Exists: true, DoesNotExist: true });
export const CONDITION_STATUSES = members<Condition['status']>({ True: true, False: true, Unknown: true });

const condition: Complete<Condition> = {
  type: 'Ready',
  status: 'True',
  reason: 'AllUsersRemoved',
  message: 'All 2 users removed from room abcd',
  observedGeneration: 1,
  lastTransitionTime: '2026-11-21T10:00:01Z',
};

export const roomBanSpec: Complete<RoomBanSpec> = {
  providerRef: { name: 'trtc-intl', kind: 'RoomProvider' },
  roomId: 'abcd',
  roomIdType: 'String',
  users: ['test1', 'test2'],
  reason: 'spam wave',
  duration: '24h',
  deletionPolicy: 'Unban',
};

const removed: Complete<UserStatus> = {
  userId: 'test1',
  state: 'Removed',
  requestId: 'eac6b301-a322-493a-8e36-83b295459397',
  vendorCode: '',
  message: '',
  attempts: 1,
  lastAttemptTime: '2026-11-21T10:00:00Z',
  bannedUntil: '2026-11-22T10:00:00Z',
};

export const roomBanStatus: Complete<RoomBanStatus> = {
  observedGeneration: 1,
  target: {
    providerKind: 'RoomProvider',
    providerName: 'trtc-intl',
    account: 'tencentTRTC/1400000001',
    roomId: 'abcd',
    roomIdType: 'String',
    banSeconds: 86400,
  } satisfies Complete<BanTarget>,
  inputsVersion: '1234/1200',
  conditions: [
    condition,
    { ...condition, type: 'Reconciling', status: 'False', reason: 'AllUsersRemoved', message: '' },
    { ...condition, type: 'Stalled', status: 'False', reason: 'AllUsersRemoved', message: '' },
  ],
  summary: { total: 2, removed: 2, pending: 0, failed: 0 } satisfies Complete<BanSummary>,
  progress: '2/2',
  expiresAt: '2026-11-22T10:00:00Z',
  users: [
    removed,
    {
      ...removed,
      userId: 'test2',
      state: 'AlreadyAbsent',
      vendorCode: 'FailedOperation.RoomNotExist',
      message: 'The room does not exist.',
    },
  ],
};

export const roomBan: RoomBan & { spec: Complete<RoomBanSpec>; status: Complete<RoomBanStatus> } = {
  apiVersion: 'roomban.io/v1alpha1',
  kind: 'RoomBan',
  metadata: { name: 'raid-2026-11-21' },
  spec: roomBanSpec,
  status: roomBanStatus,
};

export const tencentTRTC: Complete<TencentTrtcProvider> = {
  sdkAppId: 1400000001,
  region: 'ap-singapore',
  endpoint: 'https://trtc.sandbox.example:8443',
};

export const tencentChat: Complete<TencentChatProvider> = {
  sdkAppId: 1400000002,
  region: 'singapore',
  adminIdentifier: 'administrator',
  banDurationUnit: 'Seconds',
  endpoint: 'http://127.0.0.1:9000',
};

export const volcengineRTC: Complete<VolcengineRtcProvider> = {
  appId: '0123456789abcdef01234567',
  region: 'cn-north-1',
  endpoint: 'https://rtc.sandbox.example',
};

const rateLimit: Complete<RateLimit> = { requestsPerSecond: 10 };
const secretRef: Complete<SecretReference> = { name: 'trtc-credentials', namespace: 'roomban-system' };

/**
 * Every provider field at once. Only the drift test uses this shape: the API server accepts exactly
 * one vendor member, and a namespace in credentialsSecretRef only on a ClusterRoomProvider.
 */
export const providerSpecAllMembers: Complete<RoomProviderSpec> = {
  tencentTRTC,
  tencentChat,
  volcengineRTC,
  credentialsSecretRef: secretRef,
  rateLimit,
};

const namespaceSelector: Complete<LabelSelector> = {
  matchLabels: { 'roomban.io/tenant': 'moderation' },
  matchExpressions: [{ key: 'environment', operator: 'In', values: ['prod'] } satisfies Complete<LabelSelectorRequirement>],
};

/** Every ClusterRoomProvider field at once (RoomProvider's, plus namespaceSelector). */
export const clusterProviderSpecAllMembers: Complete<ClusterRoomProviderSpec> = {
  ...providerSpecAllMembers,
  namespaceSelector,
};

export const providerStatus: Complete<RoomProviderStatus> = {
  observedGeneration: 1,
  conditions: [{ ...condition, reason: 'CredentialsFound', message: 'Secret trtc-credentials holds secretId and secretKey' }],
};

/** A valid RoomProvider (one vendor member, no Secret namespace). */
export const roomProvider: RoomProvider = {
  apiVersion: 'roomban.io/v1alpha1',
  kind: 'RoomProvider',
  metadata: { name: 'trtc-intl' },
  spec: { tencentTRTC, credentialsSecretRef: { name: 'trtc-credentials' }, rateLimit },
  status: providerStatus,
};

/** A valid ClusterRoomProvider (one vendor member, Secret namespace required). */
export const clusterRoomProvider: RoomProvider = {
  apiVersion: 'roomban.io/v1alpha1',
  kind: 'ClusterRoomProvider',
  metadata: { name: 'shared-trtc' },
  spec: { tencentTRTC, credentialsSecretRef: secretRef, rateLimit, namespaceSelector },
  status: providerStatus,
};

/** Required keys of every object type, by schema location; tsc proves each list exact. */
export const REQUIRED = {
  roomBan: {
    '': requiredKeys<RoomBan>({ apiVersion: true, kind: true, metadata: true, spec: true }),
    '.spec': requiredKeys<RoomBanSpec>({ providerRef: true, roomId: true, users: true }),
    '.spec.providerRef': requiredKeys<ProviderReference>({ name: true }),
    '.status': requiredKeys<RoomBanStatus>({}),
    '.status.target': requiredKeys<BanTarget>({
      providerKind: true, providerName: true, account: true, roomId: true, roomIdType: true,
    }),
    '.status.conditions[]': requiredKeys<Condition>({
      type: true, status: true, reason: true, message: true, lastTransitionTime: true,
    }),
    '.status.summary': requiredKeys<BanSummary>({ total: true, removed: true, pending: true, failed: true }),
    '.status.users[]': requiredKeys<UserStatus>({ userId: true, state: true, attempts: true }),
  },
  provider: {
    '': requiredKeys<RoomProvider>({ apiVersion: true, kind: true, metadata: true, spec: true }),
    '.spec': requiredKeys<RoomProviderSpec>({ credentialsSecretRef: true }),
    '.spec.tencentTRTC': requiredKeys<TencentTrtcProvider>({ sdkAppId: true, region: true }),
    '.spec.tencentChat': requiredKeys<TencentChatProvider>({ sdkAppId: true, region: true, adminIdentifier: true }),
    '.spec.volcengineRTC': requiredKeys<VolcengineRtcProvider>({ appId: true, region: true }),
    '.spec.credentialsSecretRef': requiredKeys<SecretReference>({ name: true }),
    '.spec.rateLimit': requiredKeys<RateLimit>({ requestsPerSecond: true }),
    '.status': requiredKeys<RoomProviderStatus>({}),
    '.status.conditions[]': requiredKeys<Condition>({
      type: true, status: true, reason: true, message: true, lastTransitionTime: true,
    }),
  },
  /** Only on ClusterRoomProvider. */
  clusterProviderOnly: {
    '.spec.namespaceSelector': requiredKeys<LabelSelector>({}),
    '.spec.namespaceSelector.matchLabels': [] as string[],
    '.spec.namespaceSelector.matchExpressions[]': requiredKeys<LabelSelectorRequirement>({ key: true, operator: true }),
  },
} as const;
