/**
 * @module qc/climatology
 * Seasonal climatology test (QARTOD): each calendar month (UTC) has its own expected
 * range; a value outside its month's range is suspect. Seasonal bounds catch a 25 °C
 * river in January that a year-round range would let through.
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { civilFromDays } from '../time/civil.js';
import { outcome, type TestOutcome } from './outcome.js';

/** Parameters of {@link flagClimatology}. */
export interface ClimatologyParams {
  /** Twelve `[min, max]` pairs, January first; `null` leaves a month unchecked. */
  months: ReadonlyArray<readonly [number, number] | null>;
  /**
   * Which bounds apply to a point: `'month'` (default), its calendar month's; or
   * `{ days: n }`, the widest of the months that the `±n`-day window around its day
   * touches, so bounds widen near a month's end instead of jumping at midnight.
   */
  window?: 'month' | { days: number };
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
  const w = p.window ?? 'month';
  const days = w === 'month' ? -1 : Math.floor(w.days);
  if (w !== 'month' && !(days >= 0 && days <= 183)) {
    throw new RangeError('climatology: window.days must be between 0 and 183');
  }
  let i = 0;
  while (i < values.length) {
    // Constant bounds over a segment (a month, or a day with a window); one date
    // computation per segment, not per point.
    if (!Number.isFinite(time[i]!)) {
      i++; // no date, no season: not evaluated
      continue;
    }
    let next: number;
    let l: number;
    let h: number;
    if (days < 0) {
      const d = new Date(time[i]!);
      const m = d.getUTCMonth();
      next = Date.UTC(d.getUTCFullYear(), m + 1, 1);
      l = lo[m]!;
      h = hi[m]!;
    } else {
      const day = Math.floor(time[i]! / DAY_MS);
      next = (day + 1) * DAY_MS;
      const first = civilFromDays(day - days);
      const last = civilFromDays(day + days);
      let m = first.month - 1;
      const end = last.month - 1 + 12 * (last.year - first.year);
      l = Number.POSITIVE_INFINITY;
      h = Number.NEGATIVE_INFINITY;
      for (let k = m; k <= end; k++, m = (m + 1) % 12) {
        l = Math.min(l, lo[m]!);
        h = Math.max(h, hi[m]!);
      }
    }
    const start = i;
    for (; i < values.length && time[i]! < next; i++) {
      const v = values[i]!;
      if (v < l || v > h) {
        if (flags[i]! < Flag.SUSPECT) flags[i] = Flag.SUSPECT;
        causes[i] = causes[i]! | Cause.CLIMATOLOGY;
        out.suspect++;
      }
    }
    if (i === start) i++; // never stall on an out-of-order timestamp
  }
  return out;
}

const DAY_MS = 86_400_000;
