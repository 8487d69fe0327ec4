/**
 * @module qc/flat-line
 * Flat-line test (QARTOD): a stuck sensor repeats a value. When `suspectCount` (or
 * `failCount`) consecutive present values stay within `tolerance` of each other
 * (max - min), every point of the run is flagged, from its first point. O(n): each run
 * keeps its running min and max and a new run starts at the value that breaks it.
 * Do not configure it for variables whose true value is often constant (precipitation
 * is 0 mm for days).
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { outcome, type TestOutcome } from './outcome.js';

/** Parameters of {@link flagFlatLine}. */
export interface FlatLineParams {
  /** Run length (points) at which a run becomes suspect. */
  suspectCount: number;
  /** Run length at which it fails; default: never. */
  failCount?: number;
  /** Largest spread (max - min) still counted as the same value; default 0. */
  tolerance?: number;
}

/**
 * Flags runs of repeated values, cause `FLAT_LINE`. Missing values neither extend nor
 * break a run.
 *
 * @example
 * flagFlatLine(level, { suspectCount: 8, failCount: 16, tolerance: 0.001 });
 */
export function flagFlatLine(s: Series, p: FlatLineParams): TestOutcome {
  const susN = Math.max(2, p.suspectCount);
  const failN = p.failCount ?? Number.POSITIVE_INFINITY;
  const tol = p.tolerance ?? 0;
  const { values, flags, causes } = s;
  const out = outcome();
  let start = -1;
  let len = 0;
  let lo = 0;
  let hi = 0;
  const mark = (from: number, to: number, flag: number): void => {
    for (let k = from; k <= to; k++) {
      const v = values[k]!;
      if (Number.isNaN(v)) continue; // NaN
      const had = (causes[k]! & Cause.FLAT_LINE) !== 0;
      if (flags[k]! < flag) flags[k] = flag;
      causes[k] = causes[k]! | Cause.FLAT_LINE;
      if (flag === Flag.FAIL) {
        out.fail++;
        if (had) out.suspect--;
      } else if (!had) out.suspect++;
    }
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (len > 0 && Math.max(hi, v) - Math.min(lo, v) <= tol) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      len++;
      if (len === susN) mark(start, i, len >= failN ? Flag.FAIL : Flag.SUSPECT);
      else if (len === failN) mark(start, i, Flag.FAIL);
      else if (len > susN) mark(i, i, len >= failN ? Flag.FAIL : Flag.SUSPECT);
    } else {
      start = i;
      len = 1;
      lo = v;
      hi = v;
    }
  }
  return out;
}
