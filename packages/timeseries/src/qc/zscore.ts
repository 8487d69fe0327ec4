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
  const shift = firstUsable(s);
  if (Number.isNaN(shift)) return z;
  const half = durationMs(p.window) / 2;
  const minPeriods = Math.max(2, p.minPeriods ?? 2);
  const { time, values, flags } = s;
  const n = values.length;
  let lo = 0;
  let hi = 0; // window is [lo, hi)
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    const until = t + half;
    for (; hi < n && time[hi]! <= until; hi++) {
      const v = values[hi]!;
      if (!Number.isNaN(v) && flags[hi]! < Flag.FAIL) {
        const d = v - shift;
        count++;
        sum += d;
        sumSq += d * d;
      }
    }
    const from = t - half;
    for (; time[lo]! < from; lo++) {
      const v = values[lo]!;
      if (!Number.isNaN(v) && flags[lo]! < Flag.FAIL) {
        const d = v - shift;
        count--;
        sum -= d;
        sumSq -= d * d;
      }
    }
    const v = values[i]!;
    if (count < minPeriods || Number.isNaN(v) || flags[i]! >= Flag.FAIL) continue;
    const mean = sum / count;
    const variance = Math.max(0, (sumSq - sum * mean) / (count - 1));
    z[i] = variance > 0 ? (v - shift - mean) / Math.sqrt(variance) : 0;
  }
  return z;
}

/** The first present, not-failed value: the shift that keeps the running sums small. */
function firstUsable(s: Series): number {
  const { values, flags } = s;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v) && flags[i]! < Flag.FAIL) return v;
  }
  return Number.NaN;
}

/**
 * Flags values whose rolling |z| exceeds `threshold` as suspect, cause `ZSCORE`.
 *
 * The same scan as {@link rollingZScore} without a score per point: with `c` values in
 * the window, `S` and `Q` their (shifted) sum and sum of squares and `D = c·x − S`,
 * `|z| > k` is `D²·(c − 1) > k²·c·(c·Q − S²)` (and `c·Q − S² > 0`), so the hot loop has
 * no division and no square root.
 *
 * @example
 * flagZScore(level, { window: '20D', threshold: 4 });
 */
export function flagZScore(s: Series, p: ZScoreParams & { threshold: number }): TestOutcome {
  const out = outcome();
  const shift = firstUsable(s);
  if (Number.isNaN(shift)) return out;
  const state = new Float64Array(STATE_SIZE);
  state[HALF] = durationMs(p.window) / 2;
  state[MIN_PERIODS] = Math.max(2, p.minPeriods ?? 2);
  state[K2] = p.threshold * p.threshold;
  state[SHIFT] = shift;
  const n = s.values.length;
  // Chunks, so that V8 optimises the kernel as a function after a few calls instead of
  // running one long call in on-stack-replaced code (measured 2-3x slower here).
  const time = s.time;
  const half = state[HALF]!;
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    // On a regular stretch (every step the same) the window is a fixed number of points
    // either side, and the scan needs no timestamps.
    const reach = regularReach(time, from, to, half);
    if (reach >= 0) {
      regularKernel(s.values, s.flags, s.causes, from, to, reach, state);
    } else {
      zScoreKernel(time, s.values, s.flags, s.causes, from, to, state);
    }
  }
  out.suspect = state[FLAGGED]!;
  return out;
}

const CHUNK = 1 << 15;
// Slots of the kernel's state between chunks.
const LO = 0;
const HI = 1;
const COUNT = 2;
const SUM = 3;
const SUM_SQ = 4;
const FLAGGED = 5;
const HALF = 6;
const MIN_PERIODS = 7;
const K2 = 8;
const SHIFT = 9;
const STATE_SIZE = 10;

/** The rolling scan over points `[from, to)`, carrying the window in `state`. */
function zScoreKernel(
  time: Float64Array,
  values: Float64Array,
  flags: Uint8Array,
  causes: Uint32Array,
  from: number,
  to: number,
  state: Float64Array,
): void {
  const n = values.length;
  const half = state[HALF]!;
  const minPeriods = state[MIN_PERIODS]!;
  const k2 = state[K2]!;
  const shift = state[SHIFT]!;
  let lo = state[LO]!;
  let hi = state[HI]!; // window is [lo, hi)
  let count = state[COUNT]!;
  let sum = state[SUM]!;
  let sumSq = state[SUM_SQ]!;
  let flagged = state[FLAGGED]!;
  for (let i = from; i < to; i++) {
    const t = time[i]!;
    const until = t + half;
    for (; hi < n && time[hi]! <= until; hi++) {
      const v = values[hi]!;
      if (!Number.isNaN(v) && flags[hi]! < Flag.FAIL) {
        const d = v - shift;
        count++;
        sum += d;
        sumSq += d * d;
      }
    }
    const since = t - half;
    for (; time[lo]! < since; lo++) {
      const v = values[lo]!;
      if (!Number.isNaN(v) && flags[lo]! < Flag.FAIL) {
        const d = v - shift;
        count--;
        sum -= d;
        sumSq -= d * d;
      }
    }
    const spread = count * sumSq - sum * sum; // c·(c − 1)·variance
    const dev = (values[i]! - shift) * count - sum; // c·(x − mean); NaN when x is missing
    // The rare outlier is checked for everything else (too few values, failed point) only
    // after the comparison: reading the flag of every point here, or an early `continue`,
    // measured 2-3x slower under V8.
    if (
      dev * dev * (count - 1) > k2 * count * spread &&
      spread > 0 &&
      count >= minPeriods &&
      flags[i]! < Flag.FAIL
    ) {
      if (flags[i]! < Flag.SUSPECT) flags[i] = Flag.SUSPECT;
      causes[i] = causes[i]! | Cause.ZSCORE;
      flagged++;
    }
  }
  state[LO] = lo;
  state[HI] = hi;
  state[COUNT] = count;
  state[SUM] = sum;
  state[SUM_SQ] = sumSq;
  state[FLAGGED] = flagged;
}

/**
 * If the timestamps that points `[from, to)` and their windows can reach are equally
 * spaced, the number of points a window reaches either side (`A` with `A·step <= half <
 * (A+1)·step`); otherwise -1. Timestamps are integers of ms, so equal steps make
 * `time[i + k] = time[i] + k·step` exact and the index window equals the time window.
 */
function regularReach(time: Float64Array, from: number, to: number, half: number): number {
  const n = time.length;
  if (to - from < 2 || n < 2) return -1;
  const step = time[from + 1]! - time[from]!;
  if (!(step > 0) || !Number.isInteger(step) || !Number.isInteger(time[from]!)) return -1;
  let reach = Math.floor(half / step);
  while ((reach + 1) * step <= half) reach++;
  while (reach > 0 && reach * step > half) reach--;
  const a = Math.max(0, from - reach - 1);
  const b = Math.min(n - 1, to + reach);
  for (let k = a; k < b; k++) if (time[k + 1]! - time[k]! !== step) return -1;
  return reach;
}

/** {@link zScoreKernel} on a regular stretch: the window of `i` is `[i − reach, i + reach]`. */
function regularKernel(
  values: Float64Array,
  flags: Uint8Array,
  causes: Uint32Array,
  from: number,
  to: number,
  reach: number,
  state: Float64Array,
): void {
  const n = values.length;
  const minPeriods = state[MIN_PERIODS]!;
  const k2 = state[K2]!;
  const shift = state[SHIFT]!;
  let lo = state[LO]!;
  let hi = state[HI]!;
  let count = state[COUNT]!;
  let sum = state[SUM]!;
  let sumSq = state[SUM_SQ]!;
  let flagged = state[FLAGGED]!;
  // Bring the window to that of `from` (the previous chunk may have ended elsewhere).
  const firstHi = Math.min(n, from + reach + 1);
  for (; hi < firstHi; hi++) {
    const v = values[hi]!;
    if (!Number.isNaN(v) && flags[hi]! < Flag.FAIL) {
      const d = v - shift;
      count++;
      sum += d;
      sumSq += d * d;
    }
  }
  const firstLo = Math.max(0, from - reach);
  for (; lo < firstLo; lo++) {
    const v = values[lo]!;
    if (!Number.isNaN(v) && flags[lo]! < Flag.FAIL) {
      const d = v - shift;
      count--;
      sum -= d;
      sumSq -= d * d;
    }
  }
  for (let i = from; i < to; i++) {
    // the window of i is [i − reach, i + reach]: one point enters, one leaves
    if (i > from) {
      const h = i + reach;
      if (h < n) {
        const v = values[h]!;
        if (!Number.isNaN(v) && flags[h]! < Flag.FAIL) {
          const d = v - shift;
          count++;
          sum += d;
          sumSq += d * d;
        }
      }
      const l = i - reach - 1;
      if (l >= 0) {
        const v = values[l]!;
        if (!Number.isNaN(v) && flags[l]! < Flag.FAIL) {
          const d = v - shift;
          count--;
          sum -= d;
          sumSq -= d * d;
        }
      }
    }
    const spread = count * sumSq - sum * sum;
    const dev = (values[i]! - shift) * count - sum;
    if (
      dev * dev * (count - 1) > k2 * count * spread &&
      spread > 0 &&
      count >= minPeriods &&
      flags[i]! < Flag.FAIL
    ) {
      if (flags[i]! < Flag.SUSPECT) flags[i] = Flag.SUSPECT;
      causes[i] = causes[i]! | Cause.ZSCORE;
      flagged++;
    }
  }
  state[LO] = Math.max(0, to - 1 - reach);
  state[HI] = Math.min(n, to + reach);
  state[COUNT] = count;
  state[SUM] = sum;
  state[SUM_SQ] = sumSq;
  state[FLAGGED] = flagged;
}
