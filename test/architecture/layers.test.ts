// The layers of src/ import down only, and no file imports itself through a cycle
// (docs/architecture.md#layers). Read from the source, so a new upward import fails here.

import assert from 'node:assert/strict';
import { PROJECT_ROOT } from '../../src/devcluster/binaries.ts';
import { cycles, type ImportEdge, importsOf, typeScriptFiles } from './imports.ts';

/** Lower ranks are lower layers. Folders of one rank are siblings and must not import each other. */
const RANK: Readonly<Record<string, number>> = {
  common: 0,
  api: 1,
  reconcile: 2,
  vendors: 2,
  observability: 3,
  sandbox: 3,
  devcluster: 3,
  controller: 4,
  cli: 5,
};

/** Folders whose index.ts is the only door for code outside them. */
const SURFACES = ['reconcile', 'vendors'];

const layerOf = (file: string): string => file.split('/')[1] ?? '';

function sourceEdges(): ImportEdge[] {
  return typeScriptFiles(PROJECT_ROOT, 'src').flatMap((file) => importsOf(PROJECT_ROOT, file));
}

describe('architecture: layers of src/', () => {
  const edges = sourceEdges();

  it('reads a non-trivial import graph (the checks below have something to check)', () => {
    assert.ok(edges.length > 100, `only ${edges.length} imports found`);
    assert.ok(edges.some((edge) => edge.from === 'src/controller/reconciler.ts' && edge.to === 'src/reconcile/index.ts'));
  });

  it('every folder of src/ has a rank', () => {
    const unknown = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]).map(layerOf))].filter((layer) => RANK[layer] === undefined);
    assert.deepEqual(unknown, []);
  });

  it('imports only go down: never to a higher layer, never to a sibling of the same rank', () => {
    const upward = edges.filter(({ from, to }) => {
      const [a, b] = [layerOf(from), layerOf(to)];
      return a !== b && (RANK[b] ?? 99) >= (RANK[a] ?? -1);
    });
    assert.deepEqual(upward.map(({ from, to }) => `${from} -> ${to}`), []);
  });

  it('the pure core and the vendor boundary import only src/api and src/common', () => {
    const outside = edges.filter(({ from, to }) => ['reconcile', 'vendors'].includes(layerOf(from)) && layerOf(to) !== layerOf(from) && !['api', 'common'].includes(layerOf(to)));
    assert.deepEqual(outside.map(({ from, to }) => `${from} -> ${to}`), []);
  });

  it(`code outside ${SURFACES.join(' and ')} imports them through their index.ts only`, () => {
    const bypass = edges.filter(({ from, to }) => SURFACES.includes(layerOf(to)) && layerOf(from) !== layerOf(to) && !to.endsWith('/index.ts'));
    assert.deepEqual(bypass.map(({ from, to }) => `${from} -> ${to}`), []);
  });

  it('has no import cycle', () => {
    assert.deepEqual(cycles(edges).map((cycle) => cycle.join(' -> ')), []);
  });

  it('the cycle finder finds a planted cycle (so "no cycle" means something)', () => {
    const planted: ImportEdge[] = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
      { from: 'c', to: 'd' },
    ];
    assert.deepEqual(cycles(planted), [['a', 'b', 'c', 'a']]);
  });
});
