import assert from 'node:assert/strict';
import type { RoomBanStatus } from '../../src/api/types.ts';
import { prepareStatus, recordResults, targetFor } from '../../src/reconcile/index.ts';
import { ACCOUNT, T0, at, ban, condition, inputs, result, results, stateOf, target } from './fixtures.ts';

/** A status in which the spec's users got `outcome`s from the vendor. */
function worked(users: string[], answers: Parameters<typeof recordResults>[1], generation = 1): RoomBanStatus {
  const prepared = prepareStatus(ban({ spec: { users }, generation }), inputs({ generation }), T0);
  return recordResults(prepared, answers, at(1), generation);
}

describe('prepareStatus', () => {
  it('starts a new ban with every user Pending, in spec order, attempts 0', () => {
    const status = prepareStatus(ban({ spec: { users: ['b', 'a', 'c'] } }), inputs(), T0);
    assert.deepEqual(status.users, [
      { userId: 'b', state: 'Pending', attempts: 0 },
      { userId: 'a', state: 'Pending', attempts: 0 },
      { userId: 'c', state: 'Pending', attempts: 0 },
    ]);
    assert.deepEqual(status.summary, { total: 3, removed: 0, pending: 3, failed: 0 });
    assert.equal(status.progress, '0/3');
    assert.equal(status.observedGeneration, 1);
    assert.deepEqual(status.target, target());
    assert.equal(status.inputsVersion, '100/200');
  });

  it('does not modify the ban it was given', () => {
    const before = worked(['a', 'b'], [result('a', 'Removed')]);
    const input = ban({ spec: { users: ['a', 'b'] }, status: before, generation: 2 });
    const snapshot = structuredClone(input);
    prepareStatus(input, inputs({ generation: 2, target: target({ roomId: 'other' }) }), at(5));
    assert.deepEqual(input, snapshot);
  });

  it('drops duplicate spec users, keeping the first', () => {
    const status = prepareStatus(ban({ spec: { users: ['a', 'b', 'a'] } }), inputs(), T0);
    assert.deepEqual(status.users?.map((user) => user.userId), ['a', 'b']);
  });

  it('keeps recorded results when nothing changed', () => {
    const before = worked(['a', 'b'], [result('a', 'Removed')]);
    const status = prepareStatus(ban({ spec: { users: ['a', 'b'] }, status: before }), inputs(), at(2));
    assert.deepEqual(stateOf(status, 'a'), stateOf(before, 'a'));
    assert.equal(stateOf(status, 'b').state, 'Pending');
  });

  describe('target change resets every user to Pending', () => {
    const changes = {
      roomId: target({ roomId: 'room-2' }),
      roomIdType: target({ roomIdType: 'Numeric' }),
      providerName: target({ providerName: 'trtc-other' }),
      providerKind: target({ providerKind: 'ClusterRoomProvider' }),
      account: target({ account: 'tencentTRTC/1400000002' }),
    };
    for (const [field, newTarget] of Object.entries(changes)) {
      it(`on a new ${field}`, () => {
        const before = worked(['a', 'b', 'c'], [result('a', 'Removed'), result('b', 'AlreadyAbsent'), result('c', 'Terminal')]);
        const status = prepareStatus(ban({ spec: { users: ['a', 'b', 'c'] }, status: before }), inputs({ target: newTarget }), at(2));
        assert.deepEqual(status.users, [
          { userId: 'a', state: 'Pending', attempts: 0 },
          { userId: 'b', state: 'Pending', attempts: 0 },
          { userId: 'c', state: 'Pending', attempts: 0 },
        ]);
        assert.deepEqual(status.target, newTarget);
      });
    }

    it('when the recorded status has no target (older writer)', () => {
      const before = worked(['a'], [result('a', 'Removed')]);
      const { target: _dropped, ...withoutTarget } = before;
      const status = prepareStatus(ban({ spec: { users: ['a'] }, status: withoutTarget }), inputs(), at(2));
      assert.equal(stateOf(status, 'a').state, 'Pending');
    });
  });

  it('treats an omitted kind/roomIdType as the defaults, not as a target change', () => {
    const before = worked(['a'], [result('a', 'Removed')]);
    const explicit = ban({ spec: { users: ['a'], providerRef: { name: 'trtc-intl', kind: 'RoomProvider' }, roomIdType: 'String' }, status: before });
    const status = prepareStatus(explicit, inputs({ target: targetFor(explicit.spec, ACCOUNT) }), at(2));
    assert.equal(stateOf(status, 'a').state, 'Removed');
  });

  it('removes users that left the spec and appends added ones Pending in spec order', () => {
    const before = worked(['a', 'b', 'c'], results(['a', 'b', 'c'], 'Removed'));
    const status = prepareStatus(ban({ spec: { users: ['x', 'c', 'a', 'y'] }, status: before, generation: 2 }), inputs({ generation: 2 }), at(2));
    assert.deepEqual(status.users?.map((user) => [user.userId, user.state]), [
      ['x', 'Pending'],
      ['c', 'Removed'],
      ['a', 'Removed'],
      ['y', 'Pending'],
    ]);
    assert.deepEqual(status.summary, { total: 4, removed: 2, pending: 2, failed: 0 });
  });

  it('makes a Ready ban with added users Reconciling again', () => {
    const before = worked(['a'], [result('a', 'Removed')]);
    assert.equal(condition(before, 'Ready').status, 'True');
    const status = prepareStatus(ban({ spec: { users: ['a', 'b'] }, status: before, generation: 2 }), inputs({ generation: 2 }), at(2));
    assert.equal(condition(status, 'Ready').status, 'False');
    assert.equal(condition(status, 'Reconciling').status, 'True');
    assert.equal(condition(status, 'Reconciling').reason, 'Progressing');
  });

  it('stays Ready (for the new generation) when only users were removed from the spec', () => {
    const before = worked(['a', 'b'], results(['a', 'b'], 'Removed'));
    const status = prepareStatus(ban({ spec: { users: ['a'] }, status: before, generation: 2 }), inputs({ generation: 2 }), at(2));
    assert.equal(condition(status, 'Ready').status, 'True');
    assert.equal(condition(status, 'Ready').observedGeneration, 2);
    assert.equal(status.observedGeneration, 2);
  });

  describe('Failed users', () => {
    const failed = (): RoomBanStatus => worked(['a', 'b'], [result('a', 'Removed'), result('b', 'Terminal')]);

    it('stay Failed when generation and inputsVersion are unchanged (no hot loop)', () => {
      const status = prepareStatus(ban({ spec: { users: ['a', 'b'] }, status: failed() }), inputs(), at(2));
      assert.equal(stateOf(status, 'b').state, 'Failed');
      assert.equal(condition(status, 'Stalled').status, 'True');
    });

    it('become Pending again on a new generation, keeping their last answer and attempts', () => {
      const status = prepareStatus(ban({ spec: { users: ['a', 'b'] }, status: failed(), generation: 2 }), inputs({ generation: 2 }), at(2));
      assert.deepEqual(stateOf(status, 'b'), { ...stateOf(failed(), 'b'), state: 'Pending' });
      assert.equal(stateOf(status, 'a').state, 'Removed');
      assert.equal(condition(status, 'Stalled').status, 'False');
      assert.equal(condition(status, 'Reconciling').status, 'True');
    });

    it('become Pending again on a new inputsVersion (provider or Secret edited)', () => {
      const status = prepareStatus(ban({ spec: { users: ['a', 'b'] }, status: failed() }), inputs({ inputsVersion: '100/201' }), at(2));
      assert.equal(stateOf(status, 'b').state, 'Pending');
    });
  });

  it('carries a Throttled/RetryingAfterError reason across reconciles while nothing changed', () => {
    for (const [answer, reason] of [
      [result('b', 'Retryable', { code: 'RequestLimitExceeded', throttled: true }), 'Throttled'],
      [result('b', 'Retryable'), 'RetryingAfterError'],
    ] as const) {
      const before = worked(['a', 'b'], [result('a', 'Removed'), answer]);
      assert.equal(condition(before, 'Reconciling').reason, reason);
      const status = prepareStatus(ban({ spec: { users: ['a', 'b'] }, status: before }), inputs(), at(2));
      assert.equal(condition(status, 'Reconciling').reason, reason);
      const changed = prepareStatus(ban({ spec: { users: ['a', 'b'] }, status: before, generation: 2 }), inputs({ generation: 2 }), at(2));
      assert.equal(condition(changed, 'Reconciling').reason, 'Progressing');
    }
  });

  it('a call queued behind our own rate limit reads Reconciling/Throttled, saying so; the answer then decides', () => {
    const queued = prepareStatus(ban({ spec: { users: ['a', 'b'] } }), inputs({ pace: 'WaitingForRateLimit' }), T0);
    assert.equal(condition(queued, 'Reconciling').status, 'True');
    assert.equal(condition(queued, 'Reconciling').reason, 'Throttled');
    assert.equal(condition(queued, 'Reconciling').message, 'Queued for the vendor rate limit, shared by all RoomBans of this account; 0/2 users removed, 2 pending');
    const answered = recordResults(queued, [result('a', 'Removed'), result('b', 'Retryable')], at(1), 1);
    assert.equal(condition(answered, 'Reconciling').reason, 'RetryingAfterError');
  });

  it('is idempotent: preparing a prepared status changes nothing, even later', () => {
    const first = prepareStatus(ban({ spec: { users: ['a', 'b'] } }), inputs(), T0);
    const second = prepareStatus(ban({ spec: { users: ['a', 'b'] }, status: first }), inputs(), at(60));
    assert.deepEqual(second, first);
  });
});
