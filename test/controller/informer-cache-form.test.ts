import assert from 'node:assert/strict';
import { cacheForm } from '../../src/controller/informer.ts';

/** A RoomBan as the API server sends it: managedFields, and the same strings many times. */
function fromServer(name: string): Record<string, any> {
  return JSON.parse(JSON.stringify({
    apiVersion: 'roomban.io/v1alpha1', kind: 'RoomBan',
    metadata: {
      name, namespace: 'n', uid: `uid-${name}`, resourceVersion: '7', generation: 1, annotations: { a: 'b' },
      managedFields: [{ manager: 'roomban-operator', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': {} } }],
    },
    spec: { providerRef: { name: 'p' }, roomId: 'r', users: ['u1', 'u2'] },
    status: {
      inputsVersion: 'provider-uid.1/42',
      conditions: ['Ready', 'Reconciling'].map((type) => ({ type, status: 'True', reason: 'AllUsersRemoved', message: '2/2 users removed', lastTransitionTime: '2026-01-01T00:00:00Z' })),
      users: [{ userId: 'u1', state: 'Removed', requestId: 'x'.repeat(100), attempts: 1 }],
    },
  })) as Record<string, any>;
}

describe('informer cacheForm (what a cached object holds)', () => {
  it('drops managedFields and keeps everything else, equal', () => {
    const server = fromServer('a');
    const { managedFields: _m, ...metadata } = server.metadata;
    const expected = { ...structuredClone(server), metadata: structuredClone(metadata) };
    const cached = cacheForm(server);
    assert.deepEqual(cached, expected);
    assert.equal('managedFields' in cached.metadata, false);
    assert.deepEqual(cacheForm(structuredClone(cached)), expected, 'idempotent');
  });

  it('keeps the objects valid for a status write (kind, apiVersion, name, resourceVersion, spec)', () => {
    const cached = cacheForm(fromServer('b'));
    assert.equal(cached.kind, 'RoomBan');
    assert.equal(cached.metadata.resourceVersion, '7');
    assert.deepEqual(cached.spec.users, ['u1', 'u2']);
  });

  it('objects of different lists and watch events still compare equal field by field', () => {
    const one = cacheForm(fromServer('c'));
    const two = cacheForm(fromServer('d'));
    assert.equal(one.status.inputsVersion, two.status.inputsVersion);
    assert.equal(one.status.conditions[0].message, two.status.conditions[1].message);
    assert.notEqual(one.metadata.name, two.metadata.name);
  });
});
