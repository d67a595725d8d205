import assert from 'node:assert/strict';
import type { RoomBanStatus } from '../../src/api/types.ts';
import { blockedStatus, prepareStatus, reconcileOutcome, recordResults } from '../../src/reconcile/index.ts';
import { T0, at, ban, inputs, result, results } from './fixtures.ts';

function fresh(users: string[] = ['a', 'b']): RoomBanStatus {
  return prepareStatus(ban({ spec: { users } }), inputs(), T0);
}

describe('reconcileOutcome', () => {
  it('done when Ready', () => {
    const answers = results(['a', 'b'], 'Removed');
    assert.deepEqual(reconcileOutcome(recordResults(fresh(), answers, at(1), 1), answers), { kind: 'done' });
  });

  it('wait (Stalled) on VendorRejected and on every stalling block', () => {
    const answers = results(['a', 'b'], 'Terminal');
    assert.deepEqual(reconcileOutcome(recordResults(fresh(), answers, at(1), 1), answers), { kind: 'wait', reason: 'Stalled' });
    for (const reason of ['ProviderNotFound', 'CredentialsInvalid', 'InvalidSpec'] as const) {
      assert.deepEqual(reconcileOutcome(blockedStatus(ban(), { reason, generation: 1 }, T0)), { kind: 'wait', reason: 'Stalled' });
    }
  });

  it('wait (Paused) and wait (WaitingForProvider)', () => {
    assert.deepEqual(reconcileOutcome(blockedStatus(ban(), { reason: 'Paused', generation: 1 }, T0)), { kind: 'wait', reason: 'Paused' });
    assert.deepEqual(reconcileOutcome(blockedStatus(ban(), { reason: 'WaitingForProvider', generation: 1 }, T0)), { kind: 'wait', reason: 'WaitingForProvider' });
  });

  it('continue when users remain Pending and nothing failed retryably', () => {
    const answers = [result('a', 'Removed')];
    assert.deepEqual(reconcileOutcome(recordResults(fresh(), answers, at(1), 1), answers), { kind: 'continue' });
    assert.deepEqual(reconcileOutcome(fresh()), { kind: 'continue' });
  });

  it('continue for a Terminal answer while others remain Pending', () => {
    const answers = [result('a', 'Terminal')];
    assert.deepEqual(reconcileOutcome(recordResults(fresh(), answers, at(1), 1), answers), { kind: 'continue' });
  });

  it('retry with backoff after retryable failures', () => {
    const answers = [result('a', 'Removed'), result('b', 'Retryable')];
    assert.deepEqual(reconcileOutcome(recordResults(fresh(), answers, at(1), 1), answers), { kind: 'retry' });
  });

  it('retry not before the largest Retry-After among the results', () => {
    const answers = [
      result('a', 'Retryable', { code: 'RequestLimitExceeded', retryAfterMs: 2_000 }),
      result('b', 'Retryable', { code: 'RequestLimitExceeded', retryAfterMs: 7_500 }),
      result('c', 'Retryable'),
    ];
    assert.deepEqual(reconcileOutcome(recordResults(fresh(['a', 'b', 'c']), answers, at(1), 1), answers), { kind: 'retry', retryAfterMs: 7_500 });
  });

  it('continue for a status without conditions (let the next reconcile rebuild it)', () => {
    assert.deepEqual(reconcileOutcome({}), { kind: 'continue' });
  });
});
