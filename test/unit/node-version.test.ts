// `roomban` on a Node.js it does not support says which Node it needs, instead of crashing inside
// undici. Checked on the compiled command (what the package bin and the image run) with the
// machine's own Node when that is older, and on the function for every boundary.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MINIMUM_NODE, unsupportedNode } from '../../src/cli/node-version.ts';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';

describe('roomban on an unsupported Node.js', () => {
  it("MINIMUM_NODE is package.json's engines.node", () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.equal(pkg.engines.node, `>=${MINIMUM_NODE.replace(/\.0$/, '')}`);
  });

  it('refuses versions below it, naming both versions, and accepts it and newer ones', () => {
    for (const old of ['20.20.2', '22.18.9', '18.0.0', '22.0.0']) assert.match(unsupportedNode(old) ?? '', new RegExp(`needs Node.js ${MINIMUM_NODE} or newer.*this is Node.js ${old.replace(/\./g, '\\.')}`), old);
    for (const ok of ['22.19.0', '22.20.1', '24.21.0', '25.0.0']) assert.equal(unsupportedNode(ok), undefined, ok);
  });

  it('the compiled command run by an older Node exits 1 with that sentence (and runs on Node 24)', function () {
    this.timeout(180_000);
    // npm test puts Node 24 first on PATH; the machine's own Node is Debian's.
    const oldNode = process.env.ROOMBAN_OLD_NODE ?? '/usr/bin/node';
    const system = spawnSync(oldNode, ['--version'], { encoding: 'utf8' });
    const version = system.stdout.trim().replace(/^v/, '');
    if (system.status !== 0 || unsupportedNode(version) === undefined) {
      this.skip(); // Needs a Node older than MINIMUM_NODE at /usr/bin/node or $ROOMBAN_OLD_NODE (this machine's Debian Node is 20).
    }
    // Inside the project, so the compiled files resolve node_modules as dist/ does.
    const out = mkdtempSync(join(PROJECT_ROOT, '.dist-test-'));
    try {
      const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const build = spawnSync(process.execPath, [tsc, '-p', join(PROJECT_ROOT, 'tsconfig.build.json'), '--outDir', out], { encoding: 'utf8' });
      assert.equal(build.status, 0, build.stdout + build.stderr);
      const run = spawnSync(oldNode, [join(out, 'cli', 'main.js'), 'operator', '--help'], { encoding: 'utf8' });
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`roomban needs Node.js ${MINIMUM_NODE} or newer`));
      assert.doesNotMatch(run.stderr, /TypeError|\n\s+at /, 'a sentence, not a stack trace');
      const supported = spawnSync(process.execPath, [join(out, 'cli', 'main.js'), 'operator', '--help'], { encoding: 'utf8' });
      assert.equal(supported.status, 0, supported.stderr);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
