// The kstatus conditions (abnormal-true polarity, what Flux and kpt read). All three are always
// present, False when not applicable, so tools and `kubectl wait` see them from the first write.

import type { Condition } from '../api/types.ts';
import type { Phase } from './phase.ts';
import { MAX_CONDITION_MESSAGE_CHARS } from '../api/bounds.ts';
import { truncateChars } from '../common/text.ts';

export const READY = 'Ready';
export const RECONCILING = 'Reconciling';
export const STALLED = 'Stalled';

type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>;

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

/** Whether `type` is present with status True. */
export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * `previous` with Ready, Reconciling and Stalled set for `phase`. Each carries the phase's reason and
 * message, so `kubectl wait` and Flux show the cause whichever condition they read.
 */
export function conditionsForPhase(previous: readonly Condition[] | undefined, phase: Phase, generation: number, now: string): Condition[] {
  const message = truncateChars(phase.message, MAX_CONDITION_MESSAGE_CHARS);
  const update = (type: string, holds: boolean): ConditionUpdate => ({
    type,
    status: holds ? 'True' : 'False',
    reason: phase.reason,
    message,
    observedGeneration: generation,
  });
  return [
    update(READY, phase.kind === 'Ready'),
    update(RECONCILING, phase.kind === 'Reconciling'),
    update(STALLED, phase.kind === 'Stalled'),
  ].reduce((conditions, next) => setCondition(conditions, next, now), [...(previous ?? [])]);
}

/**
 * apimachinery's meta.SetStatusCondition: replace the condition of the same type in place (or append
 * it), keeping lastTransitionTime unless the status value changes.
 */
export function setCondition(conditions: readonly Condition[], next: ConditionUpdate, now: string): Condition[] {
  const existing = findCondition(conditions, next.type);
  const lastTransitionTime = existing !== undefined && existing.status === next.status ? existing.lastTransitionTime : now;
  const condition: Condition = { ...next, lastTransitionTime };
  if (existing === undefined) return [...conditions, condition];
  return conditions.map((current) => (current.type === next.type ? condition : current));
}
