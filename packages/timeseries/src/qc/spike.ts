/**
 * @module qc/spike
 * Spike test. A point is a spike when it stands outside the span of its two neighbours by
 * more than a threshold: the height is `|x - (a + b)/2| - |b - a|/2`, which is zero for a
 * point on a steep but monotone limb (a rising flood) and large for a lone excursion
 * (1 m -> 5 m -> 1 m). This differs from QARTOD's `|x - (a + b)/2|` on purpose: QARTOD's
 * form flags the steepest points of every real hydrograph. On `scale: 'log'` heights are
 * measured in natural-log units (a ratio), which suits quantities such as discharge that
 * vary by orders of magnitude.
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { outcome, type TestOutcome } from './outcome.js';

/** Thresholds of {@link flagSpike}, in the series' units (or log units). */
export interface SpikeParams {
  suspect: number;
  fail?: number;
  scale?: 'linear' | 'log';
}

/**
 * Flags spikes, cause `SPIKE`. Points at either end, and points with a missing neighbour,
 * are not evaluated.
 *
 * @example
 * flagSpike(level, { suspect: 0.5, fail: 2 });
 */
export function flagSpike(s: Series, p: SpikeParams): TestOutcome {
  const susT = p.suspect;
  const failT = p.fail ?? Number.POSITIVE_INFINITY;
  const log = p.scale === 'log';
  const { values, flags, causes } = s;
  const out = outcome();
  const n = values.length;
  if (n < 3) return out;
  let a = log ? safeLog(values[0]!) : values[0]!;
  let x = log ? safeLog(values[1]!) : values[1]!;
  for (let i = 1; i < n - 1; i++) {
    const b = log ? safeLog(values[i + 1]!) : values[i + 1]!;
    // NaN (missing, or log of a non-positive value) makes every comparison false.
    const height = Math.abs(x - (a + b) * 0.5) - Math.abs(b - a) * 0.5;
    if (height > susT) {
      if (height > failT) {
        if (flags[i]! < Flag.FAIL) flags[i] = Flag.FAIL;
        out.fail++;
      } else {
        if (flags[i]! < Flag.SUSPECT) flags[i] = Flag.SUSPECT;
        out.suspect++;
      }
      causes[i] = causes[i]! | Cause.SPIKE;
    }
    a = x;
    x = b;
  }
  return out;
}

/** Log of a positive value; `NaN` (not evaluated) for zero or negative ones. */
export function safeLog(v: number): number {
  return v > 0 ? Math.log(v) : Number.NaN;
}
