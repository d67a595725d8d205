// The counts behind status.summary and the printer column status.progress.

import type { BanSummary, UserStatus } from '../api/types.ts';
import { isDone } from './users.ts';

export function summarize(users: readonly UserStatus[]): BanSummary {
  const count = (keep: (user: UserStatus) => boolean): number => users.filter(keep).length;
  return {
    total: users.length,
    removed: count(isDone),
    pending: count((user) => user.state === 'Pending'),
    failed: count((user) => user.state === 'Failed'),
  };
}

/** "removed/total", e.g. "2/10". */
export function progressOf(summary: BanSummary): string {
  return `${summary.removed}/${summary.total}`;
}
