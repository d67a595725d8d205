// The roomban.io/v1alpha1 API as TypeScript types. The CRD schemas in crds/ are the source of
// truth; test/api/schema-drift.test.ts proves these types and the schemas agree.

export const GROUP = 'roomban.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const PAUSED_ANNOTATION = 'roomban.io/paused';

export type VendorName = 'tencentTRTC' | 'tencentChat' | 'volcengineRTC';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

/** metav1.Condition */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

// ---------------------------------------------------------------- providers

export interface TencentTrtcProvider {
  sdkAppId: number;
  region: string;
  endpoint?: string;
}

export interface TencentChatProvider {
  sdkAppId: number;
  region: string;
  adminIdentifier: string;
  /** ban_room_member's Duration unit (UNCONFIRMED at Tencent: docs/vendors.md#bans). Default Seconds. */
  banDurationUnit?: 'Seconds' | 'Milliseconds';
  endpoint?: string;
}

export interface VolcengineRtcProvider {
  appId: string;
  region: string;
  endpoint?: string;
}

export interface SecretReference {
  name: string;
  /** Only on ClusterRoomProvider. */
  namespace?: string;
}

export interface RateLimit {
  requestsPerSecond: number;
}

export interface RoomProviderSpec {
  tencentTRTC?: TencentTrtcProvider;
  tencentChat?: TencentChatProvider;
  volcengineRTC?: VolcengineRtcProvider;
  credentialsSecretRef: SecretReference;
  rateLimit?: RateLimit;
}

/** metav1.LabelSelectorRequirement */
export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  /** Non-empty for In and NotIn, empty for Exists and DoesNotExist (the CRD's CEL rule). */
  values?: string[];
}

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** metav1.LabelSelector: every matchLabels entry and every matchExpressions requirement must hold. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A ClusterRoomProvider's spec: RoomProvider's, plus which namespaces may use it. */
export interface ClusterRoomProviderSpec extends RoomProviderSpec {
  /** Unset: every namespace. */
  namespaceSelector?: LabelSelector;
}

export interface RoomProviderStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

export type ProviderKind = 'RoomProvider' | 'ClusterRoomProvider';

export interface RoomProvider {
  apiVersion: typeof API_VERSION;
  kind: ProviderKind;
  metadata: ObjectMeta;
  /** A ClusterRoomProvider's spec may also carry namespaceSelector (ClusterRoomProviderSpec). */
  spec: RoomProviderSpec | ClusterRoomProviderSpec;
  status?: RoomProviderStatus;
}

// ---------------------------------------------------------------- RoomBan

export interface ProviderReference {
  name: string;
  /** Defaults to RoomProvider. */
  kind?: ProviderKind;
}

export type RoomIdType = 'String' | 'Numeric';

export interface RoomBanSpec {
  providerRef: ProviderReference;
  roomId: string;
  /** TRTC only. Defaults to String. */
  roomIdType?: RoomIdType;
  /** 1..500 unique IDs of 1..128 characters of [A-Za-z0-9@._-] (the CRD); vendors narrow this. */
  users: string[];
  /** At most 1000 bytes in UTF-8 (the CRD; Tencent Chat's limit). */
  reason?: string;
  /**
   * Makes the RoomBan a ban that holds: Go duration syntax ("90s", "30m", "24h"), 10s..168h at
   * admission, counted from each user's successful ban call. Absent: a kick (docs/api.md#bans).
   */
  duration?: string;
  /** What deleting the RoomBan does to bans in force: lift them (Unban, the default) or leave them (Orphan). */
  deletionPolicy?: DeletionPolicy;
}

export type DeletionPolicy = 'Unban' | 'Orphan';

/** Set on a RoomBan while a ban it made is in force and deletionPolicy is Unban: deletion lifts first. */
export const UNBAN_FINALIZER = 'roomban.io/unban';

/**
 * Kicks: Removed | AlreadyAbsent | Pending | Failed. Bans (spec.duration set): Banned (until
 * bannedUntil) | Expired (the ban ran out; no call) | Pending | Failed, and Lifting for a user whose
 * ban is being lifted (dropped from spec.users, or spec.duration removed).
 */
export type UserState = 'Removed' | 'AlreadyAbsent' | 'Pending' | 'Failed' | 'Banned' | 'Expired' | 'Lifting';

export interface UserStatus {
  userId: string;
  state: UserState;
  /** RequestId of the vendor call that decided this state. At most 128 characters (the CRD). */
  requestId?: string;
  /** The vendor's code when the answer was not a plain success. At most 64 characters (the CRD). */
  vendorCode?: string;
  /** At most 512 characters (the CRD's maxLength, = reconcile's MAX_USER_MESSAGE_CHARS). */
  message?: string;
  attempts: number;
  lastAttemptTime?: string;
  /** Bans only: when this user's ban ends (the vendor's success answer plus spec.duration). */
  bannedUntil?: string;
}

export interface BanSummary {
  total: number;
  removed: number;
  pending: number;
  failed: number;
}

/** What the recorded user results are results for; a change makes every user Pending again. */
export interface BanTarget {
  providerKind: ProviderKind;
  providerName: string;
  /** vendor/account, e.g. "tencentTRTC/1400000001". */
  account: string;
  roomId: string;
  roomIdType: RoomIdType;
  /** Bans only: spec.duration in whole seconds. A change re-applies every ban from now. */
  banSeconds?: number;
}

export interface RoomBanStatus {
  observedGeneration?: number;
  target?: BanTarget;
  /**
   * The provider and credentials versions ("<provider uid>.<provider generation>/<Secret resourceVersion>")
   * the recorded results were obtained with. Failed users are retried only when this or
   * metadata.generation changes: a terminal vendor answer is not retried in a hot loop.
   */
  inputsVersion?: string;
  conditions?: Condition[];
  summary?: BanSummary;
  /** "removed/total", for the printer column. */
  progress?: string;
  /** Bans only: the latest bannedUntil of the bans in force, for the printer column Expires. */
  expiresAt?: string;
  users?: UserStatus[];
}

export interface RoomBan {
  apiVersion: typeof API_VERSION;
  kind: 'RoomBan';
  metadata: ObjectMeta;
  spec: RoomBanSpec;
  status?: RoomBanStatus;
}

// ---------------------------------------------------------------- credentials (Secret keys)

export interface TencentTrtcCredentials {
  secretId: string;
  secretKey: string;
  token?: string;
}

export interface TencentChatCredentials {
  /** The app key the admin UserSig is generated from. */
  secretKey: string;
}

export interface VolcengineRtcCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
