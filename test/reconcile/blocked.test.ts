import assert from 'node:assert/strict';
import type { RoomBanStatus } from '../../src/api/types.ts';
import { blockedStatus, describeFieldErrors, isPaused, prepareStatus, recordResults, validateSpecForVendor } from '../../src/reconcile/index.ts';
import type { BlockReason } from '../../src/reconcile/index.ts';
import { T0, T0_TEXT, at, ban, condition, inputs, result, results, stateOf, target } from './fixtures.ts';

function statuses(status: RoomBanStatus): string[] {
  return ['Ready', 'Reconciling', 'Stalled'].map((type) => `${type}=${condition(status, type).status}/${condition(status, type).reason}`);
}

function worked(users: string[], answers: Parameters<typeof recordResults>[1]): RoomBanStatus {
  return recordResults(prepareStatus(ban({ spec: { users } }), inputs(), T0), answers, at(1), 1);
}

describe('blockedStatus', () => {
  const stalling: BlockReason[] = ['ProviderNotFound', 'ProviderNotAllowed', 'CredentialsInvalid', 'InvalidSpec'];
  for (const reason of stalling) {
    it(`${reason}: Stalled=True, Ready=False, Reconciling=False`, () => {
      const status = blockedStatus(ban(), { reason, generation: 1 }, T0);
      assert.deepEqual(statuses(status), [`Ready=False/${reason}`, `Reconciling=False/${reason}`, `Stalled=True/${reason}`]);
      assert.equal(status.observedGeneration, 1);
    });
  }

  it('WaitingForProvider (Secret missing): Reconciling=True, not Stalled', () => {
    const status = blockedStatus(ban(), { reason: 'WaitingForProvider', generation: 1 }, T0);
    assert.deepEqual(statuses(status), ['Ready=False/WaitingForProvider', 'Reconciling=True/WaitingForProvider', 'Stalled=False/WaitingForProvider']);
    assert.equal(condition(status, 'Reconciling').message, 'Waiting for the credentials Secret of RoomProvider "trtc-intl" (0/2 users removed)');
  });

  it('Paused and unfinished: all three False, observedGeneration current (kstatus reads Ready=False: InProgress)', () => {
    const paused = ban({ annotations: { 'roomban.io/paused': 'true' }, generation: 4 });
    assert.ok(isPaused(paused));
    const status = blockedStatus(paused, { reason: 'Paused', generation: 4 }, T0);
    assert.deepEqual(statuses(status), ['Ready=False/Paused', 'Reconciling=False/Paused', 'Stalled=False/Paused']);
    assert.equal(status.observedGeneration, 4);
    assert.match(condition(status, 'Ready').message, /^Paused by the annotation roomban\.io\/paused: "true"/);
  });

  it('isPaused only for the exact value "true"', () => {
    assert.equal(isPaused(ban({ annotations: { 'roomban.io/paused': 'false' } })), false);
    assert.equal(isPaused(ban({ annotations: { 'roomban.io/paused': 'True' } })), false);
    assert.equal(isPaused(ban()), false);
  });

  it('uses the given message, with the ledger position', () => {
    const errors = validateSpecForVendor(ban({ spec: { users: ['a.b'] } }).spec, 'tencentTRTC');
    const status = blockedStatus(ban({ spec: { users: ['a.b'] } }), { reason: 'InvalidSpec', message: describeFieldErrors(errors), generation: 1 }, T0);
    assert.equal(condition(status, 'Stalled').message, 'spec.users[0]: TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]; got "a.b" (0/1 users removed)');
  });

  it('default messages name the provider', () => {
    const cluster = ban({ spec: { providerRef: { name: 'shared', kind: 'ClusterRoomProvider' } } });
    assert.match(condition(blockedStatus(cluster, { reason: 'ProviderNotFound', generation: 1 }, T0), 'Stalled').message, /^ClusterRoomProvider "shared" not found/);
    assert.match(condition(blockedStatus(ban(), { reason: 'CredentialsInvalid', generation: 1 }, T0), 'Stalled').message, /RoomProvider "trtc-intl" lacks required keys/);
  });

  it('a finished ban stays Ready when its provider disappears or it is paused', () => {
    const done = worked(['a', 'b'], results(['a', 'b'], 'Removed'));
    for (const reason of ['ProviderNotFound', 'WaitingForProvider', 'CredentialsInvalid', 'InvalidSpec', 'Paused'] as const) {
      const status = blockedStatus(ban({ spec: { users: ['a', 'b'] }, status: done }), { reason, generation: 1 }, at(5));
      assert.deepEqual(statuses(status), ['Ready=True/AllUsersRemoved', 'Reconciling=False/AllUsersRemoved', 'Stalled=False/AllUsersRemoved'], reason);
      assert.equal(condition(status, 'Ready').lastTransitionTime, condition(done, 'Ready').lastTransitionTime);
    }
  });

  it('a finished ban whose spec names a new room is not finished', () => {
    const done = worked(['a'], [result('a', 'Removed')]);
    const moved = ban({ spec: { users: ['a'], roomId: 'elsewhere' }, status: done, generation: 2 });
    const status = blockedStatus(moved, { reason: 'ProviderNotFound', generation: 2 }, at(5));
    assert.equal(condition(status, 'Stalled').status, 'True');
    assert.equal(stateOf(status, 'a').state, 'Pending');
    assert.equal(status.target, undefined);
  });

  it('with a known target, a new account resets users and records the new target', () => {
    const done = worked(['a'], [result('a', 'Removed')]);
    const newTarget = target({ account: 'tencentTRTC/1400000009' });
    const status = blockedStatus(ban({ spec: { users: ['a'] }, status: done }), { reason: 'CredentialsInvalid', generation: 1, target: newTarget }, at(5));
    assert.equal(stateOf(status, 'a').state, 'Pending');
    assert.deepEqual(status.target, newTarget);
    assert.equal(condition(status, 'Stalled').reason, 'CredentialsInvalid');
  });

  it('keeps the ledger in line with spec.users (removed users leave, added ones Pending)', () => {
    const partly = worked(['a', 'b'], [result('a', 'Removed')]);
    const status = blockedStatus(ban({ spec: { users: ['a', 'c'] }, status: partly, generation: 2 }), { reason: 'Paused', generation: 2 }, at(5));
    assert.deepEqual(status.users?.map((user) => [user.userId, user.state]), [['a', 'Removed'], ['c', 'Pending']]);
    assert.deepEqual(status.summary, { total: 2, removed: 1, pending: 1, failed: 0 });
    assert.equal(status.inputsVersion, partly.inputsVersion);
  });

  it('re-queues Failed users on a new generation, so a later prepare retries them', () => {
    const failed = worked(['a'], [result('a', 'Terminal')]);
    const edited = ban({ spec: { users: ['a'] }, status: failed, generation: 2, annotations: { 'roomban.io/paused': 'true' } });
    const paused = blockedStatus(edited, { reason: 'Paused', generation: 2 }, at(5));
    assert.equal(stateOf(paused, 'a').state, 'Pending');
    const resumed = prepareStatus(ban({ spec: { users: ['a'] }, status: paused, generation: 2 }), inputs({ generation: 2 }), at(6));
    assert.equal(stateOf(resumed, 'a').state, 'Pending');
    assert.equal(condition(resumed, 'Reconciling').status, 'True');
  });

  it('recovers to Reconciling once the cause is gone', () => {
    const waiting = blockedStatus(ban(), { reason: 'WaitingForProvider', generation: 1 }, T0);
    const status = prepareStatus(ban({ status: waiting }), inputs(), at(3));
    assert.deepEqual(statuses(status), ['Ready=False/Progressing', 'Reconciling=True/Progressing', 'Stalled=False/Progressing']);
    assert.equal(condition(status, 'Reconciling').lastTransitionTime, T0_TEXT);
  });
});
