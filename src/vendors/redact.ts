// Keeping secrets out of everything we return or log (docs/architecture.md#one-roomban-end-to-end): URLs are redacted before
// they can reach a message, and every outgoing message is scrubbed of the secrets the client
// knows, as a second line of defence against a vendor echoing one back.

const SENSITIVE_QUERY_KEYS = new Set([
  'usersig',
  'token',
  'signature',
  'x-signature',
  'x-security-token',
  'x-credential',
  'authorization',
  'secretkey',
  'secretid',
]);

export const REDACTED = '[REDACTED]';

/** origin + path, with the values of sensitive query parameters replaced. Never throws. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '[unparseable URL]';
  }
  const base = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  if (parsed.search === '') return base;
  const parts: string[] = [];
  for (const [key, value] of parsed.searchParams) {
    const shown = SENSITIVE_QUERY_KEYS.has(key.toLowerCase()) ? REDACTED : value;
    parts.push(`${key}=${shown}`);
  }
  return `${base}?${parts.join('&')}`;
}

/** Secrets shorter than this are not scrubbed by substring (they would mangle ordinary text). */
const MIN_SCRUB_LENGTH = 4;

/** A set of secret strings that must never appear in output; grows as new UserSigs are minted. */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= MIN_SCRUB_LENGTH) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }
}
