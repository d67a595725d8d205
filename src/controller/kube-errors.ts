// Kubernetes API errors, typed in one place. The generated client throws ApiException with the
// HTTP status in `code`; client-node's Watch ends with an Error carrying `statusCode`. Everything
// else in the controller asks these predicates, never the shape of an error.

import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of a failed API call or watch, or undefined when it was not an HTTP answer. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (error instanceof Error && 'statusCode' in error && typeof error.statusCode === 'number') return error.statusCode;
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

export function isForbidden(error: unknown): boolean {
  return statusOf(error) === 403;
}

/** 409: the object changed since it was read (optimistic concurrency), or it already exists. */
export function isConflict(error: unknown): boolean {
  return statusOf(error) === 409;
}

/** 410: the resourceVersion a watch asked for is too old; relist. */
export function isGone(error: unknown): boolean {
  return statusOf(error) === 410;
}

/**
 * A short description for logs: the HTTP status when there is one (an ApiException's message embeds
 * the whole response body and headers), else the error's name and message.
 */
export function describeError(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) return `HTTP ${status}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
