import assert from 'node:assert/strict';
import type { RoomBan } from '../../src/api/types.ts';
import { BanStore } from '../../src/controller/ban-store.ts';

function ban(rv: string, users = ['a']): RoomBan {
  return { apiVersion: 'roomban.io/v1alpha1', kind: 'RoomBan', metadata: { name: 'b', namespace: 'n', resourceVersion: rv }, spec: { providerRef: { name: 'p' }, roomId: 'r', users } };
}

describe('BanStore (read-your-writes over the informer cache)', () => {
  it('prefers our write until the watch delivers it, then follows the cache', () => {
    let cached = ban('1');
    const store = new BanStore(() => cached);
    store.wrote(ban('2'));
    assert.equal(store.get('n/b')?.metadata.resourceVersion, '2', 'cache is older than our write');
    cached = ban('2');
    store.observed(cached, false);
    cached = ban('3', ['a', 'c']);
    store.observed(cached, false);
    assert.equal(store.get('n/b')?.metadata.resourceVersion, '3', 'a later change is seen');
  });

  it('a write whose watch event arrived before its response does not pin a stale version', () => {
    let cached = ban('2');
    const store = new BanStore(() => cached);
    store.observed(cached, false);
    cached = ban('3', ['a', 'c']);
    store.observed(cached, false);
    store.wrote(ban('2'));
    assert.equal(store.get('n/b')?.metadata.resourceVersion, '3');
  });

  it('forgets a deleted ban and a relist clears overlays', () => {
    let cached: RoomBan | undefined = ban('1');
    const store = new BanStore(() => cached);
    store.wrote(ban('2'));
    store.clear();
    assert.equal(store.get('n/b')?.metadata.resourceVersion, '1');
    store.wrote(ban('4'));
    cached = undefined;
    assert.equal(store.get('n/b'), undefined);
  });
});
