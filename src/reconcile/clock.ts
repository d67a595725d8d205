// The core never reads the clock; drivers pass `now`. This turns it into the wire form of metav1.Time.

/**
 * RFC 3339 in UTC with whole seconds, the way the API server serializes metav1.Time. Dropping the
 * milliseconds also keeps a status rebuilt within the same second byte-identical (no-op writes skipped).
 */
export function toKubeTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
