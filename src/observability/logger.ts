// pino JSON logs (docs/architecture.md#one-roomban-end-to-end). Convention: per-object work logs through a child logger carrying
// `roomban` ("namespace/name"), `vendor` and, once a vendor answered, `requestId` — the fields an
// operator greps for and vendor support asks for (see LogContext).
//
// Credentials are kept out in layers. Fields named like credentials (SECRET_FIELDS, any case) are
// censored: pino's `redact` covers the top level of logged objects and child bindings (also after
// serializers ran), and a copy-on-write walk covers logged objects at any depth — pino's wildcard
// redact paths cost ~100 µs a line, the walk about one. pino never formats child bindings, so do
// not bind nested objects holding credentials. And because a secret can also hide in free text (an
// error message echoing a request), every finished line can be scrubbed of the secret values the
// process knows (LoggerOptions.secrets): the backstop for everything above.

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

/** Field names (matched case-insensitively) that hold credentials in our code, vendor SDKs and HTTP headers. */
export const SECRET_FIELDS: readonly string[] = [
  'secretKey',
  'secretAccessKey',
  'secretId',
  'accessKeyId',
  'token',
  'sessionToken',
  'authorization',
  'usersig',
  'password',
  'signature',
  'credentials',
  'stringData',
  'x-tc-token',
  'x-security-token',
];

const SECRET_FIELD_SET = new Set(SECRET_FIELDS.map((field) => field.toLowerCase()));

/** pino redact paths: every secret field at the top level, in the spellings in use. */
export const REDACT_PATHS: readonly string[] = [
  ...new Set(SECRET_FIELDS.flatMap((field) => [field, `${field.charAt(0).toUpperCase()}${field.slice(1)}`])),
].map(pathSegment);

/** Below this depth a logged object is not walked (bounds the cost, and cycles). */
const MAX_CENSOR_DEPTH = 8;

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets;
  const settings: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { component: 'roomban-operator' },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      // Level names, not numbers: what log pipelines and humans reading `kubectl logs` expect.
      level: (label) => ({ level: label }),
      log: censorSecretFields,
    },
    ...(secrets ? { hooks: { streamWrite: (line: string) => redactSecretsInText(line, [...secrets()]) } } : {}),
  };
  // pino's default destination writes synchronously, so the last lines survive process.exit().
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A copy of `object` with every secret field's value censored, at any depth; `object` itself if none. */
export function censorSecretFields(object: Record<string, unknown>): Record<string, unknown> {
  return censorObject(object, 0) ?? object;
}

function censorValue(value: unknown, depth: number): unknown {
  if (depth > MAX_CENSOR_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return censorArray(value, depth) ?? value;
  // Class instances (Error, Date, Buffer) are left to their serializers; free text to `secrets`.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return censorObject(value as Record<string, unknown>, depth) ?? value;
}

function censorObject(object: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    const censored = SECRET_FIELD_SET.has(key.toLowerCase()) && value !== undefined ? REDACTED : censorValue(value, depth + 1);
    if (censored === value) continue;
    copy ??= { ...object };
    copy[key] = censored;
  }
  return copy;
}

function censorArray(array: unknown[], depth: number): unknown[] | undefined {
  let copy: unknown[] | undefined;
  array.forEach((item, index) => {
    const censored = censorValue(item, depth + 1);
    if (censored === item) return;
    copy ??= [...array];
    copy[index] = censored;
  });
  return copy;
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
