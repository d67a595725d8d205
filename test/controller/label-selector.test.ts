// metav1.LabelSelector semantics for ClusterRoomProviders' namespaceSelector: matchLabels and
// matchExpressions are ANDed, an empty selector matches everything, malformed requirements fail closed.

import assert from 'node:assert/strict';
import type { LabelSelector, RoomProvider } from '../../src/api/types.ts';
import { selectorMatches } from '../../src/controller/label-selector.ts';
import { allowsNamespace } from '../../src/controller/providers.ts';

const labels = { 'kubernetes.io/metadata.name': 'team-a', 'roomban.io/tenant': 'moderation', environment: 'prod', empty: '' };

describe('namespaceSelector matching', () => {
  const cases: [string, LabelSelector, boolean][] = [
    ['an empty selector', {}, true],
    ['matchLabels that hold', { matchLabels: { 'roomban.io/tenant': 'moderation', empty: '' } }, true],
    ['matchLabels with another value', { matchLabels: { 'roomban.io/tenant': 'other' } }, false],
    ['matchLabels for an absent label', { matchLabels: { absent: '' } }, false],
    ['In', { matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev', 'prod'] }] }, true],
    ['In, not among the values', { matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev'] }] }, false],
    ['In, label absent', { matchExpressions: [{ key: 'absent', operator: 'In', values: [''] }] }, false],
    ['NotIn', { matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['dev'] }] }, true],
    ['NotIn, among the values', { matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['prod'] }] }, false],
    ['NotIn, label absent', { matchExpressions: [{ key: 'absent', operator: 'NotIn', values: ['x'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'empty', operator: 'Exists' }] }, true],
    ['Exists, label absent', { matchExpressions: [{ key: 'absent', operator: 'Exists' }] }, false],
    ['DoesNotExist', { matchExpressions: [{ key: 'absent', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist, label present', { matchExpressions: [{ key: 'environment', operator: 'DoesNotExist' }] }, false],
    ['matchLabels AND matchExpressions, one failing', { matchLabels: { environment: 'prod' }, matchExpressions: [{ key: 'absent', operator: 'Exists' }] }, false],
    ['an inherited property name is not a label', { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, false],
    ['In without values (malformed: fails closed)', { matchExpressions: [{ key: 'environment', operator: 'In', values: [] }] }, false],
    ['NotIn without values (malformed: fails closed)', { matchExpressions: [{ key: 'absent', operator: 'NotIn' }] }, false],
    ['Exists with values (malformed: fails closed)', { matchExpressions: [{ key: 'environment', operator: 'Exists', values: ['prod'] }] }, false],
  ];
  for (const [title, selector, expected] of cases) {
    it(`${title}: ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(selectorMatches(selector, labels), expected);
    });
  }

  it('an unknown operator matches nothing', () => {
    const selector = JSON.parse('{"matchExpressions":[{"key":"environment","operator":"Equals","values":["prod"]}]}') as LabelSelector;
    assert.equal(selectorMatches(selector, labels), false);
  });

  it('a ClusterRoomProvider without a selector serves every namespace; with one, a namespace of unknown labels is refused', () => {
    const provider = (namespaceSelector?: LabelSelector): RoomProvider => ({
      apiVersion: 'roomban.io/v1alpha1', kind: 'ClusterRoomProvider', metadata: { name: 'shared' },
      spec: { tencentTRTC: { sdkAppId: 1, region: 'ap-singapore' }, credentialsSecretRef: { name: 's', namespace: 'keys' }, ...(namespaceSelector ? { namespaceSelector } : {}) },
    });
    assert.equal(allowsNamespace(provider(), undefined), true);
    assert.equal(allowsNamespace(provider(), {}), true);
    assert.equal(allowsNamespace(provider({ matchLabels: { environment: 'prod' } }), labels), true);
    assert.equal(allowsNamespace(provider({ matchLabels: { environment: 'prod' } }), undefined), false);
    assert.equal(allowsNamespace(provider({ matchLabels: { environment: 'prod' } }), {}), false);
  });
});
