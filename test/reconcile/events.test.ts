import assert from 'node:assert/strict';
import type { RoomBanStatus } from '../../src/api/types.ts';
import { blockedStatus, prepareStatus, recordResults, transitionEvents } from '../../src/reconcile/index.ts';
import { MAX_EVENT_MESSAGE_BYTES } from '../../src/api/bounds.ts';
import { T0, at, ban, inputs, result, results, target, userIds } from './fixtures.ts';

function fresh(users: string[] = ['a', 'b', 'c']): RoomBanStatus {
  return prepareStatus(ban({ spec: { users } }), inputs(), T0);
}

describe('transitionEvents', () => {
  it('a new ban emits nothing', () => {
    assert.deepEqual(transitionEvents(undefined, fresh()), []);
  });

  it('one aggregated UsersRemoved event per call, with the room and RequestId', () => {
    const before = fresh();
    const after = recordResults(before, results(['a', 'b'], 'Removed', { requestId: 'eac6b301' }), at(1), 1);
    assert.deepEqual(transitionEvents(before, after), [
      { type: 'Normal', reason: 'UsersRemoved', message: 'Removed 2 users from room abcd: a, b (RequestId eac6b301)' },
    ]);
  });

  it('counts already-absent users and lists several RequestIds', () => {
    const before = fresh();
    const after = recordResults(before, [result('a', 'Removed', { requestId: 'r1' }), result('b', 'AlreadyAbsent', { requestId: 'r2' })], at(1), 1);
    assert.deepEqual(transitionEvents(before, after).map((event) => event.message), ['Removed 2 users from room abcd (1 already absent): a, b (RequestIds r1, r2)']);
  });

  it('the call that makes the ban Ready reports both in one UsersRemoved event (each event is an API write)', () => {
    const partly = recordResults(fresh(), [result('a', 'Removed')], at(1), 1);
    const done = recordResults(partly, results(['b', 'c'], 'Removed', { requestId: 'r2' }), at(2), 1);
    assert.deepEqual(transitionEvents(partly, done), [
      { type: 'Normal', reason: 'UsersRemoved', message: 'Removed 2 users from room abcd: b, c (RequestId r2). Ready: 3/3 users removed from room abcd' },
    ]);
    const again = prepareStatus(ban({ spec: { users: ['a', 'b', 'c'] }, status: done }), inputs(), at(3));
    assert.deepEqual(transitionEvents(done, again), []);
  });

  it('a Ready event of its own when Ready comes without a removal (the remaining users left the spec)', () => {
    const partly = recordResults(fresh(), [result('a', 'Removed')], at(1), 1);
    const trimmed = prepareStatus(ban({ spec: { users: ['a'] }, status: partly, generation: 2 }), inputs({ generation: 2 }), at(2));
    assert.deepEqual(transitionEvents(partly, trimmed), [{ type: 'Normal', reason: 'Ready', message: '1/1 users removed from room abcd' }]);
  });

  it('the Ready part survives the 1 kB bound however long the list of removed users', () => {
    const users = userIds(40, 'u'.repeat(120));
    const before = fresh(users);
    const after = recordResults(before, users.map((id, index) => result(id, 'Removed', { requestId: `request-${index}-${'x'.repeat(120)}` })), at(1), 1);
    const [event] = transitionEvents(before, after);
    assert.ok(Buffer.byteLength(event?.message ?? '', 'utf8') <= MAX_EVENT_MESSAGE_BYTES);
    assert.match(event?.message ?? '', /^Removed 40 users from room abcd: .*…\. Ready: 40\/40 users removed from room abcd$/);
  });

  it('Stalled warning with its reason when Stalled becomes True', () => {
    const before = fresh(['a']);
    const after = recordResults(before, [result('a', 'Terminal', { code: 'AuthFailure.SignatureFailure', message: 'signature mismatch' })], at(1), 1);
    assert.deepEqual(transitionEvents(before, after), [
      { type: 'Warning', reason: 'VendorRejected', message: '1 user failed: AuthFailure.SignatureFailure (1 user: a): signature mismatch' },
    ]);
  });

  it('Stalled warning again only when the reason changes', () => {
    const invalid = blockedStatus(ban(), { reason: 'InvalidSpec', message: 'bad', generation: 1 }, T0);
    assert.deepEqual(transitionEvents(undefined, invalid).map((event) => event.reason), ['InvalidSpec']);
    const stillInvalid = blockedStatus(ban({ status: invalid, generation: 2 }), { reason: 'InvalidSpec', message: 'worse', generation: 2 }, at(1));
    assert.deepEqual(transitionEvents(invalid, stillInvalid), []);
    const missing = blockedStatus(ban({ status: stillInvalid }), { reason: 'ProviderNotFound', generation: 2 }, at(2));
    assert.deepEqual(transitionEvents(stillInvalid, missing).map((event) => [event.type, event.reason]), [['Warning', 'ProviderNotFound']]);
  });

  it('a retry that changes nothing but attempts emits nothing', () => {
    const once = recordResults(fresh(), [result('a', 'Retryable')], at(1), 1);
    const twice = recordResults(once, [result('a', 'Retryable')], at(2), 1);
    assert.deepEqual(transitionEvents(fresh(), once), []);
    assert.deepEqual(transitionEvents(once, twice), []);
    const throttled = recordResults(twice, [result('a', 'Retryable', { code: 'RequestLimitExceeded', throttled: true })], at(3), 1);
    assert.deepEqual(transitionEvents(twice, throttled), []);
  });

  it('no event for waiting or pausing', () => {
    assert.deepEqual(transitionEvents(undefined, blockedStatus(ban(), { reason: 'WaitingForProvider', generation: 1 }, T0)), []);
    assert.deepEqual(transitionEvents(fresh(), blockedStatus(ban({ status: fresh() }), { reason: 'Paused', generation: 1 }, T0)), []);
  });

  it('reports users removed again after a target change', () => {
    const done = recordResults(fresh(['a']), [result('a', 'Removed', { requestId: 'old' })], at(1), 1);
    const moved = prepareStatus(ban({ spec: { users: ['a'], roomId: 'r2' }, status: done, generation: 2 }), inputs({ generation: 2, target: target({ roomId: 'r2' }) }), at(2));
    const redone = recordResults(moved, [result('a', 'Removed', { requestId: 'new' })], at(3), 2);
    // Written step by step (prepare, then the call), Ready falls and rises again: both are reported.
    assert.deepEqual(transitionEvents(done, moved), []);
    assert.deepEqual(transitionEvents(moved, redone).map((event) => event.message), ['Removed 1 user from room r2: a (RequestId new). Ready: 1/1 users removed from room r2']);
    // Compared across both steps, Ready never fell; the new kick is still reported.
    assert.deepEqual(transitionEvents(done, redone).map((event) => event.reason), ['UsersRemoved']);
  });

  it('bounds the message to 1 kB of UTF-8 however many users are removed', () => {
    const users = userIds(300, '用户名很长的用户');
    const before = fresh(users);
    const after = recordResults(before, users.map((id, index) => result(id, 'Removed', { requestId: `request-${index}-${'x'.repeat(200)}` })), at(1), 1);
    for (const event of transitionEvents(before, after)) {
      assert.ok(Buffer.byteLength(event.message, 'utf8') <= MAX_EVENT_MESSAGE_BYTES, `${event.reason}: ${Buffer.byteLength(event.message)}`);
    }
    assert.match(transitionEvents(before, after)[0]?.message ?? '', /^Removed 300 users from room abcd: /);
  });
});
