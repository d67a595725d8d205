// The CustomResourceDefinitions in crds/, parsed, with just enough typing to walk their schemas.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const CRD_DIR = fileURLToPath(new URL('../../crds/', import.meta.url));

export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
}

export interface Schema {
  type?: string;
  description?: string;
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  /** The schema of every value of a map (e.g. a label selector's matchLabels). */
  additionalProperties?: Schema;
  maxProperties?: number;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  subresources?: { status?: object };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: { jsonPath: string }[];
  schema: { openAPIV3Schema: Schema };
}

export interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    versions: CrdVersion[];
  };
}

export type CrdFile = 'roombans' | 'roomproviders' | 'clusterroomproviders';

export function loadCrd(plural: CrdFile): Crd {
  return parse(readFileSync(`${CRD_DIR}roomban.io_${plural}.yaml`, 'utf8')) as Crd;
}

/** The one served version's schema root (the drift test proves there is exactly one). */
export function schemaOf(crd: Crd): Schema {
  const version = crd.spec.versions[0];
  if (!version) throw new Error(`${crd.metadata.name} has no versions`);
  return version.schema.openAPIV3Schema;
}

/** The schema at a path like ".spec.users[]" or ".status.conditions[].type"; ".*" is a map's values. */
export function schemaAt(root: Schema, path: string): Schema {
  let node = root;
  for (const step of path.match(/\.[^.[]+|\[\]/g) ?? []) {
    const next = step === '[]' ? node.items : step === '.*' ? node.additionalProperties : node.properties?.[step.slice(1)];
    if (!next) throw new Error(`no schema at ${path} (stopped at ${step})`);
    node = next;
  }
  return node;
}

/** Every node of a schema with its path, depth first; array items are "<path>[]", map values "<path>.*". */
export function* walkSchema(node: Schema, path = ''): Generator<[string, Schema]> {
  yield [path, node];
  for (const [key, child] of Object.entries(node.properties ?? {})) yield* walkSchema(child, `${path}.${key}`);
  if (node.items) yield* walkSchema(node.items, `${path}[]`);
  if (node.additionalProperties) yield* walkSchema(node.additionalProperties, `${path}.*`);
}
