// Status writes that scale with the work, not the object (docs/decisions.md#status-writes-by-patch):
// after a vendor call only a few entries of status.users change, so the write is an RFC 6902 JSON
// Patch of just those entries and the fields around them (summary, conditions, ...), instead of a
// PUT of the whole object with every user. The patch sets metadata.resourceVersion to the version
// it was computed from, which the API server checks as a precondition: a concurrent change answers
// 409 Conflict, exactly as the PUT did, so a recorded result is never lost or overwritten.

import type { RoomBanStatus } from '../api/types.ts';

export type PatchOperation =
  | { op: 'replace' | 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/**
 * The JSON Patch that turns `before` into `after` through the status subresource, or undefined when
 * there is no recorded status to patch or the lists do not line up (users added, dropped or reordered: the whole
 * list is then written, as the atomic list it is).
 */
export function statusPatch(before: RoomBanStatus | undefined, after: RoomBanStatus, resourceVersion: string | undefined): PatchOperation[] | undefined {
  if (before === undefined || resourceVersion === undefined || resourceVersion === '') return undefined;
  const beforeUsers = before.users ?? [];
  const afterUsers = after.users ?? [];
  if (beforeUsers.length !== afterUsers.length || beforeUsers.some((user, index) => user.userId !== afterUsers[index]?.userId)) return undefined;
  const operations: PatchOperation[] = [{ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion }];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete('users');
  const record = (status: RoomBanStatus) => status as Record<string, unknown>;
  for (const key of [...keys].sort()) {
    const was = record(before)[key];
    const is = record(after)[key];
    if (same(was, is)) continue;
    if (is === undefined) operations.push({ op: 'remove', path: `/status/${key}` });
    else operations.push({ op: was === undefined ? 'add' : 'replace', path: `/status/${key}`, value: is });
  }
  afterUsers.forEach((user, index) => {
    if (!same(beforeUsers[index], user)) operations.push({ op: 'replace', path: `/status/users/${index}`, value: user });
  });
  return operations;
}

// As JSON compares: key order does not matter, an undefined property equals an absent one.
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}
