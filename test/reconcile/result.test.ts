import assert from 'node:assert/strict';
import type { UserResult } from '../../src/api/results.ts';
import { nextStep, prepareStatus, recordResults } from '../../src/reconcile/index.ts';
import { T0, at, ban, inputs, result, results } from './fixtures.ts';

/** The ledger after the answers, as the reconciler holds it when it decides. */
function afterAnswers(answers: UserResult[], users: string[] = ['a', 'b']) {
  const status = recordResults(prepareStatus(ban({ spec: { users } }), inputs(), T0), answers, at(1), 1);
  return { users: status.users ?? [], results: answers };
}

describe('nextStep', () => {
  it('done when every user is out (Ready)', () => {
    assert.deepEqual(nextStep(afterAnswers(results(['a', 'b'], 'Removed'))), { kind: 'done' });
    assert.deepEqual(nextStep(afterAnswers([result('a', 'Removed'), result('b', 'AlreadyAbsent')])), { kind: 'done' });
  });

  it('done when nothing is Pending and some failed (Stalled/VendorRejected waits for a change)', () => {
    assert.deepEqual(nextStep(afterAnswers(results(['a', 'b'], 'Terminal'))), { kind: 'done' });
  });

  it('done for every block an event ends: ProviderNotFound, ProviderNotAllowed (a namespace relabel), CredentialsInvalid, InvalidSpec, Paused, a missing Secret', () => {
    for (const blocked of ['ProviderNotFound', 'ProviderNotAllowed', 'CredentialsInvalid', 'InvalidSpec', 'Paused', 'WaitingForProvider'] as const) {
      assert.deepEqual(nextStep({ blocked }), { kind: 'done' }, blocked);
    }
  });

  it('backoff for a block no watched event ends (a Secret the operator may not read yet)', () => {
    assert.deepEqual(nextStep({ blocked: 'WaitingForProvider', poll: true }), { kind: 'backoff' });
  });

  it('requeue at once when users remain Pending and nothing failed retryably (stopped between calls)', () => {
    assert.deepEqual(nextStep(afterAnswers([result('a', 'Removed')])), { kind: 'requeue', afterMs: 0 });
    const untouched = prepareStatus(ban(), inputs(), T0);
    assert.deepEqual(nextStep({ users: untouched.users ?? [], results: [] }), { kind: 'requeue', afterMs: 0 });
  });

  it('requeue for a Terminal answer while others remain Pending', () => {
    assert.deepEqual(nextStep(afterAnswers([result('a', 'Terminal')])), { kind: 'requeue', afterMs: 0 });
  });

  it('backoff after retryable failures', () => {
    assert.deepEqual(nextStep(afterAnswers([result('a', 'Removed'), result('b', 'Retryable')])), { kind: 'backoff' });
  });

  it('backoff not before the largest Retry-After among the retryable results', () => {
    const answers = [
      result('a', 'Retryable', { code: 'RequestLimitExceeded', throttled: true, retryAfterMs: 2_000 }),
      result('b', 'Retryable', { code: 'RequestLimitExceeded', throttled: true, retryAfterMs: 7_500 }),
      result('c', 'Retryable'),
    ];
    assert.deepEqual(nextStep(afterAnswers(answers, ['a', 'b', 'c'])), { kind: 'backoff', retryAfterMs: 7_500 });
  });

  it('decides from the ledger it is given, not from conditions: a Ready-looking record with Pending users requeues', () => {
    const ready = recordResults(prepareStatus(ban(), inputs(), T0), results(['test1', 'test2'], 'Removed'), at(1), 1);
    const users = (ready.users ?? []).map((user) => (user.userId === 'test2' ? { ...user, state: 'Pending' as const } : user));
    assert.deepEqual(nextStep({ users, results: [] }), { kind: 'requeue', afterMs: 0 });
  });
});
