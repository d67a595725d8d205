import assert from 'node:assert/strict';
import { API_VERSION } from '../../src/api/types.ts';

describe('project', () => {
  it('runs TypeScript tests on Node 24', () => {
    assert.equal(API_VERSION, 'roomban.io/v1alpha1');
    assert.ok(Number(process.versions.node.split('.')[0]) >= 24);
  });
});
