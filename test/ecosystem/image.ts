// The operator image for the image tier: operator/Dockerfile built by scripts/build-image.sh
// (buildah, a local stand-in for the Node base), once per test run, tagged by a hash of every build
// input so an unchanged tree reuses the image of an earlier run. Containers run with podman + runc
// (scripts/containers.conf says why not crun) and are removed after the run, also on failure.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';
import { type CommandResult, runCommand } from '../../support/run-command.ts';

export const CONTAINERS_CONF = join(PROJECT_ROOT, 'scripts', 'containers.conf');
const ENV = { CONTAINERS_CONF };

/** What the Dockerfile reads from the build context. */
const INPUTS = ['operator/Dockerfile', 'operator/Dockerfile.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'crds', 'scripts/build-image.sh', 'scripts/node24'];

function files(path: string): string[] {
  const full = join(PROJECT_ROOT, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).sort().flatMap((entry) => files(relative(PROJECT_ROOT, join(full, entry))));
}

export function imageTag(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(file).update('\0').update(readFileSync(join(PROJECT_ROOT, file))).update('\0');
  return `localhost/roomban-operator:test-${hash.digest('hex').slice(0, 12)}`;
}

export function podman(args: string[], input?: string): Promise<CommandResult> {
  return runCommand('podman', args, { env: ENV, ...(input === undefined ? {} : { input }) });
}

/** Why this machine cannot build or run the image, or undefined when it can. */
export function cannotRunContainers(): string | undefined {
  for (const tool of ['podman', 'buildah', 'runc', 'mmdebstrap']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed: run scripts/setup.sh (Debian packages podman buildah runc mmdebstrap uidmap)`;
  }
  if (process.getuid?.() !== 0) return 'the image tier needs root: rootless podman needs subordinate UID ranges and user namespaces this sandbox does not grant';
  return undefined;
}

let built: Promise<{ image: string; built: boolean; seconds: number }> | undefined;

/** Builds the image unless this tree's image exists already; once per run. */
export function operatorImage(): Promise<{ image: string; built: boolean; seconds: number }> {
  built ??= (async () => {
    const image = imageTag();
    const started = Date.now();
    if ((await podman(['image', 'exists', image])).code === 0) return { image, built: false, seconds: 0 };
    const result = await runCommand(join(PROJECT_ROOT, 'scripts', 'build-image.sh'), [image], { env: ENV });
    if (result.code !== 0) throw new Error(`scripts/build-image.sh ${image} failed (${result.code}):\n${result.stderr.slice(-4000)}`);
    return { image, built: true, seconds: Math.round((Date.now() - started) / 1000) };
  })();
  return built;
}

const containers = new Set<string>();
process.once('exit', () => {
  for (const name of containers) spawnSync('podman', ['rm', '--force', '--time=0', name], { env: { ...process.env, ...ENV }, stdio: 'ignore' });
});

/** Remembers a container name so that it is removed at the end of the run whatever happens. */
export function trackContainer(name: string): void {
  containers.add(name);
}

export async function removeContainer(name: string): Promise<void> {
  await podman(['rm', '--force', '--time=0', name]);
  containers.delete(name);
}

/** "256Mi" → bytes. */
export function quantityBytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|K|M|G)?$/.exec(quantity);
  if (!match) throw new Error(`unsupported quantity ${quantity}`);
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}
