// Builders shared by the reconcile core tests.

import type { BanTarget, RoomBan, RoomBanSpec, RoomBanStatus } from '../../src/api/types.ts';
import { API_VERSION } from '../../src/api/types.ts';
import type { RemovalOutcome, UserResult } from '../../src/api/results.ts';
import { type PrepareInputs, targetFor } from '../../src/reconcile/index.ts';
import { mulberry32 } from '../../src/sandbox/prng.ts';

export const T0 = new Date('2026-11-21T10:00:00.000Z');
export const T0_TEXT = '2026-11-21T10:00:00Z';

export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

export function kubeTime(seconds: number): string {
  return at(seconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function spec(overrides: Partial<RoomBanSpec> = {}): RoomBanSpec {
  return { providerRef: { name: 'trtc-intl' }, roomId: 'abcd', users: ['test1', 'test2'], reason: 'spam wave', ...overrides };
}

export function ban(options: { spec?: Partial<RoomBanSpec>; status?: RoomBanStatus; generation?: number; annotations?: Record<string, string> } = {}): RoomBan {
  return {
    apiVersion: API_VERSION,
    kind: 'RoomBan',
    metadata: {
      name: 'raid',
      namespace: 'moderation',
      generation: options.generation ?? 1,
      ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
    },
    spec: spec(options.spec),
    ...(options.status === undefined ? {} : { status: options.status }),
  };
}

export const ACCOUNT = 'tencentTRTC/1400000001';

export function target(overrides: Partial<BanTarget> = {}): BanTarget {
  return { ...targetFor(spec(), ACCOUNT), ...overrides };
}

export function inputs(overrides: Partial<PrepareInputs> = {}): PrepareInputs {
  return { generation: 1, target: target(), inputsVersion: '100/200', ...overrides };
}

export function result(userId: string, outcome: RemovalOutcome, extra: Partial<UserResult> = {}): UserResult {
  const defaults: Record<RemovalOutcome, Omit<UserResult, 'userId' | 'outcome'>> = {
    Removed: { code: '', message: '', requestId: `req-${userId}` },
    AlreadyAbsent: { code: 'FailedOperation.RoomNotExist', message: 'room does not exist', requestId: `req-${userId}` },
    Retryable: { code: 'InternalError', message: 'internal error', requestId: `req-${userId}` },
    Terminal: { code: 'AuthFailure.SignatureFailure', message: 'signature mismatch', requestId: `req-${userId}` },
  };
  return { userId, outcome, ...defaults[outcome], ...extra };
}

export function results(userIds: readonly string[], outcome: RemovalOutcome, extra: Partial<UserResult> = {}): UserResult[] {
  return userIds.map((userId) => result(userId, outcome, extra));
}

export function userIds(count: number, prefix = 'u'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`);
}

/** A seeded generator (the sandbox's mulberry32), so property tests are reproducible. */
export const seededRng = mulberry32;

export function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function condition(status: RoomBanStatus, type: string) {
  const found = status.conditions?.find((candidate) => candidate.type === type);
  if (found === undefined) throw new Error(`no ${type} condition`);
  return found;
}

export function stateOf(status: RoomBanStatus, userId: string) {
  const user = status.users?.find((candidate) => candidate.userId === userId);
  if (user === undefined) throw new Error(`no user ${userId}`);
  return user;
}
