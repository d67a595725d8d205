// Bounded, human-readable text. Status, conditions, events and logs are read by people and stored
// in etcd; a vendor that answers with a 100 KB HTML error page must not make a RoomBan too large to write.

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `maxChars` Unicode code points (what the API server counts for maxLength),
 * marking the cut with an ellipsis. Never splits a surrogate pair.
 */
export function truncateChars(text: string, maxChars: number): string {
  const points = Array.from(text);
  if (points.length <= maxChars) return text;
  return points.slice(0, Math.max(0, maxChars - 1)).join('') + ELLIPSIS;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes, marking the cut with an ellipsis. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8ByteLength(text) <= maxBytes) return text;
  const budget = maxBytes - utf8ByteLength(ELLIPSIS);
  let kept = '';
  let used = 0;
  for (const point of text) {
    const size = utf8ByteLength(point);
    if (used + size > budget) break;
    kept += point;
    used += size;
  }
  return kept + ELLIPSIS;
}

/** The UTF-8 length of `text` (vendors state their ID limits in bytes). Lone surrogates count 3, as TextEncoder writes U+FFFD. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (const point of text) {
    const code = point.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** "a, b, c and 4 more": lists stay readable however many users a ban names. */
export function listWithMore(items: readonly string[], shown: number, separator = ', '): string {
  const head = items.slice(0, shown).join(separator);
  const rest = items.length - shown;
  return rest > 0 ? `${head} and ${rest} more` : head;
}

/** "1 user", "3 users". */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
