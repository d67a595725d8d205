import assert from 'node:assert/strict';
import { planRemovals, prepareStatus, recordResults } from '../../src/reconcile/index.ts';
import { T0, at, ban, inputs, result, results, userIds } from './fixtures.ts';

describe('planRemovals', () => {
  it('batches 25 users by 10 into 10, 10, 5 in spec order', () => {
    const users = userIds(25);
    const batches = planRemovals(prepareStatus(ban({ spec: { users } }), inputs(), T0).users ?? [], 10);
    assert.deepEqual(batches.map((batch) => batch.length), [10, 10, 5]);
    assert.deepEqual(batches.flat(), users);
  });

  it('batches by each vendor size: Chat 20, Volcengine 1', () => {
    const status = prepareStatus(ban({ spec: { users: userIds(25) } }), inputs(), T0);
    assert.deepEqual(planRemovals(status.users ?? [], 20).map((batch) => batch.length), [20, 5]);
    assert.equal(planRemovals(status.users ?? [], 1).length, 25);
  });

  it('plans only Pending users: not Removed, AlreadyAbsent or Failed', () => {
    const prepared = prepareStatus(ban({ spec: { users: ['a', 'b', 'c', 'd', 'e'] } }), inputs(), T0);
    const status = recordResults(prepared, [result('a', 'Removed'), result('b', 'AlreadyAbsent'), result('c', 'Terminal'), result('d', 'Retryable')], at(1), 1);
    assert.deepEqual(planRemovals(status.users ?? [], 10), [['d', 'e']]);
  });

  it('plans only the added users after Ready', () => {
    const done = recordResults(prepareStatus(ban({ spec: { users: ['a', 'b'] } }), inputs(), T0), results(['a', 'b'], 'Removed'), at(1), 1);
    assert.deepEqual(planRemovals(done.users ?? [], 10), []);
    const grown = prepareStatus(ban({ spec: { users: ['a', 'x', 'b', 'y'] }, status: done, generation: 2 }), inputs({ generation: 2 }), at(2));
    assert.deepEqual(planRemovals(grown.users ?? [], 10), [['x', 'y']]);
  });

  it('does not re-plan Failed users until the generation or inputsVersion changes', () => {
    const failed = recordResults(prepareStatus(ban({ spec: { users: ['a'] } }), inputs(), T0), [result('a', 'Terminal')], at(1), 1);
    const same = prepareStatus(ban({ spec: { users: ['a'] }, status: failed }), inputs(), at(2));
    assert.deepEqual(planRemovals(same.users ?? [], 10), []);
    const edited = prepareStatus(ban({ spec: { users: ['a'] }, status: failed, generation: 2 }), inputs({ generation: 2 }), at(2));
    assert.deepEqual(planRemovals(edited.users ?? [], 10), [['a']]);
    const rekeyed = prepareStatus(ban({ spec: { users: ['a'] }, status: failed }), inputs({ inputsVersion: 'new' }), at(2));
    assert.deepEqual(planRemovals(rekeyed.users ?? [], 10), [['a']]);
  });

  it('plans nothing for an empty status', () => {
    assert.deepEqual(planRemovals([], 10), []);
  });

  it('rejects a batch size that is not a positive integer', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) assert.throws(() => planRemovals([], size), RangeError);
  });
});
