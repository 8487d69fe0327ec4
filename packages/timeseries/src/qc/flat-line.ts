/**
 * @module qc/flat-line
 * Flat-line test (QARTOD): a stuck sensor repeats a value. When `suspectCount` (or
 * `failCount`) consecutive present values stay within `tolerance` of each other
 * (max - min), every point of the run is flagged, from its first point. O(n), one
 * run-length scan: each run is extended while its running min and max stay within the
 * tolerance, a new run starts at the value that breaks it, and only runs long enough to
 * be flagged are visited a second time to mark them.
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
 * Flags runs of repeated values, cause `FLAT_LINE`: a run of at least `failCount`
 * present values fails as a whole, one of at least `suspectCount` is suspect as a whole.
 * Missing values neither extend nor break a run.
 *
 * @example
 * flagFlatLine(level, { suspectCount: 8, failCount: 16, tolerance: 0.001 });
 */
export function flagFlatLine(s: Series, p: FlatLineParams): TestOutcome {
  const susN = Math.max(2, p.suspectCount);
  const failN = p.failCount ?? Number.POSITIVE_INFINITY;
  const minN = Math.min(susN, failN);
  const tol = p.tolerance ?? 0;
  const values = s.values;
  const n = values.length;
  const out = outcome();
  let i = 0;
  while (i < n && Number.isNaN(values[i]!)) i++;
  while (i < n) {
    // A run starts at i (present); extend it while the spread stays within tol.
    const start = i;
    let lo = values[i]!;
    let hi = lo;
    let len = 1;
    let last = i;
    i++;
    for (; i < n; i++) {
      const v = values[i]!;
      if (v < lo) {
        if (hi - v > tol) break;
        lo = v;
      } else if (v > hi) {
        if (v - lo > tol) break;
        hi = v;
      } else if (Number.isNaN(v)) continue; // missing: neither extends nor breaks the run
      len++;
      last = i;
    }
    if (len >= minN) markRun(s, start, last, len >= failN ? Flag.FAIL : Flag.SUSPECT, out);
    // i is now the value that broke the run (present) or n
  }
  return out;
}

/** Marks the present points of `[from, to]`; each point counts once, at its worst. */
function markRun(s: Series, from: number, to: number, flag: number, out: TestOutcome): void {
  const { values, flags, causes } = s;
  for (let k = from; k <= to; k++) {
    if (Number.isNaN(values[k]!)) continue;
    const had = (causes[k]! & Cause.FLAT_LINE) !== 0;
    if (flags[k]! < flag) flags[k] = flag;
    causes[k] = causes[k]! | Cause.FLAT_LINE;
    if (flag === Flag.FAIL) {
      out.fail++;
      if (had) out.suspect--;
    } else if (!had) out.suspect++;
  }
}
