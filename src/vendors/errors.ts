// The error taxonomy of the vendor boundary. Every failure is typed as temporary (Retryable) or
// permanent (Terminal) at the point it is raised (after kube-rs and kopf), so nothing
// above src/vendors/ ever inspects an untyped exception. Messages are built here from codes and
// redacted URLs only; a library's own error text (which may quote a URL) never passes through.

/** Codes for failures where no vendor answer was received, or the answer was unusable. */
export type TransportCode =
  | 'Transport.Timeout'
  | 'Transport.ConnectionReset'
  | 'Transport.ConnectionRefused'
  | 'Transport.Dns'
  | 'Transport.Tls'
  | 'Transport.MalformedResponse'
  | 'Transport.Aborted'
  | 'Transport.InvalidRequest'
  | 'Transport.Socket';

/** The outcome a transport failure maps to. */
const TRANSPORT_OUTCOMES: Record<TransportCode, 'Retryable' | 'Terminal'> = {
  'Transport.Timeout': 'Retryable',
  'Transport.ConnectionReset': 'Retryable',
  'Transport.ConnectionRefused': 'Retryable',
  // DNS failures are usually a transient resolver problem inside a cluster; a typo in a custom
  // endpoint would also land here, but retrying with capped backoff is harmless.
  'Transport.Dns': 'Retryable',
  // A certificate that does not verify will not start verifying by itself: a human must fix the
  // endpoint or the trust store. TLS is never disabled to "make it work".
  'Transport.Tls': 'Terminal',
  'Transport.MalformedResponse': 'Retryable',
  // The caller gave up; the vendor may or may not have acted, and a repeat is idempotent.
  'Transport.Aborted': 'Retryable',
  // The HTTP layer refused to send what we built (e.g. a header value with a newline): repeating
  // the same request cannot help, so a human must look.
  'Transport.InvalidRequest': 'Terminal',
  'Transport.Socket': 'Retryable',
};

/** Every code the vendor boundary itself produces (transport, configuration, refused requests). */
export const OWN_CODES: ReadonlySet<string> = new Set([
  ...Object.keys(TRANSPORT_OUTCOMES),
  'Config.UnknownRegion',
  'Config.InvalidEndpoint',
  'Config.InvalidParameter',
  'Request.InvalidRoomId',
  'Request.InvalidReason',
  'Client.Internal',
]);

/** A failure below the vendor protocol: connect, TLS, DNS, timeouts, unreadable answers. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: TransportCode;
  readonly outcome: 'Retryable' | 'Terminal';
  /** A Terminal failure of the endpoint or the request as we build it: every call of the account fails alike. */
  readonly accountWide: boolean;

  constructor(code: TransportCode, message: string) {
    super(message);
    this.code = code;
    this.outcome = TRANSPORT_OUTCOMES[code];
    this.accountWide = this.outcome === 'Terminal';
  }
}

export type ConfigCode = 'Config.UnknownRegion' | 'Config.InvalidEndpoint' | 'Config.InvalidParameter';

/** A provider configuration we can reject before calling anyone. Always Terminal. */
export class VendorConfigError extends Error {
  override readonly name = 'VendorConfigError';
  readonly code: ConfigCode;
  readonly outcome = 'Terminal' as const;

  constructor(code: ConfigCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** The outcome for an HTTP status that carried no vendor error code we could read. */
export function outcomeForHttpStatus(status: number): 'Retryable' | 'Terminal' {
  // 408/425/429 and every 5xx are transient by definition; other 4xx mean the request itself is
  // wrong (bad endpoint, method, path) and will not improve by repetition.
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'Retryable';
  return 'Terminal';
}

export function httpStatusCode(status: number): string {
  return `HTTP.${status}`;
}
