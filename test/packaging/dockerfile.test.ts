// operator/Dockerfile, read statically: there is no Docker engine on the test machines, so these
// checks guard what review by eye might miss (pinned Node 24 base, non-root user, an entrypoint
// that matches the package's bin, build inputs the ignore file lets through).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';

const DOCKERFILE = readFileSync(join(PROJECT_ROOT, 'operator', 'Dockerfile'), 'utf8');
const IGNORE = readFileSync(join(PROJECT_ROOT, 'operator', 'Dockerfile.dockerignore'), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions per stage (index 0 is what precedes the first FROM), with continuation lines joined. */
function stages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const result: Instruction[][] = [[]];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const instruction = { keyword: match[1]!, args: match[2]!.trim() };
    if (instruction.keyword === 'FROM') result.push([]);
    result[result.length - 1]!.push(instruction);
  }
  return result;
}

function args(stage: Instruction[], keyword: string): string[] {
  return stage.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** Docker's .dockerignore rule: the last matching pattern wins; a match on a parent directory counts. */
function admitted(path: string): boolean {
  let included = true;
  for (const raw of IGNORE.split('\n').map((l) => l.trim())) {
    if (!raw || raw.startsWith('#')) continue;
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/\/$/, '');
    const regex = new RegExp(`^${pattern.split('**').map((part) => part.split('*').map(escapeRegex).join('[^/]*')).join('.*')}$`);
    const parts = path.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    if (candidates.some((candidate) => regex.test(candidate))) included = negated;
  }
  return included;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

describe('operator/Dockerfile', () => {
  const all = stages(DOCKERFILE);
  const [preamble = [], build = [], deps = [], runtime = []] = all;
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };

  it('has three stages (build, deps, runtime) on one pinned Node 24 image, the version scripts/node24 uses', () => {
    assert.equal(all.length, 4, 'preamble + three stages');
    const image = /^NODE_IMAGE=(\S+)$/.exec(args(preamble, 'ARG')[0] ?? '')?.[1] ?? '';
    const nodeVersion = /^NODE_VERSION=(\S+)$/m.exec(readFileSync(join(PROJECT_ROOT, 'scripts', 'node24'), 'utf8'))?.[1];
    assert.equal(image, `node:${nodeVersion}-bookworm-slim`);
    assert.match(image, /^node:24\.\d+\.\d+-/, 'pinned to a full Node 24 version, not a floating tag');
    for (const stage of [build, deps, runtime]) assert.match(args(stage, 'FROM')[0] ?? '', /^\$\{NODE_IMAGE\}/);
  });

  it('builds with npm ci and the same tsc command as `npm run build`', () => {
    assert.ok(args(build, 'RUN').some((r) => /^npm ci\b/.test(r) && !r.includes('--omit')));
    const tsc = 'tsc -p tsconfig.build.json';
    assert.ok(pkg.scripts.build?.endsWith(tsc), `package.json's build script is "${pkg.scripts.build}"; update the Dockerfile's build step to match`);
    assert.ok(args(build, 'RUN').includes(`npx ${tsc}`));
  });

  it('ships production dependencies only, dist/ and crds/', () => {
    assert.ok(args(deps, 'RUN').some((r) => /^npm ci --omit=dev\b/.test(r)));
    const copies = args(runtime, 'COPY');
    assert.ok(copies.includes('--from=deps /app/node_modules/ node_modules/'));
    assert.ok(copies.includes('--from=build /app/dist/ dist/'));
    assert.ok(copies.includes('crds/ crds/'));
    assert.deepEqual(args(runtime, 'RUN'), [], 'the runtime stage runs nothing: no root-owned leftovers, nothing to write');
  });

  it('runs as 65532 with HOME and TMPDIR on /tmp, entrypoint node dist/cli/main.js, command operator', () => {
    assert.deepEqual(args(runtime, 'USER'), ['65532:65532']);
    const env = args(runtime, 'ENV').join(' ');
    assert.match(env, /\bHOME=\/tmp\b/);
    assert.match(env, /\bTMPDIR=\/tmp\b/);
    assert.deepEqual(args(runtime, 'ENTRYPOINT'), ['["node", "dist/cli/main.js"]']);
    assert.deepEqual(args(runtime, 'CMD'), ['["operator"]']);
    assert.equal(pkg.bin.roomban, 'dist/cli/main.js', 'the entrypoint is the package bin');
  });

  it('lets every build input through Dockerfile.dockerignore, and keeps the rest of the repository out', () => {
    const sources = all.flatMap((stage) => args(stage, 'COPY'))
      .filter((a) => !a.startsWith('--from'))
      .flatMap((a) => a.split(/\s+/).slice(0, -1));
    assert.ok(sources.length >= 5);
    for (const source of sources) assert.ok(admitted(source.replace(/\/$/, '')), `${source} is excluded from the build context`);
    for (const path of ['src/cli/main.ts', 'crds/roomban.io_roombans.yaml', 'package-lock.json']) assert.ok(admitted(path), path);
    for (const path of ['node_modules/yaml/package.json', 'test/unit/typecheck.test.ts', 'support/fixtures.ts', 'bench/operator-bench.ts', 'charts/roomban-operator/values.yaml', '.git/HEAD', 'dist/cli/main.js', 'src/reconcile/plan.test.ts']) {
      assert.ok(!admitted(path), `${path} should not be in the build context`);
    }
  });
});
