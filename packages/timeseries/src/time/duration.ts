/**
 * @module time/duration
 * Durations as pandas-style offset strings (`'15min'`, `'20D'`, `'2h'`), the form SaQC's
 * configuration uses, converted to milliseconds.
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  min: 60_000,
  T: 60_000,
  h: 3_600_000,
  H: 3_600_000,
  d: 86_400_000,
  D: 86_400_000,
  W: 604_800_000,
  w: 604_800_000,
};

/** A duration in milliseconds, or an offset string such as `'15min'`, `'20D'`, `'1.5h'`. */
export type Duration = number | string;

/**
 * Milliseconds of a duration; throws a `RangeError` naming the accepted units otherwise.
 *
 * @example
 * durationMs('15min'); // 900000
 */
export function durationMs(d: Duration): number {
  if (typeof d === 'number') {
    if (!(d >= 0) || !Number.isFinite(d)) throw new RangeError(`invalid duration ${d} ms`);
    return d;
  }
  const m = /^\s*(\d+(?:\.\d+)?)?\s*([a-zA-Z]+)\s*$/.exec(d);
  const unit = m?.[2] === undefined ? undefined : UNIT_MS[m[2]];
  if (m === null || unit === undefined) {
    throw new RangeError(
      `invalid duration ${JSON.stringify(d)}: expected a number and one of ${Object.keys(UNIT_MS).join(', ')} (e.g. '15min', '20D')`,
    );
  }
  return (m[1] === undefined ? 1 : Number(m[1])) * unit;
}
