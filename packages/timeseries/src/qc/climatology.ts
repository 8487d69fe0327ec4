/**
 * @module qc/climatology
 * Seasonal climatology test (QARTOD): each calendar month (UTC) has its own expected
 * range; a value outside its month's range is suspect. Seasonal bounds catch a 25 °C
 * river in January that a year-round range would let through.
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { outcome, type TestOutcome } from './outcome.js';

/** Twelve `[min, max]` pairs, January first; `null` leaves a month unchecked. */
export interface ClimatologyParams {
  months: ReadonlyArray<readonly [number, number] | null>;
}

/**
 * Flags values outside their month's bounds as suspect, cause `CLIMATOLOGY`. The series
 * must be in time order.
 *
 * @example
 * flagClimatology(waterTemp, { months: [[-1, 8], [-1, 9], … ] });
 */
export function flagClimatology(s: Series, p: ClimatologyParams): TestOutcome {
  if (p.months.length !== 12) throw new RangeError('climatology: expected 12 monthly bounds');
  const lo = new Float64Array(12);
  const hi = new Float64Array(12);
  for (let m = 0; m < 12; m++) {
    const b = p.months[m];
    lo[m] = b ? b[0] : Number.NEGATIVE_INFINITY;
    hi[m] = b ? b[1] : Number.POSITIVE_INFINITY;
  }
  const { time, values, flags, causes } = s;
  const out = outcome();
  let i = 0;
  while (i < values.length) {
    // one Date per month crossed; the inner loop runs with constant bounds
    const d = new Date(time[i]!);
    const m = d.getUTCMonth();
    const next = Date.UTC(d.getUTCFullYear(), m + 1, 1);
    const l = lo[m]!;
    const h = hi[m]!;
    for (; i < values.length && time[i]! < next; i++) {
      const v = values[i]!;
      if (v < l || v > h) {
        if (flags[i]! < Flag.SUSPECT) flags[i] = Flag.SUSPECT;
        causes[i] = causes[i]! | Cause.CLIMATOLOGY;
        out.suspect++;
      }
    }
  }
  return out;
}
