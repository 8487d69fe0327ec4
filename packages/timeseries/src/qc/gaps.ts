/**
 * @module qc/gaps
 * Gap test: missing values are flag 9, and runs of them (or steps between readings longer
 * than expected) are counted so a report can say how much of the record is absent.
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';

/** What {@link flagGaps} found. */
export interface GapSummary {
  /** Points with no value. */
  missingPoints: number;
  /** Runs of missing points plus steps longer than `maxStep`. */
  gaps: number;
  /** The longest stretch without a value, in ms (from the last value to the next). */
  longestMs: number;
}

/**
 * Flags missing values 9 (cause `GAP` unless the source already said `MISSING_VALUE`)
 * and counts gaps. The series must be in time order.
 *
 * @example
 * const { gaps, longestMs } = flagGaps(level, { maxStep: 20 * 60_000 });
 */
export function flagGaps(s: Series, options: { maxStep?: number } = {}): GapSummary {
  const maxStep = options.maxStep ?? Number.POSITIVE_INFINITY;
  const { time, values, flags, causes } = s;
  let missingPoints = 0;
  let gaps = 0;
  let longest = 0;
  let lastT = Number.NaN;
  let inGap = false;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i]!)) {
      flags[i] = Flag.MISSING;
      const c = causes[i]!;
      if ((c & (Cause.MISSING_VALUE | Cause.GAP)) === 0) causes[i] = c | Cause.GAP;
      missingPoints++;
      if (!inGap) gaps++;
      inGap = true;
      continue;
    }
    const t = time[i]!;
    const step = t - lastT;
    // the common case (a present value after a present value, a regular step) skips this
    if (inGap || step > maxStep) {
      if (!inGap) gaps++;
      if (step > longest) longest = step;
      inGap = false;
    }
    lastT = t;
  }
  return { missingPoints, gaps, longestMs: longest };
}
