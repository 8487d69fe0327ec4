/**
 * @module saqc/stray
 * SaQC's `flagByStray`: the STRAY threshold (Talagala, Hyndman & Smith-Miles 2021) on
 * one-dimensional scores, per chunk. Scores are sorted; from the `iter_start` quantile
 * upwards, the first gap between consecutive scores that exceeds `log(1/alpha)` times a
 * weighted mean of the preceding gaps marks the cut-off, and every score above it is an
 * outlier. Chunks with fewer than `minPeriods` scores are left alone. O(c log c) per chunk.
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { type Duration, durationMs } from '../time/duration.js';
import { chunkStarts } from './chunks.js';

/** Parameters of {@link flagByStray} (SaQC's defaults). */
export interface StrayParams {
  /** Chunk length, e.g. `'20D'`; default: all scores at once. */
  window?: Duration;
  /** Default 11. */
  minPeriods?: number;
  /** Share of scores assumed normal; the search starts above it. Default 0.5. */
  iterStart?: number;
  /** Significance level. Default 0.05. */
  alpha?: number;
}

/**
 * Indices (into `scores`) that STRAY marks as outliers.
 *
 * @example
 * strayOutliers(Float64Array.of(1, 1.1, 0.9, 1, 1.05, 0.95, 1, 1.02, 0.98, 1, 1.01, 9));
 */
export function strayOutliers(
  scores: Float64Array,
  minPeriods = 11,
  iterStart = 0.5,
  alpha = 0.05,
): number[] {
  const n = scores.length;
  if (n === 0 || n < minPeriods) return [];
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => scores[a]! - scores[b]!,
  );
  const gaps = new Float64Array(n);
  for (let i = 1; i < n; i++) gaps[i] = scores[order[i]!]! - scores[order[i - 1]!]!;
  const tail = Math.trunc(Math.max(Math.min(Math.floor(n / 4), 50), 2));
  const start = Math.trunc(Math.max(Math.floor(n * iterStart), 1));
  const logAlpha = Math.log(1 / alpha);
  for (let i = start; i < n; i++) {
    let ghat = 0;
    for (let j = 2; j <= tail; j++) {
      const g = i - j + 1;
      ghat += (j / (tail - 1)) * (g >= 0 ? gaps[g]! : gaps[n + g]!); // numpy wraps negative indices
    }
    if (gaps[i]! > logAlpha * ghat) return Array.from(order.subarray(i));
  }
  return [];
}

/**
 * Fails the points of a score series that STRAY marks, per chunk, cause `STRAY`; returns
 * how many. Missing scores are skipped, as SaQC drops them first.
 *
 * @example
 * flagByStray(kNNScores, { window: '20D' });
 */
export function flagByStray(s: Series, p: StrayParams = {}): number {
  const present: number[] = [];
  for (let i = 0; i < s.values.length; i++) if (!Number.isNaN(s.values[i]!)) present.push(i);
  const time = Float64Array.from(present, (i) => s.time[i]!);
  const starts =
    p.window === undefined ? [0, present.length] : chunkStarts(time, durationMs(p.window));
  let flagged = 0;
  for (let c = 0; c + 1 < starts.length; c++) {
    const a = starts[c]!;
    const b = starts[c + 1]!;
    const chunk = Float64Array.from(present.slice(a, b), (i) => s.values[i]!);
    for (const k of strayOutliers(chunk, p.minPeriods ?? 11, p.iterStart ?? 0.5, p.alpha ?? 0.05)) {
      const i = present[a + k]!;
      if (s.flags[i]! < Flag.FAIL) s.flags[i] = Flag.FAIL;
      s.causes[i] = s.causes[i]! | Cause.STRAY;
      flagged++;
    }
  }
  return flagged;
}
