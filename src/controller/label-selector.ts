// metav1.LabelSelector matching, as apimachinery's LabelSelectorAsSelector reads it: every
// matchLabels entry and every matchExpressions requirement must hold; an empty selector matches
// everything. A malformed requirement or an operator the schema does not know (a CRD older or newer than this code) matches
// nothing: a ClusterRoomProvider's namespaceSelector fails closed.

import type { LabelSelector, LabelSelectorRequirement } from '../api/types.ts';

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const has = (key: string): boolean => Object.hasOwn(labels, key);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(key) || labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((requirement) => requirementHolds(requirement, has, labels));
}

function requirementHolds(requirement: LabelSelectorRequirement, has: (key: string) => boolean, labels: Readonly<Record<string, string>>): boolean {
  const { key, operator } = requirement;
  const values = requirement.values ?? [];
  // Invalid shapes (the CRD's CEL rule refuses them) match nothing, as apimachinery refuses them.
  const needsValues = operator === 'In' || operator === 'NotIn';
  if (needsValues !== values.length > 0) return false;
  switch (operator) {
    case 'In':
      return has(key) && values.includes(labels[key] ?? '');
    case 'NotIn':
      return !has(key) || !values.includes(labels[key] ?? '');
    case 'Exists':
      return has(key);
    case 'DoesNotExist':
      return !has(key);
    default:
      return false;
  }
}
