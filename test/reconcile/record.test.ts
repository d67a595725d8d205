import assert from 'node:assert/strict';
import type { RoomBanStatus } from '../../src/api/types.ts';
import { prepareStatus, recordResults } from '../../src/reconcile/index.ts';
import { MAX_REQUEST_ID_CHARS, MAX_USER_MESSAGE_CHARS, MAX_VENDOR_CODE_CHARS } from '../../src/api/bounds.ts';
import { T0, at, ban, condition, inputs, kubeTime, result, results, stateOf } from './fixtures.ts';

function fresh(users: string[] = ['a', 'b'], generation = 1): RoomBanStatus {
  return prepareStatus(ban({ spec: { users }, generation }), inputs({ generation }), T0);
}

describe('recordResults', () => {
  it('Removed: state, RequestId, empty code and message, attempts+1, lastAttemptTime', () => {
    const status = recordResults(fresh(), [result('a', 'Removed', { requestId: 'eac6b301' })], at(1), 1);
    assert.deepEqual(stateOf(status, 'a'), {
      userId: 'a',
      state: 'Removed',
      requestId: 'eac6b301',
      vendorCode: '',
      message: '',
      attempts: 1,
      lastAttemptTime: kubeTime(1),
    });
  });

  it('AlreadyAbsent: code and RequestId recorded', () => {
    const status = recordResults(fresh(), [result('a', 'AlreadyAbsent', { code: '100005', message: 'not a room member', requestId: 'Id-1' })], at(1), 1);
    assert.deepEqual(stateOf(status, 'a'), {
      userId: 'a',
      state: 'AlreadyAbsent',
      requestId: 'Id-1',
      vendorCode: '100005',
      message: 'not a room member',
      attempts: 1,
      lastAttemptTime: kubeTime(1),
    });
  });

  it('Retryable: stays Pending with the last attempt recorded; attempts accumulate', () => {
    let status = recordResults(fresh(), [result('a', 'Retryable', { code: 'InternalError', requestId: 'r1' })], at(1), 1);
    status = recordResults(status, [result('a', 'Retryable', { code: 'Transport.Timeout', message: 'timed out', requestId: '' })], at(2), 1);
    assert.deepEqual(stateOf(status, 'a'), {
      userId: 'a',
      state: 'Pending',
      vendorCode: 'Transport.Timeout',
      message: 'timed out',
      attempts: 2,
      lastAttemptTime: kubeTime(2),
    });
  });

  it('Terminal: Failed with code, message and RequestId', () => {
    const status = recordResults(fresh(), [result('a', 'Terminal', { code: 'InvalidParameter.UserIds', message: 'bad', requestId: 'r9' })], at(1), 1);
    assert.deepEqual(stateOf(status, 'a'), {
      userId: 'a',
      state: 'Failed',
      requestId: 'r9',
      vendorCode: 'InvalidParameter.UserIds',
      message: 'bad',
      attempts: 1,
      lastAttemptTime: kubeTime(1),
    });
  });

  it('a Removed after Retryable attempts counts every attempt', () => {
    let status = recordResults(fresh(), [result('a', 'Retryable')], at(1), 1);
    status = recordResults(status, [result('a', 'Removed')], at(2), 1);
    assert.equal(stateOf(status, 'a').attempts, 2);
    assert.equal(stateOf(status, 'a').vendorCode, '');
  });

  it('truncates vendor messages to a bound, without splitting characters', () => {
    const status = recordResults(fresh(), [result('a', 'Terminal', { message: '错'.repeat(5000) })], at(1), 1);
    const message = stateOf(status, 'a').message ?? '';
    assert.equal(Array.from(message).length, MAX_USER_MESSAGE_CHARS);
    assert.ok(message.endsWith('…'));
    assert.ok(message.startsWith('错错'));
  });

  it('cuts a vendor RequestId and code to the CRD bounds (128 and 64), so the status write is never refused', () => {
    const status = recordResults(fresh(), [result('a', 'Terminal', { requestId: 'r'.repeat(300), code: 'C'.repeat(100) })], at(1), 1);
    const user = stateOf(status, 'a');
    assert.equal(Array.from(user.requestId ?? '').length, MAX_REQUEST_ID_CHARS);
    assert.equal(Array.from(user.vendorCode ?? '').length, MAX_VENDOR_CODE_CHARS);
    assert.ok(user.requestId?.startsWith('rrr') && user.vendorCode?.startsWith('CCC'));
    const exact = recordResults(fresh(), [result('b', 'Removed', { requestId: 'q'.repeat(MAX_REQUEST_ID_CHARS) })], at(1), 1);
    assert.equal(stateOf(exact, 'b').requestId, 'q'.repeat(MAX_REQUEST_ID_CHARS));
  });

  it('an account-wide refusal fails every Pending user with that answer, without calls of their own', () => {
    const prepared = prepareStatus(ban({ spec: { users: ['a', 'b', 'c', 'd'] } }), inputs(), T0);
    const first = recordResults(prepared, [result('a', 'Removed')], at(1), 1);
    const refusal = result('b', 'Terminal', { code: 'AuthFailure.SignatureFailure', message: 'bad key', requestId: 'req-9', accountWide: true });
    const status = recordResults(first, [refusal], at(2), 1);
    assert.deepEqual(status.users?.map((u) => [u.userId, u.state, u.vendorCode, u.requestId ?? '', u.attempts]), [
      ['a', 'Removed', '', 'req-a', 1],
      ['b', 'Failed', 'AuthFailure.SignatureFailure', 'req-9', 1],
      ['c', 'Failed', 'AuthFailure.SignatureFailure', 'req-9', 0],
      ['d', 'Failed', 'AuthFailure.SignatureFailure', 'req-9', 0],
    ]);
    assert.equal(condition(status, 'Stalled').reason, 'VendorRejected');
  });

  it('a Terminal answer about the users alone (not account-wide) leaves the others Pending', () => {
    const prepared = prepareStatus(ban({ spec: { users: ['a', 'b'] } }), inputs(), T0);
    const status = recordResults(prepared, [result('a', 'Terminal', { code: 'InvalidParameter.UserIds' })], at(1), 1);
    assert.deepEqual(status.users?.map((u) => u.state), ['Failed', 'Pending']);
  });

  it('keeps short messages intact', () => {
    const status = recordResults(fresh(), [result('a', 'Terminal', { message: 'x'.repeat(MAX_USER_MESSAGE_CHARS) })], at(1), 1);
    assert.equal(stateOf(status, 'a').message, 'x'.repeat(MAX_USER_MESSAGE_CHARS));
  });

  it('recomputes summary, progress and observedGeneration', () => {
    const before = fresh(['a', 'b', 'c', 'd'], 3);
    const status = recordResults(before, [result('a', 'Removed'), result('b', 'AlreadyAbsent'), result('c', 'Terminal')], at(1), 3);
    assert.deepEqual(status.summary, { total: 4, removed: 2, pending: 1, failed: 1 });
    assert.equal(status.progress, '2/4');
    assert.equal(status.observedGeneration, 3);
    for (const type of ['Ready', 'Reconciling', 'Stalled']) assert.equal(condition(status, type).observedGeneration, 3);
  });

  it('ignores results for users that are not in status', () => {
    const before = fresh();
    const status = recordResults(before, [result('ghost', 'Removed')], at(1), 1);
    assert.deepEqual(status.users, before.users);
    assert.equal(status.users?.length, 2);
  });

  it('never moves a Removed/AlreadyAbsent user back, whatever a late answer says', () => {
    const done = recordResults(fresh(), [result('a', 'Removed', { requestId: 'first' }), result('b', 'AlreadyAbsent')], at(1), 1);
    const status = recordResults(done, [result('a', 'Retryable'), result('b', 'Terminal'), result('a', 'Removed', { requestId: 'second' })], at(2), 1);
    assert.deepEqual(stateOf(status, 'a'), stateOf(done, 'a'));
    assert.deepEqual(stateOf(status, 'b'), stateOf(done, 'b'));
  });

  it('keeps target and inputsVersion, and does not modify its input', () => {
    const before = fresh();
    const snapshot = structuredClone(before);
    const status = recordResults(before, results(['a', 'b'], 'Removed'), at(1), 1);
    assert.deepEqual(before, snapshot);
    assert.deepEqual(status.target, before.target);
    assert.equal(status.inputsVersion, before.inputsVersion);
  });

  it('with no results changes nothing', () => {
    const before = recordResults(fresh(), [result('a', 'Retryable', { code: 'RequestLimitExceeded', throttled: true })], at(1), 1);
    assert.deepEqual(recordResults(before, [], at(9), 1), before);
  });

  it('applies several results for one user in order (a batch re-asked one by one)', () => {
    const status = recordResults(fresh(), [result('a', 'Retryable'), result('a', 'AlreadyAbsent')], at(1), 1);
    assert.equal(stateOf(status, 'a').state, 'AlreadyAbsent');
    assert.equal(stateOf(status, 'a').attempts, 2);
  });
});
