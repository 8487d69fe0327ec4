/**
 * @module data/metrics
 * Skill scores of a discharge forecast, per basin: Nash–Sutcliffe efficiency and the
 * Kling–Gupta efficiency (Gupta et al. 2009), on the pairs where both the observation and
 * the simulation are numbers (`NaN` pairs, e.g. masked targets, are left out). Undefined
 * scores (no pairs, an observed series without variance, a zero observed mean for β) are
 * `NaN`, and {@link median} skips them. The baseline is 1-day persistence.
 */
import type { Samples } from '../samples.js';

const DAY_MS = 86_400_000;

type Numbers = ArrayLike<number>;

function checkLengths(observed: Numbers, simulated: Numbers): void {
  if (observed.length !== simulated.length) {
    throw new RangeError(`${observed.length} observations but ${simulated.length} simulations`);
  }
}

/** Nash–Sutcliffe efficiency: `1 − Σ(s − o)² / Σ(o − ō)²` over the pairs without `NaN`. */
export function nse(observed: Numbers, simulated: Numbers): number {
  checkLengths(observed, simulated);
  let n = 0;
  let sum = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    const s = simulated[i]!;
    if (Number.isNaN(o) || Number.isNaN(s)) continue;
    n++;
    sum += o;
  }
  if (n === 0) return Number.NaN;
  const mean = sum / n;
  let err = 0;
  let variance = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    const s = simulated[i]!;
    if (Number.isNaN(o) || Number.isNaN(s)) continue;
    err += (s - o) ** 2;
    variance += (o - mean) ** 2;
  }
  return variance === 0 ? Number.NaN : 1 - err / variance;
}

/** KGE and its three components. */
export interface Kge {
  /** `1 − √((r − 1)² + (α − 1)² + (β − 1)²)`. */
  readonly kge: number;
  /** Pearson correlation of simulation and observation. */
  readonly r: number;
  /** Variability ratio `σs / σo`. */
  readonly alpha: number;
  /** Bias ratio `μs / μo`. */
  readonly beta: number;
  /** Pairs used. */
  readonly n: number;
}

/** Kling–Gupta efficiency (Gupta et al. 2009) over the pairs without `NaN`. */
export function kge(observed: Numbers, simulated: Numbers): Kge {
  checkLengths(observed, simulated);
  let n = 0;
  let so = 0;
  let ss = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    const s = simulated[i]!;
    if (Number.isNaN(o) || Number.isNaN(s)) continue;
    n++;
    so += o;
    ss += s;
  }
  if (n === 0) return { kge: Number.NaN, r: Number.NaN, alpha: Number.NaN, beta: Number.NaN, n };
  const mo = so / n;
  const ms = ss / n;
  let voo = 0;
  let vss = 0;
  let vos = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    const s = simulated[i]!;
    if (Number.isNaN(o) || Number.isNaN(s)) continue;
    voo += (o - mo) ** 2;
    vss += (s - ms) ** 2;
    vos += (o - mo) * (s - ms);
  }
  const r = voo === 0 || vss === 0 ? Number.NaN : vos / Math.sqrt(voo * vss);
  const alpha = voo === 0 ? Number.NaN : Math.sqrt(vss / voo);
  const beta = mo === 0 ? Number.NaN : ms / mo;
  const kge = 1 - Math.sqrt((r - 1) ** 2 + (alpha - 1) ** 2 + (beta - 1) ** 2);
  return { kge, r, alpha, beta, n };
}

/** Median of the values that are numbers; `NaN` if there are none. */
export function median(values: Numbers): number {
  const v = Float64Array.from(values).filter((x) => !Number.isNaN(x));
  if (v.length === 0) return Number.NaN;
  v.sort();
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Normalised targets or predictions back in the target's unit: `y × std + mean`. */
export function denormalise(
  y: Numbers,
  target: { readonly mean: number; readonly std: number },
): Float64Array {
  return Float64Array.from(y, (v) => v * target.std + target.mean);
}

/**
 * The 1-day persistence forecast for each date: the series' value on the day before, or
 * `NaN` where that day is absent, `NaN`, or (if the series has validity) invalid.
 * `time` holds whole days (00:00 UTC), as the CAMELS readers stamp them.
 */
export function persistence(
  series: {
    readonly time: Float64Array;
    readonly values: Float64Array;
    readonly validity?: Uint8Array;
  },
  dates: Numbers,
): Float64Array {
  const byDay = new Map<number, number>();
  for (let i = 0; i < series.time.length; i++) {
    const valid = series.validity === undefined || series.validity[i] !== 0;
    byDay.set(series.time[i]!, valid ? series.values[i]! : Number.NaN);
  }
  return Float64Array.from(dates, (d) => byDay.get(d - DAY_MS) ?? Number.NaN);
}

/** Scores of one basin. */
export interface BasinScore {
  readonly basin: string;
  readonly nse: number;
  readonly kge: Kge;
}

/**
 * NSE and KGE per basin of a sample set's split. `observed` and `simulated` are aligned
 * with the samples (e.g. `denormalise(samples.y, set.target)` and the model's output in the
 * same unit); basins without samples get `NaN` scores.
 */
export function scoreByBasin(
  samples: Pick<Samples, 'count' | 'basin'>,
  basins: readonly string[],
  observed: Numbers,
  simulated: Numbers,
): BasinScore[] {
  checkLengths(observed, simulated);
  if (observed.length !== samples.count) {
    throw new RangeError(`${observed.length} values for ${samples.count} samples`);
  }
  const members: number[][] = basins.map(() => []);
  for (let i = 0; i < samples.count; i++) members[samples.basin[i]!]!.push(i);
  return basins.map((basin, b) => {
    const idx = members[b]!;
    const o = Float64Array.from(idx, (i) => observed[i]!);
    const s = Float64Array.from(idx, (i) => simulated[i]!);
    return { basin, nse: nse(o, s), kge: kge(o, s) };
  });
}

/** Medians across basins (Kratzert et al. report the median NSE over basins). */
export function medianScores(scores: readonly BasinScore[]): { nse: number; kge: number } {
  return {
    nse: median(scores.map((s) => s.nse)),
    kge: median(scores.map((s) => s.kge.kge)),
  };
}
