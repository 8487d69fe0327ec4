/**
 * @module saqc/drift
 * SaQC's `correctDrift(model='exponential')`. Between the end of one maintenance event and
 * the start of the next, a sensor drifts; at the next maintenance it is cleaned and jumps
 * back. With origin = mean of the first `calRange` values after a maintenance and target =
 * mean of the last `calRange` before the next, the drift model is
 *
 *   M(x; c) = origin + (target - origin) · (e^{c·x} - 1) / (e^c - 1),   x ∈ [0, 1]
 *
 * (x is time scaled to the interval), with c ≥ 0 fitted by least squares. Each value is
 * moved by M(x; c, origin, newTarget) - M(x; c, origin, target), where newTarget is the
 * mean of the first `calRange` values after the next maintenance: the drifted end is
 * pulled to the level the cleaned sensor reads.
 *
 * Deviations from SaQC: c is fitted by a global search (log grid, then golden section)
 * rather than SciPy's local `curve_fit` from c = 1, so a fit never "fails"; and the last
 * interval before the final maintenance takes its newTarget from the values after that
 * maintenance, where SaQC's group shift leaves it without a target (NaN).
 */
import { Cause, Flag } from '../flags.js';
import type { ManualInterval } from '../qc/manual.js';
import { lowerBound } from '../qc/manual.js';
import type { Series } from '../series.js';
import { cloneSeries } from '../series.js';

/** The exponential drift model; `c` near 0 is the linear limit. */
export function expDriftModel(x: number, c: number, origin: number, target: number): number {
  const cc = Math.abs(c);
  if (cc < 1e-9) return origin + (target - origin) * x;
  return origin + ((target - origin) * Math.expm1(cc * x)) / Math.expm1(cc);
}

/** What {@link correctDrift} did per inter-maintenance interval. */
export interface DriftFit {
  from: number;
  to: number;
  points: number;
  c: number;
  origin: number;
  target: number;
  newTarget: number;
}

function sse(x: Float64Array, y: Float64Array, c: number, origin: number, target: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const r = y[i]! - expDriftModel(x[i]!, c, origin, target);
    s += r * r;
  }
  return s;
}

/** The c ≥ 0 minimising the squared error of the model, searched on [0, 50]. */
export function fitDriftRate(
  x: Float64Array,
  y: Float64Array,
  origin: number,
  target: number,
): number {
  let bestC = 0;
  let bestE = sse(x, y, 0, origin, target);
  const grid: number[] = [];
  for (let k = -3; k <= 1.7; k += 0.1) grid.push(10 ** k);
  for (const c of grid) {
    const e = sse(x, y, c, origin, target);
    if (e < bestE) {
      bestE = e;
      bestC = c;
    }
  }
  let lo = bestC / 1.3;
  let hi = Math.max(bestC * 1.3, 1e-3);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = sse(x, y, a, origin, target);
  let fb = sse(x, y, b, origin, target);
  for (let it = 0; it < 40; it++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = sse(x, y, a, origin, target);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = sse(x, y, b, origin, target);
    }
  }
  const c = (lo + hi) / 2;
  return sse(x, y, c, origin, target) < bestE ? c : bestC;
}

function meanOf(values: Float64Array, idx: readonly number[]): number {
  let s = 0;
  for (const i of idx) s += values[i]!;
  return s / idx.length;
}

/**
 * A drift-corrected copy of `s` named `target`. Values flagged fail or worse are masked
 * (neither fitted nor corrected); corrected points get cause `DRIFT_CORRECTED`.
 *
 * @example
 * const { series: sacCorr } = correctDrift(sac, maintenance, 'sac254_corr');
 */
export function correctDrift(
  s: Series,
  maintenance: readonly ManualInterval[],
  target: string,
  options: { calRange?: number } = {},
): { series: Series; fits: DriftFit[] } {
  const calRange = options.calRange ?? 5;
  const out = cloneSeries(s, target);
  const maint = [...maintenance].sort((p, q) => p.start - q.start);
  const { time, values, flags } = s;
  const clean = (from: number, to: number): number[] => {
    const idx: number[] = [];
    for (let i = lowerBound(time, from); i < time.length && time[i]! <= to; i++) {
      if (!Number.isNaN(values[i]!) && flags[i]! < Flag.FAIL) idx.push(i);
    }
    return idx;
  };
  const fits: DriftFit[] = [];
  for (let k = 0; k + 1 < maint.length; k++) {
    const from = maint[k]!.end;
    const to = maint[k + 1]!.start;
    const group = clean(from, to);
    const next = clean(maint[k + 1]!.end, maint[k + 2]?.start ?? Number.POSITIVE_INFINITY);
    if (group.length === 0 || next.length === 0) continue;
    const t0 = time[group[0]!]!;
    const span = time[group[group.length - 1]!]! - t0;
    const x = Float64Array.from(group, (i) => (span > 0 ? (time[i]! - t0) / span : 0));
    const y = Float64Array.from(group, (i) => values[i]!);
    const origin = meanOf(values, group.slice(0, calRange));
    const end = meanOf(values, group.slice(-calRange));
    const newTarget = meanOf(values, next.slice(0, calRange));
    const c = fitDriftRate(x, y, origin, end);
    group.forEach((i, r) => {
      const xr = x[r]!;
      out.values[i] =
        values[i]! + expDriftModel(xr, c, origin, newTarget) - expDriftModel(xr, c, origin, end);
      out.causes[i] = out.causes[i]! | Cause.DRIFT_CORRECTED;
    });
    fits.push({ from, to, points: group.length, c, origin, target: end, newTarget });
  }
  return { series: out, fits };
}
