// The repository explains itself: every document a comment cites is in docs/, every
// docs/<file>.md#<anchor> it cites names a heading that exists, and nothing cites the design files
// that lived outside the repository.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';

const CITATION = /docs\/([a-z0-9-]+\.md)(?:#([a-z0-9-]+))?/g;
// Spelled in pieces so this file does not cite them itself.
const OUTSIDE = new RegExp(`\\b(?:${['design', 'vendor-apis', 'operator-practices', 'control-plane'].join('|')})\\.md\\b`);

function trackedFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return listed.split('\n').filter((file) => /\.(ts|ya?ml|sh|json|lua|md|tpl|cjs)$/.test(file) && existsSync(join(PROJECT_ROOT, file)));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading === null) continue;
    anchors.add((heading[1] ?? '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return anchors;
}

describe('architecture: the design lives in docs/', () => {
  const files = trackedFiles();

  it('no file cites the design files that lived outside the repository', () => {
    const citing = files.filter((file) => !file.startsWith('docs/') && OUTSIDE.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')));
    assert.deepEqual(citing, []);
  });

  it('every docs/<file>.md#<anchor> cited anywhere names a document and a heading that exist', () => {
    const anchors = new Map<string, Set<string>>();
    const broken: string[] = [];
    let cited = 0;
    for (const file of files) {
      for (const match of readFileSync(join(PROJECT_ROOT, file), 'utf8').matchAll(CITATION)) {
        const [doc, anchor] = [match[1] ?? '', match[2]];
        cited += 1;
        const path = join(PROJECT_ROOT, 'docs', doc);
        if (!existsSync(path)) {
          broken.push(`${file}: docs/${doc} does not exist`);
          continue;
        }
        if (!anchors.has(doc)) anchors.set(doc, anchorsOf(readFileSync(path, 'utf8')));
        if (anchor !== undefined && !anchors.get(doc)?.has(anchor)) broken.push(`${file}: docs/${doc}#${anchor} has no such heading`);
      }
    }
    assert.ok(cited > 50, `only ${cited} citations found`);
    assert.deepEqual(broken, []);
  });

  it('the anchor rule matches GitHub for the headings we use', () => {
    assert.deepEqual([...anchorsOf('# The vendor boundary\n## Tencent Chat\n### What the vendors\' docs leave open\n## At a glance: caps & sizes')], [
      'the-vendor-boundary',
      'tencent-chat',
      'what-the-vendors-docs-leave-open',
      'at-a-glance-caps--sizes',
    ]);
  });
});
