/**
 * @module qc/manual
 * Manual flags from a maintenance log: every point inside a known-bad interval fails
 * (SaQC `flagManual` with `mformat='start-end'`). Interval ends follow SaQC's `method`:
 * `closed` covers `start <= t <= end`, `right-open` `start <= t < end`, `left-open`
 * `start < t <= end` (SaQC's default).
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { outcome, type TestOutcome } from './outcome.js';

/** A known-bad interval in UTC epoch ms. */
export interface ManualInterval {
  start: number;
  end: number;
}

/** How interval ends are treated; see the module comment. */
export type IntervalMethod = 'closed' | 'left-open' | 'right-open';

/** First index with `time[i] >= t` (or `> t` when `strict`). */
export function lowerBound(time: Float64Array, t: number, strict = false): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < t || (strict && time[mid]! === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fails every point inside an interval, cause `MANUAL`. O(m log n + flagged points) for
 * m intervals on a time-ordered series.
 *
 * @example
 * flagManual(sac, intervals, { method: 'closed' });
 */
export function flagManual(
  s: Series,
  intervals: readonly ManualInterval[],
  options: { method?: IntervalMethod; flag?: 3 | 4 } = {},
): TestOutcome {
  const method = options.method ?? 'left-open';
  const flag = options.flag ?? Flag.FAIL;
  const { time, flags, causes } = s;
  const out = outcome();
  for (const { start, end } of intervals) {
    let i = lowerBound(time, start, method === 'left-open');
    for (; i < time.length; i++) {
      const t = time[i]!;
      if (t > end || (t === end && method === 'right-open')) break;
      if ((causes[i]! & Cause.MANUAL) !== 0) continue; // overlapping intervals count once
      if (flags[i]! < flag) flags[i] = flag;
      causes[i] = causes[i]! | Cause.MANUAL;
      if (flag === Flag.FAIL) out.fail++;
      else out.suspect++;
    }
  }
  return out;
}
