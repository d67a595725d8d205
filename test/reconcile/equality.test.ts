import assert from 'node:assert/strict';
import type { RoomBanStatus } from '../../src/api/types.ts';
import { prepareStatus, recordResults, statusChanged } from '../../src/reconcile/index.ts';
import { T0, at, ban, inputs, result } from './fixtures.ts';

describe('statusChanged', () => {
  const base = (): RoomBanStatus => prepareStatus(ban(), inputs(), T0);

  it('false for an identical status and for a deep copy', () => {
    const status = base();
    assert.equal(statusChanged(status, status), false);
    assert.equal(statusChanged(status, structuredClone(status)), false);
  });

  it('false for a re-prepared status with nothing new, even later (no-op writes are skipped)', () => {
    const status = base();
    assert.equal(statusChanged(status, prepareStatus(ban({ status }), inputs(), at(300))), false);
  });

  it('ignores key order and undefined properties', () => {
    assert.equal(statusChanged({ observedGeneration: 1, progress: '0/1' }, { progress: '0/1', observedGeneration: 1, target: undefined }), false);
  });

  it('true when anything differs', () => {
    const status = base();
    assert.equal(statusChanged(undefined, status), true);
    assert.equal(statusChanged(status, recordResults(status, [result('test1', 'Retryable')], at(1), 1)), true);
    assert.equal(statusChanged(status, { ...status, observedGeneration: 2 }), true);
    assert.equal(statusChanged({ users: [] }, { users: [{ userId: 'a', state: 'Pending', attempts: 0 }] }), true);
    assert.equal(statusChanged({ progress: '1/2' }, { progress: '1/2', inputsVersion: 'x' }), true);
  });

  it('array order matters (users are in spec order)', () => {
    const a = { userId: 'a', state: 'Pending' as const, attempts: 0 };
    const b = { userId: 'b', state: 'Pending' as const, attempts: 0 };
    assert.equal(statusChanged({ users: [a, b] }, { users: [b, a] }), true);
  });

  it('an empty status equals no status', () => {
    assert.equal(statusChanged(undefined, {}), false);
  });
});
