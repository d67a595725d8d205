import assert from 'node:assert/strict';
import { ClientCache } from '../../src/controller/client-cache.ts';
import type { ProviderResolution } from '../../src/controller/providers.ts';
import type { VendorClient } from '../../src/vendors/index.ts';

type Resolved = Extract<ProviderResolution, { kind: 'ok' }>;

function resolution(providerKey: string, inputsVersion: string): Resolved {
  return { providerKey, inputsVersion } as Resolved;
}

describe('ClientCache', () => {
  it('builds one client per provider and credentials version, and drops evicted ones', () => {
    const built: string[] = [];
    const sizes: number[] = [];
    const cache = new ClientCache((r) => {
      built.push(`${r.providerKey}@${r.inputsVersion}`);
      return { vendor: 'tencentTRTC' } as VendorClient;
    }, (size) => sizes.push(size));
    const a1 = cache.get(resolution('RoomProvider/ns/a', '1'));
    assert.equal(cache.get(resolution('RoomProvider/ns/a', '1')), a1, 'reused');
    cache.get(resolution('RoomProvider/ns/a', '2'));
    cache.get(resolution('ClusterRoomProvider/b', '1'));
    assert.equal(cache.size, 2);
    cache.evict(['RoomProvider/ns/a']);
    assert.equal(cache.size, 1);
    cache.evict(['ClusterRoomProvider/b', 'RoomProvider/never']);
    assert.equal(cache.size, 0);
    assert.deepEqual(built, ['RoomProvider/ns/a@1', 'RoomProvider/ns/a@2', 'ClusterRoomProvider/b@1']);
    assert.deepEqual(sizes, [1, 1, 2, 1, 0]);
  });
});
