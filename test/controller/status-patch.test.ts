// Status writes by JSON Patch: only what a call changed is sent, with the resourceVersion it was
// computed from (the API server's precondition; test/controller/conflicts.test.ts shows the 409).

import assert from 'node:assert/strict';
import type { RoomBan, RoomBanStatus, UserStatus } from '../../src/api/types.ts';
import { statusPatch } from '../../src/controller/status-patch.ts';

function status(users: UserStatus[], extra: Partial<RoomBanStatus> = {}): RoomBanStatus {
  return { observedGeneration: 1, summary: { total: users.length, removed: 0, pending: users.length, failed: 0 }, progress: `0/${users.length}`, users, ...extra };
}

const pending = (userId: string): UserStatus => ({ userId, state: 'Pending', attempts: 0 });
const removed = (userId: string): UserStatus => ({ userId, state: 'Removed', requestId: `req-${userId}`, vendorCode: '', message: '', attempts: 1, lastAttemptTime: '2026-12-01T10:00:00Z' });

/** RFC 6902 as the API server applies it, for the operations statusPatch emits. */
function apply(object: RoomBan, operations: NonNullable<ReturnType<typeof statusPatch>>): RoomBan {
  const copy = structuredClone(object) as unknown as Record<string, unknown>;
  for (const operation of operations) {
    const keys = operation.path.split('/').slice(1);
    const last = keys.pop()!;
    let parent = copy as Record<string, unknown> | unknown[];
    for (const key of keys) parent = (parent as Record<string, unknown>)[key] as Record<string, unknown>;
    if (operation.op === 'remove') delete (parent as Record<string, unknown>)[last];
    else (parent as Record<string, unknown>)[last] = operation.value;
  }
  return copy as unknown as RoomBan;
}

describe('statusPatch', () => {
  const users = Array.from({ length: 500 }, (_, i) => pending(`user${i}`));
  const before = status(users);
  const after = status(users.map((user, i) => (i === 7 ? removed(user.userId) : user)), { summary: { total: 500, removed: 1, pending: 499, failed: 0 }, progress: '1/500' });
  const ban: RoomBan = { apiVersion: 'roomban.io/v1alpha1', kind: 'RoomBan', metadata: { name: 'b', namespace: 'n', resourceVersion: '42' }, spec: { providerRef: { name: 'p' }, roomId: 'r', users: users.map((u) => u.userId) }, status: before };

  it('one user answered in a 500-user RoomBan: the patch names that entry and the fields around it, and is under 2% of the PUT', () => {
    const patch = statusPatch(before, after, '42');
    assert.ok(patch);
    assert.deepEqual(patch.map((operation) => operation.path), ['/metadata/resourceVersion', '/status/progress', '/status/summary', '/status/users/7']);
    assert.deepEqual(patch[0], { op: 'replace', path: '/metadata/resourceVersion', value: '42' });
    const patchBytes = JSON.stringify(patch).length;
    const putBytes = JSON.stringify({ ...ban, status: after }).length;
    assert.ok(patchBytes * 50 < putBytes, `${patchBytes} vs ${putBytes} bytes`);
  });

  it('applied, it gives exactly the status a PUT would write', () => {
    const patched = apply(ban, statusPatch(before, after, '42')!);
    assert.deepEqual(patched.status, after);
  });

  it('adds and removes top-level fields (expiresAt appears, target goes)', () => {
    const withTarget = status([pending('a')], { target: { providerKind: 'RoomProvider', providerName: 'p', account: 'x/1', roomId: 'r', roomIdType: 'String' } });
    const next = status([removed('a')], { expiresAt: '2026-12-02T10:00:00Z' });
    const patch = statusPatch(withTarget, next, '7')!;
    assert.deepEqual(patch.filter((o) => o.path === '/status/expiresAt' || o.path === '/status/target').map((o) => [o.op, o.path]), [['add', '/status/expiresAt'], ['remove', '/status/target']]);
    assert.deepEqual(apply({ ...ban, status: withTarget }, patch).status, next);
  });

  it('users added, dropped or reordered, no recorded status, or no resourceVersion: undefined (the whole status is PUT)', () => {
    assert.equal(statusPatch(status([pending('a')]), status([pending('a'), pending('b')]), '1'), undefined);
    assert.equal(statusPatch(status([pending('a'), pending('b')]), status([pending('b'), pending('a')]), '1'), undefined);
    assert.equal(statusPatch(undefined, status([pending('a')]), '1'), undefined);
    assert.equal(statusPatch(status([pending('a')]), status([removed('a')]), undefined), undefined);
  });
});
