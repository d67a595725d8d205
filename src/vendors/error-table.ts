// A vendor's error-code table: exact rows first, then code families by longest prefix
// ("InternalError.*"), then a documented default. Each vendor file declares its own table.

import type { RemovalOutcome } from '../api/results.ts';

export interface ErrorRule {
  outcome: RemovalOutcome;
  /** A rate-limit answer: slow the shared bucket down and report onThrottled. */
  throttle?: boolean;
  /** Credentials aged out (timestamp/UserSig): re-sign and retry once inside the client. */
  resign?: boolean;
  /** The vendor asks for at least this long before a retry. */
  minRetryAfterMs?: number;
  /**
   * Terminal only: the refusal is about the account, credentials, app or endpoint, not these users,
   * so every other call of the account would get it too (UserResult.accountWide).
   */
  accountWide?: boolean;
}

export interface ErrorTableDefinition {
  exact: Readonly<Record<string, ErrorRule>>;
  /** Keys are prefixes including the dot, e.g. "RequestLimitExceeded.". */
  families?: Readonly<Record<string, ErrorRule>>;
  /** For codes no row matches. */
  fallback: ErrorRule;
}

export class ErrorCodeTable {
  private readonly exact: ReadonlyMap<string, ErrorRule>;
  private readonly families: ReadonlyArray<readonly [string, ErrorRule]>;
  private readonly fallback: ErrorRule;

  constructor(definition: ErrorTableDefinition) {
    this.exact = new Map(Object.entries(definition.exact));
    // Longest prefix first, so "InternalError.Foo." would win over "InternalError.".
    this.families = Object.entries(definition.families ?? {}).sort((a, b) => b[0].length - a[0].length);
    this.fallback = definition.fallback;
  }

  /** The rule for `code`: its exact row, else the longest family prefix it starts with, else the fallback. */
  classify(code: string): ErrorRule {
    const exact = this.exact.get(code);
    if (exact !== undefined) return exact;
    return this.families.find(([prefix]) => code.startsWith(prefix))?.[1] ?? this.fallback;
  }

  /**
   * The bounded name of `code` in this table, for a metric label: the code of an exact row, the
   * family ("InternalError.*") a code belongs to, or undefined for a code the table does not know.
   */
  labelOf(code: string): string | undefined {
    if (this.exact.has(code)) return code;
    const family = this.families.find(([prefix]) => code.startsWith(prefix));
    return family === undefined ? undefined : `${family[0]}*`;
  }

  /** Every exact row, for table-driven tests. */
  rows(): Array<[string, ErrorRule]> {
    return [...this.exact.entries()];
  }

  familyRows(): Array<[string, ErrorRule]> {
    return this.families.map(([prefix, rule]) => [prefix, rule]);
  }
}

// Shorthands keep the tables readable: one line per documented row.
export const removed: ErrorRule = { outcome: 'Removed' };
export const absent: ErrorRule = { outcome: 'AlreadyAbsent' };
export const retryable: ErrorRule = { outcome: 'Retryable' };
export const terminal: ErrorRule = { outcome: 'Terminal' };
export const throttled: ErrorRule = { outcome: 'Retryable', throttle: true };
/** The account itself is refused (credentials, app, permissions): no other user's call can succeed. */
export const refused: ErrorRule = { outcome: 'Terminal', accountWide: true };
export const resignThenRefused: ErrorRule = { outcome: 'Terminal', resign: true, accountWide: true };
