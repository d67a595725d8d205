// Skipping status writes that would change nothing: writes must be proportional to progress.

import type { RoomBanStatus } from '../api/types.ts';

/**
 * Whether writing `after` would change what `before` holds. Compares as JSON does: key order is
 * irrelevant and a property set to undefined equals an absent one; array order matters.
 */
export function statusChanged(before: RoomBanStatus | undefined, after: RoomBanStatus): boolean {
  return !jsonEqual(before ?? {}, after);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return arraysEqual(a, b);
  if (isRecord(a) && isRecord(b)) return recordsEqual(a, b);
  return Object.is(a, b);
}

function arraysEqual(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((item: unknown, index) => jsonEqual(item, b[index]));
}

function recordsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...definedKeys(a), ...definedKeys(b)]);
  return [...keys].every((key) => jsonEqual(a[key], b[key]));
}

function definedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
