/**
 * @module time/align
 * Aligns irregular readings (00:02/00:17 jitter, 14- and 16-minute steps) onto a regular
 * grid by an explicit rule, never using a reading further than the tolerance from the grid
 * point. Grid points with no usable reading are missing (flag 9, cause `GAP`), not invented.
 */
import { Cause, Flag, worstFlag } from '../flags.js';
import type { Series } from '../series.js';
import { createSeries } from '../series.js';
import { type Duration, durationMs } from './duration.js';

/**
 * - `nearest`: the value of the nearest reading within the tolerance (SaQC `nshift`).
 * - `time`: linear interpolation in time between the last reading at or before and the
 *   first at or after the grid point, both within the tolerance (SaQC `align(method='time')`).
 * - `mean`: the mean of the readings whose nearest grid point this is, within the tolerance.
 */
export type AlignMethod = 'nearest' | 'time' | 'mean';

/** Parameters of {@link alignSeries}. */
export interface AlignOptions {
  /** Grid step, e.g. `'15min'`; the grid is anchored at the Unix epoch (UTC). */
  freq: Duration;
  method?: AlignMethod;
  /** Furthest a reading may be from the grid point it feeds; default `freq` for `time`, `freq/2` otherwise. */
  tolerance?: Duration;
  /** Extend the grid to cover this span (epoch ms), e.g. so several variables share one grid. */
  span?: { start: number; end: number };
}

/** What alignment did. */
export interface AlignReport {
  readonly readings: number;
  readonly gridPoints: number;
  /** Grid points with no reading within the tolerance (now flag 9, cause `GAP`). */
  readonly missing: number;
  /** The largest distance between a grid point and a reading that fed it, in ms. */
  readonly maxDistanceMs: number;
}

/**
 * Aligns a time-ordered series onto a regular grid. Each grid point gets the worst flag
 * of the readings that fed it and the union of their causes, plus `ALIGNED` when its
 * value did not come from a reading exactly on the grid.
 *
 * @example
 * const { series } = alignSeries(level, { freq: '15min', method: 'time' });
 */
export function alignSeries(
  s: Series,
  options: AlignOptions,
): { series: Series; report: AlignReport } {
  const freq = durationMs(options.freq);
  if (!(freq > 0)) throw new RangeError('align: freq must be positive');
  const method = options.method ?? 'time';
  const tol =
    options.tolerance === undefined
      ? method === 'time'
        ? freq
        : freq / 2
      : durationMs(options.tolerance);
  // Only present values can feed the grid.
  const idx: number[] = [];
  for (let i = 0; i < s.time.length; i++) if (!Number.isNaN(s.values[i]!)) idx.push(i);
  const t = s.time;
  if (idx.length === 0) {
    const empty = createSeries(s.name, new Float64Array(0), new Float64Array(0));
    return { series: empty, report: { readings: 0, gridPoints: 0, missing: 0, maxDistanceMs: 0 } };
  }
  const first = Math.min(t[idx[0]!]!, options.span?.start ?? Number.POSITIVE_INFINITY);
  const last = Math.max(t[idx[idx.length - 1]!]!, options.span?.end ?? Number.NEGATIVE_INFINITY);
  let start = Math.floor(first / freq) * freq;
  let end = Math.ceil(last / freq) * freq;
  // The grid does not reach past what the readings (or the span) can feed.
  if (first - start > tol) start += freq;
  if (end - last > tol) end -= freq;
  const m = Math.round((end - start) / freq) + 1;
  const time = new Float64Array(m);
  const values = new Float64Array(m).fill(Number.NaN);
  const flags = new Uint8Array(m).fill(Flag.MISSING);
  const causes = new Uint32Array(m);
  let missing = 0;
  let maxDistance = 0;
  let p = 0; // first reading index (into idx) with time > g - tol ... advanced monotonically
  for (let g = 0; g < m; g++) {
    const gt = start + g * freq;
    time[g] = gt;
    while (p < idx.length && t[idx[p]!]! < gt - tol) p++;
    // readings idx[p..] have time >= gt - tol
    let q = p;
    while (q < idx.length && t[idx[q]!]! <= gt) q++;
    // idx[q-1] is the last reading <= gt (if q > p), idx[q] the first > gt
    const before = q > p ? idx[q - 1]! : -1;
    const after = q < idx.length && t[idx[q]!]! - gt <= tol ? idx[q]! : -1;
    if (method === 'time') {
      if (before >= 0 && t[before] === gt) {
        values[g] = s.values[before]!;
        flags[g] = s.flags[before]!;
        causes[g] = s.causes[before]!;
      } else if (before >= 0 && after >= 0) {
        const w = (gt - t[before]!) / (t[after]! - t[before]!);
        values[g] = s.values[before]! + w * (s.values[after]! - s.values[before]!);
        flags[g] = worstFlag(s.flags[before]!, s.flags[after]!);
        causes[g] = s.causes[before]! | s.causes[after]! | Cause.ALIGNED;
        maxDistance = Math.max(maxDistance, gt - t[before]!, t[after]! - gt);
      }
    } else if (method === 'nearest') {
      let pick = -1;
      if (before >= 0 && after >= 0) pick = gt - t[before]! <= t[after]! - gt ? before : after;
      else pick = before >= 0 ? before : after;
      if (pick >= 0) {
        values[g] = s.values[pick]!;
        flags[g] = s.flags[pick]!;
        causes[g] = s.causes[pick]! | (t[pick] === gt ? 0 : Cause.ALIGNED);
        maxDistance = Math.max(maxDistance, Math.abs(t[pick]! - gt));
      }
    } else {
      let sum = 0;
      let count = 0;
      let flag: number = Flag.NOT_EVALUATED;
      let cause = 0;
      let moved = false;
      for (let k = p; k < idx.length; k++) {
        const i = idx[k]!;
        const d = t[i]! - gt;
        if (d > tol || d >= freq / 2) break;
        if (d < -freq / 2) continue; // belongs to the previous grid point
        sum += s.values[i]!;
        count++;
        flag = worstFlag(flag, s.flags[i]!);
        cause |= s.causes[i]!;
        if (d !== 0) moved = true;
        maxDistance = Math.max(maxDistance, Math.abs(d));
      }
      if (count > 0) {
        values[g] = sum / count;
        flags[g] = flag;
        causes[g] = cause | (count > 1 || moved ? Cause.ALIGNED : 0);
      }
    }
    if (Number.isNaN(values[g]!)) {
      flags[g] = Flag.MISSING;
      causes[g] = Cause.GAP;
      missing++;
    }
  }
  const series = createSeries(s.name, time, values, {
    flags,
    causes,
    ...(s.unit === undefined ? {} : { unit: s.unit }),
  });
  return {
    series,
    report: { readings: idx.length, gridPoints: m, missing, maxDistanceMs: maxDistance },
  };
}
