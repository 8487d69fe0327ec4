/**
 * @module qc/zscore
 * Rolling z-score: each value is compared with the mean and sample standard deviation of
 * the present, not-failed values in a centred time window. O(n): two pointers move over
 * the window and running sums are updated; sums are taken about a fixed shift (the first
 * value) so that subtracting old terms does not cancel catastrophically.
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { type Duration, durationMs } from '../time/duration.js';
import { outcome, type TestOutcome } from './outcome.js';

/** Parameters of {@link rollingZScore} and {@link flagZScore}. */
export interface ZScoreParams {
  /** Window length, centred on each point, e.g. `'20D'`. */
  window: Duration;
  /** Fewest values in the window for a score; default 2. */
  minPeriods?: number;
}

/**
 * The rolling z-score of every point (`NaN` where the window has too few values or the
 * point is missing or failed).
 *
 * @example
 * const z = rollingZScore(level, { window: '20D' });
 */
export function rollingZScore(s: Series, p: ZScoreParams): Float64Array {
  const z = new Float64Array(s.values.length).fill(Number.NaN);
  scanZScore(s, p, z, Number.POSITIVE_INFINITY);
  return z;
}

/**
 * The rolling scan: writes scores into `z` (if given) and flags points whose |z| exceeds
 * `threshold`; returns how many it flagged.
 */
function scanZScore(s: Series, p: ZScoreParams, z: Float64Array | null, threshold: number): number {
  const half = durationMs(p.window) / 2;
  const minPeriods = Math.max(2, p.minPeriods ?? 2);
  const { time, values, flags, causes } = s;
  const n = values.length;
  let flagged = 0;
  let shift = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(values[i]!) && flags[i]! < Flag.FAIL) {
      shift = values[i]!;
      break;
    }
  }
  if (Number.isNaN(shift)) return 0;
  let lo = 0;
  let hi = 0; // window is [lo, hi)
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    while (hi < n && time[hi]! <= t + half) {
      const v = values[hi]!;
      if (!Number.isNaN(v) && flags[hi]! < Flag.FAIL) {
        const d = v - shift;
        count++;
        sum += d;
        sumSq += d * d;
      }
      hi++;
    }
    while (time[lo]! < t - half) {
      const v = values[lo]!;
      if (!Number.isNaN(v) && flags[lo]! < Flag.FAIL) {
        const d = v - shift;
        count--;
        sum -= d;
        sumSq -= d * d;
      }
      lo++;
    }
    const v = values[i]!;
    if (count < minPeriods || Number.isNaN(v) || flags[i]! >= Flag.FAIL) continue;
    const mean = sum / count;
    const variance = Math.max(0, (sumSq - sum * mean) / (count - 1));
    const score = variance > 0 ? (v - shift - mean) / Math.sqrt(variance) : 0;
    if (z !== null) z[i] = score;
    if (Math.abs(score) > threshold) {
      if (flags[i]! < Flag.SUSPECT) flags[i] = Flag.SUSPECT;
      causes[i] = causes[i]! | Cause.ZSCORE;
      flagged++;
    }
  }
  return flagged;
}

/**
 * Flags values whose rolling |z| exceeds `threshold` as suspect, cause `ZSCORE`.
 *
 * @example
 * flagZScore(level, { window: '20D', threshold: 4 });
 */
export function flagZScore(s: Series, p: ZScoreParams & { threshold: number }): TestOutcome {
  const out = outcome();
  out.suspect = scanZScore(s, p, null, p.threshold);
  return out;
}
