// Turning one RemovalRequest into vendor calls and per-user results, the same for every vendor:
// split into batches of the vendor's size, run a bounded number of calls at once, and apply the
// batch-absent rule of design.md §5.

import type { CallAnswer } from './vendor-call.ts';
import type { UserResult } from './types.ts';

/** Sends one batch; rejects only when the signal aborted before anything was sent. */
export type BatchCall = (userIds: readonly string[], signal?: AbortSignal) => Promise<CallAnswer>;

export interface BatchRemovalOptions {
  userIds: readonly string[];
  maxUsersPerCall: number;
  maxConcurrentCalls: number;
  callBatch: BatchCall;
  signal?: AbortSignal;
}

/**
 * Every user gets a result, in the order given (duplicates share their first occurrence's).
 * Rejects with the abort reason only when the signal aborted before any call was sent; once
 * something was sent, users whose calls were never sent are Retryable "Transport.Aborted".
 */
export async function removeInBatches(options: BatchRemovalOptions): Promise<UserResult[]> {
  const unique = [...new Set(options.userIds)];
  const batches = chunk(unique, options.maxUsersPerCall);
  const byUser = new Map<string, UserResult>();
  let sentAny = false;
  let abortedBeforeSend = false;

  await runWithConcurrency(batches, options.maxConcurrentCalls, async (batch) => {
    try {
      const results = await removeBatch(batch, options);
      sentAny = true;
      for (const result of results) byUser.set(result.userId, result);
    } catch (error) {
      if (options.signal?.aborted !== true) throw error;
      abortedBeforeSend = true;
    }
  });

  if (abortedBeforeSend && !sentAny) throw options.signal?.reason;
  return options.userIds.map((userId) => byUser.get(userId) ?? notSent(userId));
}

/**
 * design.md §5: a batch-level "absent" answer does not say which members were present. A batch
 * of more than one user is re-asked one user at a time; a single-user answer is final.
 */
async function removeBatch(batch: readonly string[], options: BatchRemovalOptions): Promise<UserResult[]> {
  const answer = await options.callBatch(batch, options.signal);
  if (answer.outcome !== 'AlreadyAbsent' || batch.length === 1) {
    return batch.map((userId) => resultFor(userId, answer));
  }
  const results: UserResult[] = [];
  await runWithConcurrency(batch, options.maxConcurrentCalls, async (userId) => {
    try {
      results.push(resultFor(userId, await options.callBatch([userId], options.signal)));
    } catch (error) {
      if (options.signal?.aborted !== true) throw error;
      results.push(notSent(userId));
    }
  });
  return results;
}

export function resultFor(userId: string, answer: CallAnswer): UserResult {
  const result: UserResult = {
    userId,
    outcome: answer.outcome,
    code: answer.code,
    message: answer.message,
    requestId: answer.requestId,
  };
  if (answer.outcome === 'Retryable' && answer.retryAfterMs !== undefined) result.retryAfterMs = answer.retryAfterMs;
  return result;
}

function notSent(userId: string): UserResult {
  return {
    userId,
    outcome: 'Retryable',
    code: 'Transport.Aborted',
    message: 'not sent: the caller aborted the request',
    requestId: '',
  };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
