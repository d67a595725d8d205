// The ban lifecycle in the pure core: alignment (expiry, dropped users, duration changes), the plan
// (bans, hand-overs, lifts), recording, drift, and the next step's timed wake-up.

import assert from 'node:assert/strict';
import type { RoomBanStatus, UserStatus } from '../../src/api/types.ts';
import {
  blockedStatus,
  driftedBans,
  findCondition,
  nextStep,
  planBanCall,
  prepareStatus,
  READY,
  recordCall,
  RECONCILING,
  STALLED,
  targetFor,
  validateSpecForVendor,
} from '../../src/reconcile/index.ts';
import { T0, at, ban, kubeTime, result, results } from './fixtures.ts';

const CHAT = 'tencentChat/1400000002';
const chatSpec = { providerRef: { name: 'chat' }, duration: '1h' };

/** Prepare inputs for a ban of `duration`, or (null) a kick. */
function banInputs(duration: string | null = '1h', extra: { deleting?: boolean; generation?: number } = {}) {
  const { duration: _d, ...kick } = { ...chatSpec, users: ['a'], roomId: 'abcd' };
  const spec = duration === null ? kick : { ...kick, duration };
  return { generation: extra.generation ?? 1, target: targetFor(spec, CHAT), inputsVersion: 'v1', ...(extra.deleting ? { deleting: true } : {}) };
}

/** The status after banning `users` (all answered Removed) at T0 for 1h. */
function banned(users: string[] = ['a', 'b']): RoomBanStatus {
  const prepared = prepareStatus(ban({ spec: { ...chatSpec, users } }), banInputs(), T0);
  return recordCall(prepared, { kind: 'ban', userIds: users, seconds: 3600 }, results(users, 'Removed'), { now: T0, generation: 1, specUsers: users });
}

function user(status: RoomBanStatus, userId: string): UserStatus | undefined {
  return status.users?.find((entry) => entry.userId === userId);
}

const plan = (users: readonly UserStatus[], held = new Map<string, number>(), ownSeconds: number | undefined = 3600) =>
  planBanCall(users, { ownSeconds, usersPerBan: 20, usersPerLift: 20, heldByOthersMs: held, minSeconds: 10, maxSeconds: 604_800 });

describe('bans in the core', () => {
  it('a ban success records Banned with bannedUntil = answer time + duration, the RequestId, and expiresAt; Ready AllUsersBanned', () => {
    const status = banned();
    assert.deepEqual(user(status, 'a'), {
      userId: 'a', state: 'Banned', requestId: 'req-a', vendorCode: '', message: '', attempts: 1, lastAttemptTime: kubeTime(0), bannedUntil: kubeTime(3600),
    });
    assert.equal(status.expiresAt, kubeTime(3600));
    assert.equal(status.target?.banSeconds, 3600);
    assert.equal(findCondition(status.conditions, READY)?.reason, 'AllUsersBanned');
    assert.match(findCondition(status.conditions, READY)?.message ?? '', /2\/2 users banned from room abcd until 2026-11-21T11:00:00Z/);
  });

  it('bannedUntil is rounded up to the second, never before the vendor ends the ban', () => {
    const prepared = prepareStatus(ban({ spec: { ...chatSpec, users: ['a'] } }), banInputs(), T0);
    const status = recordCall(prepared, { kind: 'ban', userIds: ['a'], seconds: 3600 }, [result('a', 'Removed')], { now: new Date(T0.getTime() + 400), generation: 1, specUsers: ['a'] });
    assert.equal(user(status, 'a')?.bannedUntil, kubeTime(3601));
  });

  it('at bannedUntil a user becomes Expired with no call planned; Ready stays True (BansExpired)', () => {
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a', 'b'] }, status: banned() }), banInputs(), at(3600));
    assert.deepEqual(status.users?.map((entry) => entry.state), ['Expired', 'Expired']);
    assert.equal(plan(status.users ?? []), undefined);
    assert.equal(status.expiresAt, undefined);
    assert.equal(findCondition(status.conditions, READY)?.status, 'True');
    assert.equal(findCondition(status.conditions, READY)?.reason, 'BansExpired');
  });

  it('before expiry the next step wakes at the earliest bannedUntil', () => {
    const status = banned();
    assert.deepEqual(nextStep({ users: status.users ?? [], results: [], wakeAfterMs: 3_600_000 }), { kind: 'requeue', afterMs: 3_600_000 });
    assert.deepEqual(nextStep({ users: status.users ?? [], results: [] }), { kind: 'done' });
  });

  it('a user dropped from spec is Lifting until its lift is recorded, then leaves; only that user is lifted', () => {
    const recorded = banned(['a', 'b']);
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a'] }, status: recorded, generation: 2 }), banInputs('1h', { generation: 2 }), at(10));
    assert.deepEqual(status.users?.map((entry) => [entry.userId, entry.state]), [['a', 'Banned'], ['b', 'Lifting']]);
    assert.equal(findCondition(status.conditions, RECONCILING)?.reason, 'LiftingBans');
    const call = plan(status.users ?? []);
    assert.deepEqual(call, { kind: 'lift', userIds: ['b'] });
    const after = recordCall(status, call!, [result('b', 'Removed', { requestId: 'lift-1' })], { now: at(11), generation: 2, specUsers: ['a'] });
    assert.deepEqual(after.users?.map((entry) => entry.userId), ['a']);
    assert.equal(findCondition(after.conditions, READY)?.status, 'True');
  });

  it('a lift answered "nothing to lift" (AlreadyAbsent) also lets the user go; a retryable one keeps it Lifting', () => {
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a'] }, status: banned(['a', 'b']), generation: 2 }), banInputs('1h', { generation: 2 }), at(10));
    const absent = recordCall(status, { kind: 'lift', userIds: ['b'] }, [result('b', 'AlreadyAbsent')], { now: at(11), generation: 2, specUsers: ['a'] });
    assert.equal(user(absent, 'b'), undefined);
    const retry = recordCall(status, { kind: 'lift', userIds: ['b'] }, [result('b', 'Retryable')], { now: at(11), generation: 2, specUsers: ['a'] });
    assert.equal(user(retry, 'b')?.state, 'Lifting');
    assert.deepEqual(nextStep({ users: retry.users ?? [], results: [result('b', 'Retryable')] }), { kind: 'backoff' });
  });

  it('a refused lift is Failed (Stalled) with the vendor answer, and is asked again when inputs change', () => {
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a'] }, status: banned(['a', 'b']), generation: 2 }), banInputs('1h', { generation: 2 }), at(10));
    const refused = recordCall(status, { kind: 'lift', userIds: ['b'] }, [result('b', 'Terminal', { code: '100006' })], { now: at(11), generation: 2, specUsers: ['a'] });
    assert.equal(user(refused, 'b')?.state, 'Failed');
    assert.equal(findCondition(refused.conditions, STALLED)?.reason, 'VendorRejected');
    const again = prepareStatus(ban({ spec: { ...chatSpec, users: ['a'] }, status: refused, generation: 3 }), banInputs('1h', { generation: 3 }), at(12));
    assert.equal(user(again, 'b')?.state, 'Lifting');
  });

  it('a user added back before its lift was recorded is still Banned (no second ban)', () => {
    const lifting = prepareStatus(ban({ spec: { ...chatSpec, users: ['a'] }, status: banned(['a', 'b']), generation: 2 }), banInputs('1h', { generation: 2 }), at(10));
    const back = prepareStatus(ban({ spec: { ...chatSpec, users: ['a', 'b'] }, status: lifting, generation: 3 }), banInputs('1h', { generation: 3 }), at(11));
    assert.equal(user(back, 'b')?.state, 'Banned');
    assert.equal(plan(back.users ?? []), undefined);
  });

  it('a changed duration re-applies every ban from now', () => {
    const status = prepareStatus(ban({ spec: { ...chatSpec, duration: '2h', users: ['a', 'b'] }, status: banned(), generation: 2 }), banInputs('2h', { generation: 2 }), at(60));
    assert.deepEqual(status.users?.map((entry) => entry.state), ['Pending', 'Pending']);
    assert.deepEqual(plan(status.users ?? [], new Map(), 7200), { kind: 'ban', userIds: ['a', 'b'], seconds: 7200 });
  });

  it('removing the duration lifts the bans in force and the users read Removed', () => {
    const { duration: _d, ...kickSpec } = chatSpec;
    const status = prepareStatus(ban({ spec: { ...kickSpec, users: ['a', 'b'] }, status: banned(), generation: 2 }), banInputs(null, { generation: 2 }), at(60));
    assert.deepEqual(status.users?.map((entry) => entry.state), ['Lifting', 'Lifting']);
    const call = plan(status.users ?? [], new Map(), undefined);
    assert.deepEqual(call, { kind: 'lift', userIds: ['a', 'b'] });
    const after = recordCall(status, call!, results(['a', 'b'], 'Removed'), { now: at(61), generation: 2, specUsers: ['a', 'b'] });
    assert.deepEqual(after.users?.map((entry) => [entry.state, entry.bannedUntil]), [['Removed', undefined], ['Removed', undefined]]);
    assert.equal(findCondition(after.conditions, READY)?.reason, 'AllUsersRemoved');
  });

  it('adding a duration to a kick bans every user from now', () => {
    const { duration: _d, ...kickSpec } = chatSpec;
    const kick = prepareStatus(ban({ spec: { ...kickSpec, users: ['a'] } }), banInputs(null), T0);
    const kicked = recordCall(kick, { kind: 'kick', userIds: ['a'] }, [result('a', 'Removed')], { now: T0, generation: 1, specUsers: ['a'] });
    assert.equal(user(kicked, 'a')?.state, 'Removed');
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a'] }, status: kicked, generation: 2 }), banInputs('1h', { generation: 2 }), at(5));
    assert.equal(user(status, 'a')?.state, 'Pending');
  });

  it('deletion lifts every ban in force; Pending and expired users need no lift', () => {
    const recorded = banned(['a', 'b']);
    const withExpired = { ...recorded, users: [...(recorded.users ?? []), { userId: 'c', state: 'Pending' as const, attempts: 0 }] };
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a', 'b', 'c'] }, status: withExpired }), banInputs('1h', { deleting: true }), at(10));
    assert.deepEqual(status.users?.map((entry) => [entry.userId, entry.state]), [['a', 'Lifting'], ['b', 'Lifting']]);
    assert.match(findCondition(status.conditions, RECONCILING)?.message ?? '', /lifting 2 bans before deletion/);
    const expired = prepareStatus(ban({ spec: { ...chatSpec, users: ['a', 'b'] }, status: recorded }), banInputs('1h', { deleting: true }), at(3600));
    assert.deepEqual(expired.users, []);
  });

  it('deletion blocked by a missing provider is Stalled, saying why and how to let it go (Orphan)', () => {
    const status = blockedStatus(ban({ spec: { ...chatSpec, users: ['a'] }, status: banned(['a']) }), { reason: 'ProviderNotFound', generation: 1, deleting: true }, at(10));
    const stalled = findCondition(status.conditions, STALLED);
    assert.equal(stalled?.status, 'True');
    assert.equal(stalled?.reason, 'ProviderNotFound');
    assert.match(stalled?.message ?? '', /Cannot lift the bans of 1 user before deletion: RoomProvider "chat" not found; .*deletionPolicy to Orphan/);
    assert.notEqual(findCondition(status.conditions, READY)?.status, 'True');
  });

  it('overlap: a lifted user another RoomBan still holds is handed over for the longest remaining hold, not lifted', () => {
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a'] }, status: banned(['a', 'b']), generation: 2 }), banInputs('1h', { generation: 2 }), at(10));
    assert.deepEqual(plan(status.users ?? [], new Map([['b', 1_800_500]])), { kind: 'handOver', userIds: ['b'], seconds: 1801 });
    const after = recordCall(status, { kind: 'handOver', userIds: ['b'], seconds: 1801 }, [result('b', 'Removed')], { now: at(11), generation: 2, specUsers: ['a'] });
    assert.equal(user(after, 'b'), undefined);
  });

  it('overlap: a ban never cuts another RoomBan\'s longer ban short', () => {
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a', 'b'] } }), banInputs(), T0);
    assert.deepEqual(plan(status.users ?? [], new Map([['b', 7_200_000]])), { kind: 'ban', userIds: ['a'], seconds: 3600 });
    const afterA = recordCall(status, { kind: 'ban', userIds: ['a'], seconds: 3600 }, [result('a', 'Removed')], { now: T0, generation: 1, specUsers: ['a', 'b'] });
    assert.deepEqual(plan(afterA.users ?? [], new Map([['b', 7_200_000]])), { kind: 'ban', userIds: ['b'], seconds: 7200 });
    // Its own record still says its own duration.
    const afterB = recordCall(afterA, { kind: 'ban', userIds: ['b'], seconds: 7200 }, [result('b', 'Removed')], { now: T0, generation: 1, specUsers: ['a', 'b'] });
    assert.equal(user(afterB, 'b')?.bannedUntil, kubeTime(3600));
  });

  it('a refused ban is Failed; an account-wide refusal fails every Pending user without a call', () => {
    const status = prepareStatus(ban({ spec: { ...chatSpec, users: ['a', 'b', 'c'] } }), banInputs(), T0);
    const after = recordCall(status, { kind: 'ban', userIds: ['a'], seconds: 3600 }, [result('a', 'Terminal', { accountWide: true })], { now: T0, generation: 1, specUsers: ['a', 'b', 'c'] });
    assert.deepEqual(after.users?.map((entry) => entry.state), ['Failed', 'Failed', 'Failed']);
  });

  it('drift: a Banned user observed lifted (or cut short) is restored for the whole seconds left; one with less than the minimum is let run out', () => {
    const users = banned(['a', 'b', 'c']).users ?? [];
    const observed = [
      { userId: 'a', state: 'lifted' as const },
      { userId: 'b', state: 'held' as const, bannedUntilMs: at(60).getTime() },
      { userId: 'c', state: 'held' as const, bannedUntilMs: at(3600).getTime() },
    ];
    assert.deepEqual(driftedBans(users, observed, at(100).getTime(), 10), [{ userId: 'a', seconds: 3500 }, { userId: 'b', seconds: 3500 }]);
    assert.deepEqual(driftedBans(users, [{ userId: 'a', state: 'unknown' }], at(100).getTime(), 10), []);
    assert.deepEqual(driftedBans(users, [{ userId: 'a', state: 'lifted' }], at(3595).getTime(), 10), []);
  });

  it('validation: TRTC cannot hold a ban (InvalidSpec naming spec.duration); fractions and vendor ranges are refused', () => {
    const trtc = validateSpecForVendor({ providerRef: { name: 't' }, roomId: 'r', users: ['a'], duration: '1h' }, 'tencentTRTC');
    assert.equal(trtc[0]?.field, 'spec.duration');
    assert.match(trtc[0]?.detail ?? '', /TRTC has no ban API/);
    const fraction = validateSpecForVendor({ providerRef: { name: 'c' }, roomId: 'r', users: ['a'], duration: '10.5s' }, 'tencentChat');
    assert.match(fraction[0]?.detail ?? '', /whole seconds/);
    const short = validateSpecForVendor({ providerRef: { name: 'v' }, roomId: 'r', users: ['a'], duration: '5s' }, 'volcengineRTC');
    assert.match(short[0]?.detail ?? '', /volcengineRTC bans last 10s to 604800s; got "5s"/);
    assert.deepEqual(validateSpecForVendor({ providerRef: { name: 'v' }, roomId: 'r', users: ['a'], duration: '168h' }, 'volcengineRTC'), []);
  });
});
