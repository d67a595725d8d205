// src/api/types.ts and the CRD schemas in crds/ must describe the same API. The samples in
// samples.ts populate every field of every type (tsc enforces that), so:
// - every field of a sample must exist in the schema, with the same JSON type;
// - every field of the schema must appear in a sample;
// - each schema object's `required` list must be the TS type's non-optional fields;
// - each schema enum must be the TS union's members.
// Adding a field, an enum value or a requirement on one side without the other fails here.

import assert from 'node:assert/strict';
import { API_VERSION, GROUP, VERSION } from '../../src/api/types.ts';
import { type Crd, type CrdFile, loadCrd, type Schema, schemaAt, schemaOf, walkSchema } from './crd-files.ts';
import {
  clusterProviderSpecAllMembers,
  CONDITION_STATUSES,
  PROVIDER_KINDS,
  providerSpecAllMembers,
  providerStatus,
  REQUIRED,
  ROOM_ID_TYPES,
  DELETION_POLICIES,
  roomBan,
  SELECTOR_OPERATORS,
  USER_STATES,
} from './samples.ts';

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || type === 'object') return type;
  throw new Error(`not a JSON value: ${type}`);
}

/**
 * Every path of a sample value with the JSON types seen there ("[]" for array elements). `isMap`
 * says which paths the schema declares as maps (additionalProperties): their keys are data, so
 * their values are found at "<path>.*".
 */
function samplePaths(value: unknown, path: string, isMap: (path: string) => boolean, out = new Map<string, Set<JsonType>>()): Map<string, Set<JsonType>> {
  const types = out.get(path) ?? new Set<JsonType>();
  types.add(jsonType(value));
  out.set(path, types);
  if (Array.isArray(value)) {
    for (const item of value) samplePaths(item, `${path}[]`, isMap, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) samplePaths(child, isMap(path) ? `${path}.*` : `${path}.${key}`, isMap, out);
  }
  return out;
}

function schemaPaths(root: Schema, under: string): Map<string, Schema> {
  return new Map([...walkSchema(schemaAt(root, under), under)]);
}

function assertSameFields(root: Schema, under: string, sample: unknown): void {
  const fromSchema = schemaPaths(root, under);
  const fromSample = samplePaths(sample, under, (path) => fromSchema.get(path)?.additionalProperties !== undefined);
  const notInSchema = [...fromSample.keys()].filter((path) => !fromSchema.has(path));
  assert.deepEqual(notInSchema, [], `fields in src/api/types.ts but not in the CRD schema`);
  const notInTypes = [...fromSchema.keys()].filter((path) => !fromSample.has(path));
  assert.deepEqual(notInTypes, [], `fields in the CRD schema but not in src/api/types.ts (or not in test/api/samples.ts)`);
  for (const [path, types] of fromSample) {
    const declared = fromSchema.get(path)?.type;
    for (const type of types) {
      const fits = declared === type || (declared === 'number' && type === 'integer');
      assert.ok(fits, `${path}: the sample holds a ${type}, the schema says ${declared}`);
    }
  }
}

function assertRequired(crd: Crd, expected: Readonly<Record<string, readonly string[]>>): void {
  const root = schemaOf(crd);
  const objects = [...walkSchema(root)].filter(([path, node]) => node.type === 'object' && path !== '.metadata');
  assert.deepEqual(objects.map(([path]) => path).sort(), Object.keys(expected).sort(), 'object types covered');
  for (const [path, node] of objects) {
    // The API server supplies apiVersion, kind and metadata; a CRD may only require spec at the root.
    const implicit = path === '' ? ['apiVersion', 'kind', 'metadata'] : [];
    const required = [...(node.required ?? []), ...implicit].sort();
    assert.deepEqual(required, expected[path], `${crd.spec.names.kind}${path}: schema required vs non-optional TS fields`);
  }
}

function enumOf(root: Schema, path: string): string[] {
  const values = schemaAt(root, path).enum;
  assert.ok(values, `${path} has an enum`);
  return values.map(String).sort();
}

const CRDS: Record<CrdFile, { kind: string; scope: string; shortNames: string[] }> = {
  roombans: { kind: 'RoomBan', scope: 'Namespaced', shortNames: ['rb'] },
  roomproviders: { kind: 'RoomProvider', scope: 'Namespaced', shortNames: ['rp'] },
  clusterroomproviders: { kind: 'ClusterRoomProvider', scope: 'Cluster', shortNames: ['crp'] },
};

describe('CRDs and src/api/types.ts', () => {
  for (const [plural, expected] of Object.entries(CRDS) as [CrdFile, (typeof CRDS)[CrdFile]][]) {
    describe(`${plural}.${GROUP}`, () => {
      const crd = loadCrd(plural);

      it(`serves and stores only ${VERSION}, with the status subresource, names and category`, () => {
        assert.equal(crd.apiVersion, 'apiextensions.k8s.io/v1');
        assert.equal(crd.metadata.name, `${plural}.${GROUP}`);
        assert.equal(crd.spec.group, GROUP);
        assert.equal(crd.spec.scope, expected.scope);
        assert.equal(crd.spec.names.kind, expected.kind);
        assert.equal(crd.spec.names.plural, plural);
        assert.deepEqual(crd.spec.names.shortNames, expected.shortNames);
        assert.deepEqual(crd.spec.names.categories, ['moderation']);
        assert.equal(crd.spec.versions.length, 1);
        const [version] = crd.spec.versions;
        assert.equal(`${GROUP}/${version?.name}`, API_VERSION);
        assert.equal(version?.served, true);
        assert.equal(version?.storage, true);
        assert.deepEqual(version?.subresources, { status: {} });
      });

      it('describes every field (kubectl explain teaches the API)', () => {
        const missing = [...walkSchema(schemaOf(crd))]
          .filter(([path, node]) => path !== '.metadata' && !node.description?.trim())
          .map(([path]) => path || '<root>');
        assert.deepEqual(missing, []);
      });

      it('bounds every string and list (CEL cost, object size)', () => {
        const unbounded = [...walkSchema(schemaOf(crd))]
          .filter(([path]) => path !== '' && path !== '.apiVersion' && path !== '.kind')
          .filter(([, node]) =>
            (node.type === 'string' && node.maxLength === undefined && !node.enum && node.format !== 'date-time') ||
            (node.type === 'array' && node.maxItems === undefined))
          .map(([path]) => path);
        assert.deepEqual(unbounded, []);
      });

      it('names only schema fields in its printer columns and selectable fields', () => {
        const root = schemaOf(crd);
        const [version] = crd.spec.versions;
        const paths = [
          ...(version?.additionalPrinterColumns ?? []).map((column) => column.jsonPath),
          ...(version?.selectableFields ?? []).map((field) => field.jsonPath),
        ];
        for (const jsonPath of paths) {
          if (jsonPath === '.metadata.creationTimestamp') continue;
          for (const path of schemaPathsOfJsonPath(jsonPath)) assert.doesNotThrow(() => schemaAt(root, path), jsonPath);
        }
      });
    });
  }

  describe('RoomBan', () => {
    const root = schemaOf(loadCrd('roombans'));

    it('has exactly the fields of RoomBanSpec and RoomBanStatus, with the same JSON types', () => {
      assertSameFields(root, '.spec', roomBan.spec);
      assertSameFields(root, '.status', roomBan.status);
      assert.deepEqual(Object.keys(root.properties ?? {}).sort(), Object.keys(roomBan).sort());
    });

    it('requires exactly the non-optional fields of each type', () => {
      assertRequired(loadCrd('roombans'), REQUIRED.roomBan);
    });

    it('enumerates exactly the TS unions', () => {
      assert.deepEqual(enumOf(root, '.spec.providerRef.kind'), PROVIDER_KINDS);
      assert.deepEqual(enumOf(root, '.spec.roomIdType'), ROOM_ID_TYPES);
      assert.deepEqual(enumOf(root, '.spec.deletionPolicy'), DELETION_POLICIES);
      assert.deepEqual(enumOf(root, '.status.target.providerKind'), PROVIDER_KINDS);
      assert.deepEqual(enumOf(root, '.status.target.roomIdType'), ROOM_ID_TYPES);
      assert.deepEqual(enumOf(root, '.status.users[].state'), USER_STATES);
      assert.deepEqual(enumOf(root, '.status.conditions[].status'), CONDITION_STATUSES);
    });

    it('defaults what types.ts documents as defaulted', () => {
      assert.equal(schemaAt(root, '.spec.providerRef.kind').default, 'RoomProvider');
      assert.equal(schemaAt(root, '.spec.roomIdType').default, 'String');
    });
  });

  for (const plural of ['roomproviders', 'clusterroomproviders'] as const) {
    describe(CRDS[plural].kind, () => {
      const crd = loadCrd(plural);
      const root = schemaOf(crd);

      it('has exactly the fields of RoomProviderSpec and RoomProviderStatus, with the same JSON types', () => {
        assertSameFields(root, '.spec', plural === 'clusterroomproviders' ? clusterProviderSpecAllMembers : providerSpecAllMembers);
        assertSameFields(root, '.status', providerStatus);
      });

      it('requires exactly the non-optional fields of each type', () => {
        const expected: Record<string, readonly string[]> = { ...REQUIRED.provider };
        // The one deliberate difference: a ClusterRoomProvider has no namespace to default to.
        if (plural === 'clusterroomproviders') {
          expected['.spec.credentialsSecretRef'] = ['name', 'namespace'];
          Object.assign(expected, REQUIRED.clusterProviderOnly);
        }
        assertRequired(crd, expected);
      });

      it('enumerates exactly the TS unions', () => {
        assert.deepEqual(enumOf(root, '.status.conditions[].status'), CONDITION_STATUSES);
        if (plural === 'clusterroomproviders') {
          assert.deepEqual(enumOf(root, '.spec.namespaceSelector.matchExpressions[].operator'), SELECTOR_OPERATORS);
        }
      });
    });
  }

  it('gives ClusterRoomProvider the RoomProvider spec, except where its Secret namespace comes from and its namespaceSelector', () => {
    const namespaced = structuredClone(schemaAt(schemaOf(loadCrd('roomproviders')), '.spec'));
    const cluster = structuredClone(schemaAt(schemaOf(loadCrd('clusterroomproviders')), '.spec'));
    assert.equal(namespaced.properties?.namespaceSelector, undefined, 'a RoomProvider serves only its own namespace');
    assert.ok(cluster.properties?.namespaceSelector);
    delete cluster.properties.namespaceSelector;
    for (const spec of [namespaced, cluster]) {
      const ref = spec.properties?.credentialsSecretRef;
      assert.ok(ref?.properties?.namespace);
      delete ref.description;
      delete ref.required;
      delete ref['x-kubernetes-validations'];
      delete ref.properties.namespace.description;
    }
    assert.deepEqual(cluster, namespaced);
  });

  it('keeps the status of a RoomBan and its bounds in step (500 users, one entry each, plus as many being lifted)', () => {
    const maxUsers = schemaAt(root(), '.spec.users').maxItems;
    assert.equal(maxUsers, 500);
    // A ban's dropped users stay (Lifting) until their lift is recorded: 500 in spec + 500 leaving.
    assert.equal(schemaAt(root(), '.status.users').maxItems, 2 * maxUsers);
    assert.equal(schemaAt(root(), '.status.users[].userId').maxLength, schemaAt(root(), '.spec.users[]').maxLength);
    assert.equal(schemaAt(root(), '.status.target.roomId').maxLength, schemaAt(root(), '.spec.roomId').maxLength);
    function root(): Schema {
      return schemaOf(loadCrd('roombans'));
    }
  });
});

/**
 * The schema paths a printer-column JSONPath reads: ".status.conditions[?(@.type=="Ready")].status"
 * reads .status.conditions[].status (and .type); ".spec['a.b','c.d']" reads .spec.a.b and .spec.c.d.
 */
function schemaPathsOfJsonPath(jsonPath: string): string[] {
  const union = /^(.*)\[((?:'[^']+',?)+)\]$/.exec(jsonPath);
  if (union?.[1] !== undefined && union[2] !== undefined) {
    const prefix = union[1];
    return [...union[2].matchAll(/'([^']+)'/g)].map((member) => `${prefix}.${member[1]}`);
  }
  const filter = /\[\?\(@\.([A-Za-z]+)==[^)]*\)\]/.exec(jsonPath);
  if (filter) {
    const list = jsonPath.slice(0, filter.index);
    return [jsonPath.replace(filter[0], '[]'), `${list}[].${filter[1]}`];
  }
  return [jsonPath];
}
