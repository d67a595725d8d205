// Where the ecosystem tiers' programs live: Flux's controllers and Argo CD's, built by
// tools/flux/build.sh and tools/argocd/build.sh into the cache outside the clone, keyed by the
// version their wrapper go.mod requires; git and redis-server from Debian (scripts/setup.sh).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, PROJECT_ROOT } from '../../src/devcluster/binaries.ts';

/** The version of `module` that tools/<dir>/go.mod requires. */
export function requiredVersion(dir: string, module: string): string {
  const goMod = readFileSync(join(PROJECT_ROOT, 'tools', dir, 'go.mod'), 'utf8');
  const match = new RegExp(`^\\s*(?:require\\s+)?${module.replaceAll('.', '\\.')} (v\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) throw new Error(`tools/${dir}/go.mod does not require ${module}`);
  return match[1];
}

function required(path: string, builtBy: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup.sh (${builtBy})`);
  return path;
}

export interface FluxController {
  version: string;
  binary: string;
  crdDir: string;
}

export function fluxController(name: 'source-controller' | 'kustomize-controller'): FluxController {
  const version = requiredVersion(`flux/${name}`, `github.com/fluxcd/${name}`);
  const dir = join(cacheRoot(), 'flux', name, version);
  return { version, binary: required(join(dir, name), 'tools/flux/build.sh'), crdDir: join(dir, 'crds') };
}

export interface ArgoCd {
  version: string;
  /** Holds argocd-application-controller, argocd-repo-server, argocd-health and git-verify-wrapper.sh. */
  binDir: string;
  crdDir: string;
}

export function argoCd(): ArgoCd {
  const version = requiredVersion('argocd', 'github.com/argoproj/argo-cd/v3');
  const dir = join(cacheRoot(), 'argocd', version);
  required(join(dir, 'argocd'), 'tools/argocd/build.sh');
  return { version, binDir: dir, crdDir: join(dir, 'crds') };
}

/** A program from the system's packages (Debian's git, redis-server), by absolute path. */
export function systemProgram(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not on PATH: run scripts/setup.sh (installs it from Debian)`);
}
