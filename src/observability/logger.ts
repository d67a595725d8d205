// pino JSON logs (docs/architecture.md#one-roomban-end-to-end). Convention: per-object work logs through a child logger carrying
// `roomban` ("namespace/name"), `vendor` and, once a vendor answered, `requestId` — the fields an
// operator greps for and vendor support asks for (see LogContext).
//
// Credentials are kept out in layers. Fields named like credentials (SECRET_FIELDS, any case) are
// censored: pino's `redact` covers the top level of logged objects and child bindings (also after
// serializers ran), and a copy-on-write walk covers logged objects at any depth — pino's wildcard
// redact paths cost ~100 µs a line, the walk about one. pino never formats child bindings, so do
// not bind nested objects holding credentials. Free text is not rewritten here: a secret that could
// hide in it (a vendor echoing a request) is scrubbed by the vendor client that holds it
// (src/vendors/redact.ts SecretScrubber), so scrubbing stays bounded by that client's credentials and
// never rewrites another tenant's log lines (docs/vendors.md#secrets).

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
  // Class instances (Error, Date, Buffer) are left to their serializers.
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

function pathSegment(field: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
}
