// pino JSON logs (design.md §6). Convention: per-object work logs through a child logger carrying
// `roomban` ("namespace/name"), `vendor` and, once a vendor answered, `requestId` — the fields an
// operator greps for and vendor support asks for (see LogContext).
//
// Credentials are kept out in two layers. pino's `redact` censors credential-named fields wherever
// a logged object (or a child's bindings) holds them, down to REDACT_DEPTH levels. And, because a
// secret can also hide in free text (an error message echoing a request), every finished line can be
// scrubbed of the secret values the process knows (LoggerOptions.secrets).

import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export const REDACTED = '[REDACTED]';

/** The fields of a child logger for one RoomBan's work. */
export interface LogContext {
  /** "namespace/name" of the RoomBan. */
  roomban?: string;
  vendor?: string;
  /** The vendor's RequestId of the call being logged. */
  requestId?: string;
}

export interface LoggerOptions {
  /** A pino level: trace, debug, info, warn, error, fatal or silent. Default info. */
  level?: string;
  /** Default: stdout. */
  destination?: DestinationStream;
  /** Secret values to scrub from every line, whichever field or message they hide in. Read per line. */
  secrets?: () => Iterable<string>;
}

/**
 * Field names that hold credentials in our code, the vendors' SDKs and HTTP headers. Matching is
 * exact, so the spellings in use are listed.
 */
export const SECRET_FIELDS: readonly string[] = [
  'secretKey',
  'SecretKey',
  'secretAccessKey',
  'SecretAccessKey',
  'secretId',
  'SecretId',
  'accessKeyId',
  'AccessKeyId',
  'token',
  'Token',
  'sessionToken',
  'SessionToken',
  'authorization',
  'Authorization',
  'usersig',
  'userSig',
  'UserSig',
  'password',
  'signature',
  'Signature',
  'credentials',
  'stringData',
  'x-tc-token',
  'X-TC-Token',
  'x-security-token',
  'X-Security-Token',
];

/** How deep below the top of a logged object credential fields are censored by path. */
export const REDACT_DEPTH = 4;

export const REDACT_PATHS: readonly string[] = SECRET_FIELDS.flatMap((field) =>
  Array.from({ length: REDACT_DEPTH }, (_, depth) => `${'*.'.repeat(depth)}${pathSegment(field)}`.replace('.[', '[')),
);

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets;
  const settings: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { component: 'roomban-operator' },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names, not numbers: what log pipelines and humans reading `kubectl logs` expect.
    formatters: { level: (label) => ({ level: label }) },
    ...(secrets ? { hooks: { streamWrite: (line: string) => redactSecretsInText(line, [...secrets()]) } } : {}),
  };
  // pino's default destination writes synchronously, so the last lines survive process.exit().
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** Secrets shorter than this are not scrubbed: replacing them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of any of `secrets` in `text` with [REDACTED] — as written, JSON-escaped
 * (inside a log line) or URL-encoded (inside a query string). Longer secrets go first, so one that
 * contains another is replaced whole.
 */
export function redactSecretsInText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const form of secretForms(secrets)) {
    if (result.includes(form)) result = result.split(form).join(REDACTED);
  }
  return result;
}

function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function pathSegment(field: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
}
