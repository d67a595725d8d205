// The CRDs install on a real API server, and every manifest in examples/ is accepted as written.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { GROUP, VERSION } from '../../src/api/types.ts';
import type { RoomBan, RoomProvider } from '../../src/api/types.ts';
import { CRD_DIR } from '../api/crd-files.ts';
import { freshNamespace, installCrds, type TestCluster, testCluster } from '../harness/cluster.ts';
import { copy, pluralOf, withDefaults } from './support.ts';

const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));
const CRD_NAMES = ['roombans', 'roomproviders', 'clusterroomproviders'].map((plural) => `${plural}.${GROUP}`);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  stringData?: Record<string, string>;
  spec?: RoomBan['spec'] | RoomProvider['spec'];
}

function examples(): { file: string; manifests: Manifest[] }[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const documents = parseAllDocuments(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
      const array = Array.isArray(documents) ? documents : [documents];
      return { file, manifests: array.map((document) => document.toJS() as Manifest).filter((m) => m !== null) };
    });
}

describe('CRD installation', function () {
  this.timeout(180_000);
  let c: TestCluster;

  before(async () => {
    c = await testCluster();
    await installCrds(c);
  });

  it('installs the three CRDs, Established with their names accepted', async () => {
    const api = c.admin.makeApiClient(ApiextensionsV1Api);
    for (const name of CRD_NAMES) {
      const crd = await api.readCustomResourceDefinition({ name });
      const conditions = new Map((crd.status?.conditions ?? []).map((condition) => [condition.type, condition.status]));
      assert.equal(conditions.get('Established'), 'True', name);
      assert.equal(conditions.get('NamesAccepted'), 'True', name);
      assert.deepEqual(crd.status?.storedVersions, [VERSION], name);
    }
  });

  it('applies again cleanly, without warnings (schema, CEL cost and formats all accepted)', async () => {
    const apply = await c.kubectl(['apply', '--server-side', '--dry-run=server', '-f', CRD_DIR]);
    assert.equal(apply.code, 0, apply.stderr);
    assert.equal(apply.stderr.trim(), '', 'no warnings');
    assert.equal(apply.stdout.trim().split('\n').length, 3);
  });
});

describe('examples/', function () {
  this.timeout(180_000);
  let c: TestCluster;

  before(async () => {
    c = await testCluster();
    await installCrds(c);
  });

  it('has, for each vendor, a Secret template, a RoomProvider and a RoomBan, and a ClusterRoomProvider', () => {
    const all = examples().flatMap(({ manifests }) => manifests);
    for (const vendor of ['tencentTRTC', 'tencentChat', 'volcengineRTC']) {
      const provider = all.find((m) => m.kind === 'RoomProvider' && m.spec !== undefined && vendor in m.spec);
      assert.ok(provider, `a RoomProvider for ${vendor}`);
      const secretName = (provider.spec as RoomProvider['spec']).credentialsSecretRef.name;
      assert.ok(all.some((m) => m.kind === 'Secret' && m.metadata.name === secretName), `its Secret ${secretName}`);
      assert.ok(all.some((m) => m.kind === 'RoomBan' && (m.spec as RoomBan['spec']).providerRef.name === provider.metadata.name), `a RoomBan using it`);
    }
    assert.ok(all.some((m) => m.kind === 'ClusterRoomProvider'), 'a ClusterRoomProvider');
  });

  it('holds no credentials: every Secret value is a REPLACE_ME placeholder', () => {
    const secrets = examples().flatMap(({ manifests }) => manifests).filter((m) => m.kind === 'Secret');
    assert.ok(secrets.length >= 4);
    for (const secret of secrets) {
      assert.ok(Object.keys(secret.stringData ?? {}).length > 0, secret.metadata.name);
      for (const [key, value] of Object.entries(secret.stringData ?? {})) assert.equal(value, 'REPLACE_ME', `${secret.metadata.name}.${key}`);
    }
  });

  it('points at the real vendors: no example sets an endpoint', () => {
    for (const { file } of examples()) assert.doesNotMatch(readFileSync(join(EXAMPLES_DIR, file), 'utf8'), /^\s*endpoint:/m, file);
  });

  for (const { file, manifests } of examples()) {
    it(`creates everything in ${file} with strict field validation, and stores it as written`, async () => {
      const ns = await freshNamespace(c, 'example');
      // Cluster-scoped names and the Secret's fixed namespace are made unique to this test.
      const renamed = new Map<string, string>();
      let secretNamespace: string | undefined;
      const documents = copy(manifests).map((manifest) => {
        if (manifest.metadata.namespace !== undefined) {
          secretNamespace ??= manifest.metadata.namespace;
          assert.equal(manifest.metadata.namespace, secretNamespace, 'one fixed namespace per file');
          manifest.metadata.namespace = `${ns}-secrets`;
        }
        if (manifest.kind === 'ClusterRoomProvider') {
          renamed.set(manifest.metadata.name, `${manifest.metadata.name}-${ns}`);
          manifest.metadata.name = `${manifest.metadata.name}-${ns}`;
          const ref = (manifest.spec as RoomProvider['spec']).credentialsSecretRef;
          assert.equal(ref.namespace, secretNamespace, 'the ClusterRoomProvider names its Secret namespace');
          ref.namespace = `${ns}-secrets`;
        }
        return manifest;
      });
      for (const manifest of documents) {
        const ref = manifest.kind === 'RoomBan' ? (manifest.spec as RoomBan['spec']).providerRef : undefined;
        if (ref?.kind === 'ClusterRoomProvider') ref.name = renamed.get(ref.name) ?? assert.fail(`no ClusterRoomProvider ${ref.name} in ${file}`);
      }
      if (secretNamespace !== undefined) {
        await c.admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: `${ns}-secrets` } } });
      }

      // As a user would: `kubectl create -f` for manifests that name their namespace, and
      // `kubectl -n <namespace> create -f` for the rest (kubectl refuses to mix the two).
      const pinned = documents.filter((document) => document.metadata.namespace !== undefined);
      const floating = documents.filter((document) => document.metadata.namespace === undefined);
      for (const [batch, namespaceArgs] of [[pinned, []], [floating, ['-n', ns]]] as const) {
        if (batch.length === 0) continue;
        const input = batch.map((document) => stringify(document)).join('---\n');
        const created = await c.kubectl(['create', '--validate=strict', ...namespaceArgs, '-f', '-'], { input });
        assert.equal(created.code, 0, created.stderr);
        assert.equal(created.stderr.trim(), '', 'no warnings');
        assert.equal(created.stdout.trim().split('\n').length, batch.length, created.stdout);
      }

      const api = c.admin.makeApiClient(CustomObjectsApi);
      for (const manifest of documents.filter((m) => m.apiVersion === `${GROUP}/${VERSION}`)) {
        const object = manifest as unknown as RoomBan | RoomProvider;
        const common = { group: GROUP, version: VERSION, plural: pluralOf(object), name: manifest.metadata.name };
        const stored = (object.kind === 'ClusterRoomProvider'
          ? await api.getClusterCustomObject(common)
          : await api.getNamespacedCustomObject({ ...common, namespace: ns })) as RoomBan | RoomProvider;
        assert.deepEqual(stored.spec, withDefaults(object).spec, `${manifest.kind}/${manifest.metadata.name}`);
      }
    });
  }
});
