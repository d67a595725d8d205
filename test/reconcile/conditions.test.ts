import assert from 'node:assert/strict';
import type { Condition, RoomBanStatus } from '../../src/api/types.ts';
import { prepareStatus, recordResults } from '../../src/reconcile/index.ts';
import { MAX_CONDITION_MESSAGE_CHARS } from '../../src/api/bounds.ts';
import { T0, T0_TEXT, at, ban, condition, inputs, kubeTime, result, results, userIds } from './fixtures.ts';

function fresh(users: string[] = ['a', 'b']): RoomBanStatus {
  return prepareStatus(ban({ spec: { users } }), inputs(), T0);
}

function statuses(status: RoomBanStatus): Record<string, [string, string]> {
  return Object.fromEntries((status.conditions ?? []).map((c: Condition) => [c.type, [c.status, c.reason]]));
}

describe('conditions', () => {
  it('always carries Ready, Reconciling and Stalled, in that order', () => {
    assert.deepEqual(fresh().conditions?.map((c) => c.type), ['Ready', 'Reconciling', 'Stalled']);
  });

  it('new ban: Reconciling=True Progressing, the others False with the same reason', () => {
    const status = fresh();
    assert.deepEqual(statuses(status), {
      Ready: ['False', 'Progressing'],
      Reconciling: ['True', 'Progressing'],
      Stalled: ['False', 'Progressing'],
    });
    assert.equal(condition(status, 'Reconciling').message, '0/2 users removed, 2 pending');
    assert.equal(condition(status, 'Ready').lastTransitionTime, T0_TEXT);
  });

  it('Ready=True AllUsersRemoved when every user is Removed/AlreadyAbsent', () => {
    const status = recordResults(fresh(), [result('a', 'Removed'), result('b', 'AlreadyAbsent')], at(1), 1);
    assert.deepEqual(statuses(status), {
      Ready: ['True', 'AllUsersRemoved'],
      Reconciling: ['False', 'AllUsersRemoved'],
      Stalled: ['False', 'AllUsersRemoved'],
    });
    assert.equal(condition(status, 'Ready').message, '2/2 users removed from room abcd (1 already absent)');
  });

  it('Ready message without absent users', () => {
    const status = recordResults(fresh(), results(['a', 'b'], 'Removed'), at(1), 1);
    assert.equal(condition(status, 'Ready').message, '2/2 users removed from room abcd');
  });

  it('Throttled on an answer the vendor boundary marks throttled (rate-limit code or Retry-After)', () => {
    const marked = [
      { code: 'RequestLimitExceeded', throttled: true },
      { code: 'FlowLimitExceeded.QPSOverLimit', throttled: true },
      { code: '60007', throttled: true },
      { code: 'Weird', throttled: true, retryAfterMs: 500 },
    ];
    for (const extra of marked) {
      const status = recordResults(fresh(), [result('a', 'Retryable', extra), result('b', 'Removed')], at(1), 1);
      assert.deepEqual(statuses(status).Reconciling, ['True', 'Throttled'], JSON.stringify(extra));
    }
    const status = recordResults(fresh(), [result('a', 'Retryable', { code: 'RequestLimitExceeded', throttled: true })], at(1), 1);
    assert.equal(condition(status, 'Reconciling').message, 'Vendor rate limit reached: RequestLimitExceeded (1); 0/2 users removed, 2 pending');
  });

  it('the core matches no vendor code: an unmarked answer is RetryingAfterError whatever its code says', () => {
    for (const code of ['RequestLimitExceeded', 'FlowLimitExceeded', '60007', 'HTTP.429']) {
      const status = recordResults(fresh(), [result('a', 'Retryable', { code }), result('b', 'Removed')], at(1), 1);
      assert.deepEqual(statuses(status).Reconciling, ['True', 'RetryingAfterError'], code);
    }
  });

  it('RetryingAfterError on other retryable answers, listing the codes', () => {
    const answers = [result('a', 'Retryable', { code: 'InternalError' }), result('b', 'Retryable', { code: 'Transport.Timeout' }), result('c', 'Retryable', { code: 'InternalError' })];
    const status = recordResults(fresh(['a', 'b', 'c']), answers, at(1), 1);
    assert.deepEqual(statuses(status).Reconciling, ['True', 'RetryingAfterError']);
    assert.equal(condition(status, 'Reconciling').message, 'Retrying after errors: InternalError (2), Transport.Timeout (1); 0/3 users removed, 3 pending');
  });

  it('back to Progressing after a call that succeeds', () => {
    let status = recordResults(fresh(['a', 'b', 'c']), [result('a', 'Retryable')], at(1), 1);
    status = recordResults(status, [result('b', 'Removed')], at(2), 1);
    assert.deepEqual(statuses(status).Reconciling, ['True', 'Progressing']);
  });

  it('Stalled=True VendorRejected once no user is Pending, naming the vendor codes', () => {
    const answers = [
      result('a', 'Terminal', { code: 'AuthFailure.SignatureFailure', message: 'signature mismatch' }),
      result('b', 'Terminal', { code: 'AuthFailure.SignatureFailure', message: 'signature mismatch' }),
      result('c', 'Removed'),
    ];
    const status = recordResults(fresh(['a', 'b', 'c']), answers, at(1), 1);
    assert.deepEqual(statuses(status), {
      Ready: ['False', 'VendorRejected'],
      Reconciling: ['False', 'VendorRejected'],
      Stalled: ['True', 'VendorRejected'],
    });
    assert.equal(condition(status, 'Stalled').message, '2 users failed: AuthFailure.SignatureFailure (2 users: a, b): signature mismatch');
  });

  it('keeps working (Reconciling, not Stalled) while some users Failed and others are still Pending', () => {
    const status = recordResults(fresh(['a', 'b']), [result('a', 'Terminal', { code: 'InvalidParameter.UserIds', message: 'bad' })], at(1), 1);
    assert.deepEqual(statuses(status), {
      Ready: ['False', 'Progressing'],
      Reconciling: ['True', 'Progressing'],
      Stalled: ['False', 'Progressing'],
    });
    assert.equal(condition(status, 'Reconciling').message, '0/2 users removed, 1 pending; 1 user failed: InvalidParameter.UserIds (1 user: a): bad');
  });

  it('groups failures by code and bounds the listed users', () => {
    const users = userIds(8);
    const answers = users.map((id, index) => result(id, 'Terminal', { code: index < 6 ? 'A' : 'B', message: `m${index}` }));
    const status = recordResults(fresh(users), answers, at(1), 1);
    assert.equal(condition(status, 'Stalled').message, '8 users failed: A (6 users: u0, u1, u2 and 3 more): m0; B (2 users: u6, u7): m6');
  });

  it('truncates condition messages to a bound', () => {
    const users = userIds(5);
    const answers = users.map((id) => result(id, 'Terminal', { code: `Code${id}`, message: 'y'.repeat(500) }));
    const status = recordResults(fresh(users), answers, at(1), 1);
    const message = condition(status, 'Stalled').message;
    assert.equal(Array.from(message).length, MAX_CONDITION_MESSAGE_CHARS);
    assert.ok(message.endsWith('…'));
  });

  it('preserves lastTransitionTime while the status value does not change', () => {
    const start = fresh(['a', 'b', 'c']);
    const progressed = recordResults(start, [result('a', 'Retryable')], at(10), 1);
    // Reconciling stays True (reason changes): same lastTransitionTime; message and reason updated.
    assert.equal(condition(progressed, 'Reconciling').lastTransitionTime, T0_TEXT);
    assert.equal(condition(progressed, 'Reconciling').reason, 'RetryingAfterError');
    assert.equal(condition(progressed, 'Ready').lastTransitionTime, T0_TEXT);
    const done = recordResults(progressed, results(['a', 'b', 'c'], 'Removed'), at(20), 1);
    assert.equal(condition(done, 'Ready').lastTransitionTime, kubeTime(20));
    assert.equal(condition(done, 'Reconciling').lastTransitionTime, kubeTime(20));
    assert.equal(condition(done, 'Stalled').lastTransitionTime, T0_TEXT);
  });

  it('writes times as whole seconds in UTC, as metav1.Time serializes', () => {
    const status = prepareStatus(ban(), inputs(), new Date('2026-11-21T10:00:00.987Z'));
    assert.equal(condition(status, 'Ready').lastTransitionTime, '2026-11-21T10:00:00Z');
  });

  it('keeps conditions of other types where they were', () => {
    const foreign: Condition = { type: 'Audited', status: 'True', reason: 'Done', message: '', lastTransitionTime: T0_TEXT };
    const status = prepareStatus(ban({ status: { conditions: [foreign] } }), inputs(), at(1));
    assert.deepEqual(status.conditions?.map((c) => c.type), ['Audited', 'Ready', 'Reconciling', 'Stalled']);
    assert.deepEqual(status.conditions?.[0], foreign);
  });
});
