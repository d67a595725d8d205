import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';

describe('project', () => {
  it('type-checks under strict TypeScript (tsc --noEmit)', function () {
    this.timeout(180_000);
    const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', PROJECT_ROOT], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  // The tests run on the Node that scripts/node24 installs (the image's Node, per the Dockerfile
  // test), not on whatever Node is on PATH: package.json's engines allows 22.19, which also strips
  // types, so a run through plain `npx mocha` would otherwise pass on a Node the image never runs.
  it('runs the tests on the Node major that scripts/node24 pins', () => {
    const pinned = /^NODE_VERSION=(\d+)\.\d+\.\d+$/m.exec(readFileSync(join(PROJECT_ROOT, 'scripts', 'node24'), 'utf8'))?.[1];
    assert.ok(pinned, 'scripts/node24 sets NODE_VERSION=<major>.<minor>.<patch>');
    assert.equal(process.versions.node.split('.')[0], pinned, `running on Node ${process.versions.node}; run the tests through scripts/node24 (npm test does)`);
  });
});
