// spec.duration: Go's time.ParseDuration syntax, the one metav1.Duration and the API server's CEL
// duration() accept ("90s", "1h30m", "1.5h", "300ms"), without a sign. The CRD bounds it to
// 10s..168h at admission (crds/roomban.io_roombans.yaml); this is how the operator reads it.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** The CRD's pattern for spec.duration: one or more <number><unit> terms. */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*$';

/** The admission bounds of spec.duration, in seconds (the CRD's CEL rule). */
export const MIN_BAN_SECONDS = 10;
export const MAX_BAN_SECONDS = 168 * 3600;

const TERM = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)/gy;

/** `text` in milliseconds, or undefined when it is not a Go duration (a sign, "0", or no unit is refused). */
export function parseDurationMs(text: string): number | undefined {
  if (text === '') return undefined;
  TERM.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let match = TERM.exec(text); match !== null; match = TERM.exec(text)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    end = TERM.lastIndex;
  }
  return end === text.length && Number.isFinite(total) ? total : undefined;
}
