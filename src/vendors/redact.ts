// Keeping secrets out of everything we return or log (docs/vendors.md#secrets): URLs are redacted
// before they can reach a message, and every outgoing message is scrubbed of the secrets the client
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
/** Minted secrets (Chat UserSigs) kept for scrubbing: the current one and the one it replaced. */
const MINTED_KEPT = 2;

/**
 * The secrets of one vendor client, which must never appear in what the client returns or logs.
 * Owned by the client and dropped with it, so scrubbing is bounded by one account's credentials and
 * never touches another tenant's text. Each secret's forms (as written, JSON-escaped, URL-encoded)
 * are computed once, when it is added, longest first so a secret containing another is replaced whole.
 */
export class SecretScrubber {
  readonly #fixed: string[];
  #minted: string[] = [];
  #forms: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    this.#fixed = [...secrets].filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SCRUB_LENGTH);
    this.#forms = formsOf([...this.#fixed]);
  }

  /** A newly minted secret (a fresh UserSig); only the last MINTED_KEPT are kept. */
  addMinted(secret: string): void {
    if (secret.length < MIN_SCRUB_LENGTH || this.#minted.includes(secret)) return;
    this.#minted = [secret, ...this.#minted].slice(0, MINTED_KEPT);
    this.#forms = formsOf([...this.#fixed, ...this.#minted]);
  }

  /** How many secrets are held (bounded: the credentials plus MINTED_KEPT). */
  get size(): number {
    return this.#fixed.length + this.#minted.length;
  }

  scrub(text: string): string {
    let result = text;
    for (const form of this.#forms) {
      if (result.includes(form)) result = result.split(form).join(REDACTED);
    }
    return result;
  }
}

function formsOf(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}
