// Rendering charts/roomban-operator and reading manifests, for the packaging tests. Rendering
// needs only the helm binary, so these helpers do not start the control plane.

import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { kubeTools, PROJECT_ROOT } from '../../src/devcluster/binaries.ts';
import { type CommandResult, runCommand } from '../../support/run-command.ts';

export const CHART_DIR = join(PROJECT_ROOT, 'charts', 'roomban-operator');
export const KUSTOMIZE_DIR = join(PROJECT_ROOT, 'operator');
export const FIXTURES_DIR = join(PROJECT_ROOT, 'test', 'packaging', 'fixtures');

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Values as JSON, one `--set-json key=<json>` per entry. */
  values?: Record<string, unknown>;
  valuesFiles?: string[];
  /** Also render crds/ (`--include-crds`). */
  includeCrds?: boolean;
}

/** Runs the harness's helm binary without a kubeconfig (rendering and linting only). */
export function helm(args: string[]): Promise<CommandResult> {
  return runCommand(kubeTools().helm, args);
}

export function helmTemplateArgs(options: RenderOptions = {}): string[] {
  const args = ['template', options.release ?? 'roomban-operator', CHART_DIR, '--namespace', options.namespace ?? 'roomban-system'];
  if (options.includeCrds) args.push('--include-crds');
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const [key, value] of Object.entries(options.values ?? {})) args.push('--set-json', `${key}=${JSON.stringify(value)}`);
  return args;
}

/** `helm template` the chart; throws with helm's message when it refuses. */
export async function renderChart(options: RenderOptions = {}): Promise<Manifest[]> {
  const result = await helm(helmTemplateArgs(options));
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseManifests(result.stdout);
}

export function parseManifests(text: string): Manifest[] {
  const manifests: Manifest[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isManifest(value)) throw new Error(`not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    manifests.push(value);
  }
  return manifests;
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  return typeof candidate.apiVersion === 'string' && typeof candidate.kind === 'string' && typeof candidate.metadata?.name === 'string';
}

export function toYamlStream(manifests: Manifest[]): string {
  return manifests.map((manifest) => stringify(manifest)).join('---\n');
}

export function findManifest(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

export function kinds(manifests: Manifest[]): string[] {
  return manifests.map((m) => m.kind).sort();
}

// ------------------------------------------------------------------ Deployment accessors

export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  securityContext?: Record<string, unknown>;
  resources?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  serviceAccountName?: string;
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  containers: Container[];
  volumes?: { name: string; emptyDir?: Record<string, unknown> }[];
  [field: string]: unknown;
}

export interface DeploymentSpec {
  replicas: number;
  strategy?: { type: string };
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
}

export function deploymentSpec(manifests: Manifest[]): DeploymentSpec {
  return findManifest(manifests, 'Deployment').spec as DeploymentSpec;
}

export function operatorContainer(manifests: Manifest[]): Container {
  const container = deploymentSpec(manifests).template.spec.containers.find((c) => c.name === 'operator');
  if (!container) throw new Error('the Deployment has no container named operator');
  return container;
}

export function operatorArgs(manifests: Manifest[]): string[] {
  return operatorContainer(manifests).args ?? [];
}

export function rules(manifest: Manifest): PolicyRule[] {
  return (manifest as unknown as { rules: PolicyRule[] }).rules;
}
