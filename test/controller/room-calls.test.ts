// Which RoomBans' calls may be one vendor call: the combiner's key, and the waiting RoomBans that
// may ride along with a kick that has room left.

import assert from 'node:assert/strict';
import type { RoomBan, RoomBanSpec } from '../../src/api/types.ts';
import { combineKey, ridersFor } from '../../src/controller/room-calls.ts';

function ban(name: string, spec: Partial<RoomBanSpec> = {}, extra: { namespace?: string; deleting?: boolean; status?: RoomBan['status']; paused?: boolean } = {}): RoomBan {
  return {
    apiVersion: 'roomban.io/v1alpha1',
    kind: 'RoomBan',
    metadata: {
      namespace: extra.namespace ?? 'ns',
      name,
      ...(extra.deleting ? { deletionTimestamp: '2026-12-01T00:00:00Z' } : {}),
      ...(extra.paused ? { annotations: { 'roomban.io/paused': 'true' } } : {}),
    },
    spec: { providerRef: { name: 'p' }, roomId: 'hall', users: [name], reason: 'spam', ...spec },
    ...(extra.status ? { status: extra.status } : {}),
  } as RoomBan;
}

function pick(opener: RoomBan, others: RoomBan[], spaceLeft: number, vendor: 'tencentTRTC' | 'tencentChat' = 'tencentChat', waiting = (_key: string) => true): string[] {
  const byKey = new Map<string, RoomBan>(others.map((other) => [`${other.metadata.namespace}/${other.metadata.name}`, other]));
  return ridersFor(opener, vendor, spaceLeft, [`ns/${opener.metadata.name}`, ...byKey.keys()], (key) => byKey.get(key), waiting);
}

describe('room calls: the combiner key and riders', () => {
  it('the key separates namespace, provider, room type, kind, credentials version and a ban\'s seconds; Chat\'s reason, but not TRTC\'s', () => {
    const base = ban('a');
    const key = (b: RoomBan, vendor: 'tencentTRTC' | 'tencentChat' = 'tencentChat', version = 'v1', kind: 'kick' | 'ban' | 'lift' = 'kick', seconds?: number) => combineKey(b, vendor, version, kind, seconds);
    assert.equal(key(base), key(ban('b')), 'another RoomBan, other users: same call');
    for (const other of [
      ban('b', {}, { namespace: 'other' }),
      ban('b', { providerRef: { name: 'q' } }),
      ban('b', { providerRef: { kind: 'ClusterRoomProvider', name: 'p' } }),
      ban('b', { roomId: 'elsewhere' }),
      ban('b', { roomIdType: 'Numeric' }),
      ban('b', { reason: 'abuse' }),
    ]) assert.notEqual(key(base), key(other), JSON.stringify(other.spec));
    assert.equal(key(base, 'tencentTRTC'), key(ban('b', { reason: 'abuse' }), 'tencentTRTC'), 'TRTC sends no reason');
    assert.notEqual(key(base, 'tencentChat', 'v1'), key(base, 'tencentChat', 'v2'));
    assert.notEqual(key(base, 'tencentChat', 'v1', 'kick'), key(base, 'tencentChat', 'v1', 'ban', 60));
    assert.notEqual(key(base, 'tencentChat', 'v1', 'ban', 60), key(base, 'tencentChat', 'v1', 'ban', 120));
    assert.equal(key(base, 'tencentChat', 'v1', 'lift'), key(ban('b', { reason: 'abuse' }), 'tencentChat', 'v1', 'lift'), 'a lift sends no reason');
  });

  it('picks waiting kicks of the same call, first come first served, up to the room left', () => {
    const opener = ban('a');
    const others = ['b', 'c', 'd', 'e'].map((name) => ban(name));
    assert.deepEqual(pick(opener, others, 3), ['ns/b', 'ns/c', 'ns/d']);
    assert.deepEqual(pick(opener, others, 10), ['ns/b', 'ns/c', 'ns/d', 'ns/e']);
    assert.deepEqual(pick(opener, others, 10, 'tencentChat', (key) => key !== 'ns/c'), ['ns/b', 'ns/d', 'ns/e'], 'not waiting: in flight or backing off');
  });

  it('counts the users each would bring: a RoomBan that does not fit is passed over for one that does; one with nothing left is left waiting', () => {
    const opener = ban('a');
    const big = ban('big', { users: ['x1', 'x2', 'x3'] });
    const done = ban('done', {}, { status: { users: [{ userId: 'done', state: 'Removed', attempts: 1 }] } as RoomBan['status'] });
    const half = ban('half', { users: ['h1', 'h2'] }, { status: { users: [{ userId: 'h1', state: 'Removed', attempts: 1 }, { userId: 'h2', state: 'Pending', attempts: 0 }] } as RoomBan['status'] });
    assert.deepEqual(pick(opener, [big, done, half, ban('small')], 2), ['ns/half', 'ns/small']);
  });

  it('never picks what would not share the call: another reason (Chat), room, namespace or provider, a ban, a deletion, a paused RoomBan', () => {
    const opener = ban('a');
    const strangers = [
      ban('reason', { reason: 'abuse' }),
      ban('room', { roomId: 'elsewhere' }),
      ban('type', { roomIdType: 'Numeric' }),
      ban('provider', { providerRef: { name: 'q' } }),
      ban('duration', { duration: '1h' }),
      ban('deleting', {}, { deleting: true }),
      ban('paused', {}, { paused: true }),
      ban('tenant', {}, { namespace: 'other' }),
    ];
    const byKey = new Map<string, RoomBan>(strangers.map((other) => [`${other.metadata.namespace}/${other.metadata.name}`, other]));
    assert.deepEqual(ridersFor(opener, 'tencentChat', 20, byKey.keys(), (key) => byKey.get(key), () => true), []);
    assert.deepEqual(ridersFor(opener, 'tencentTRTC', 20, ['ns/reason'], (key) => byKey.get(key), () => true), ['ns/reason'], 'TRTC sends no reason');
  });
});
