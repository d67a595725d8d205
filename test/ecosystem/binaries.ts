// Where the ecosystem tiers' programs live: Flux's controllers and Argo CD's, built by
// tools/flux/build.sh and tools/argocd/build.sh into the cache outside the clone, keyed by the
// version their wrapper go.mod requires; git and redis-server from Debian (scripts/setup.sh).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../src/devcluster/binaries.ts';
import { cached, toolVersion } from './support.ts';

export interface FluxController {
  version: string;
  binary: string;
  crdDir: string;
}

export function fluxController(name: 'source-controller' | 'kustomize-controller'): FluxController {
  const version = toolVersion(`flux/${name}`, `github.com/fluxcd/${name}`);
  const dir = join(cacheRoot(), 'flux', name, version);
  return { version, binary: cached(join(dir, name), 'tools/flux/build.sh'), crdDir: join(dir, 'crds') };
}

export interface ArgoCd {
  version: string;
  /** Holds argocd-application-controller, argocd-repo-server, argocd-health and git-verify-wrapper.sh. */
  binDir: string;
  crdDir: string;
}

export function argoCd(): ArgoCd {
  const version = toolVersion('argocd', 'github.com/argoproj/argo-cd/v3');
  const dir = join(cacheRoot(), 'argocd', version);
  cached(join(dir, 'argocd'), 'tools/argocd/build.sh');
  return { version, binDir: dir, crdDir: join(dir, 'crds') };
}

/** A program from the system's packages (Debian's git, redis-server), by absolute path. */
export function systemProgram(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not on PATH: run scripts/setup.sh (installs it from Debian)`);
}
