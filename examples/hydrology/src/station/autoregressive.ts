/**
 * A linear autoregressive forecast of a series on a regular grid: the value `horizon` steps
 * ahead from the last `order` values, fitted by least squares. Small and transparent on
 * purpose: it shows what the training data does to a model, not what a model can do.
 */

export interface ArModel {
  readonly order: number;
  readonly horizon: number;
  /** Intercept, then one coefficient per lag (lag 0 = the latest value). */
  readonly coefficients: Float64Array;
  /** Training samples used. */
  readonly samples: number;
}

/** Whether the sample ending at `t` may be used: every value it reads (and its target) usable. */
export type Usable = (index: number) => boolean;

/** Fits on every sample whose inputs and target are finite and usable. */
export function fitAr(
  values: Float64Array,
  usable: Usable,
  order: number,
  horizon: number,
): ArModel {
  const n = order + 1;
  const xtx = new Float64Array(n * n);
  const xty = new Float64Array(n);
  const row = new Float64Array(n);
  let samples = 0;
  for (let t = order - 1; t + horizon < values.length; t++) {
    if (!sampleUsable(values, usable, t, order, horizon)) continue;
    row[0] = 1;
    for (let k = 0; k < order; k++) row[k + 1] = values[t - k]!;
    const y = values[t + horizon]!;
    for (let i = 0; i < n; i++) {
      xty[i]! += row[i]! * y;
      for (let j = 0; j < n; j++) xtx[i * n + j]! += row[i]! * row[j]!;
    }
    samples++;
  }
  // Too few samples to fit: a model that forecasts nothing (NaN), which says so by `samples`.
  if (samples < n)
    return { order, horizon, coefficients: new Float64Array(n).fill(Number.NaN), samples };
  return { order, horizon, coefficients: solve(xtx, xty, n), samples };
}

/** The forecast made at `t` for `t + horizon`, or NaN when an input is missing. */
export function forecastAt(model: ArModel, values: Float64Array, t: number): number {
  let y = model.coefficients[0]!;
  for (let k = 0; k < model.order; k++) {
    const x = values[t - k];
    if (x === undefined || !Number.isFinite(x)) return Number.NaN;
    y += model.coefficients[k + 1]! * x;
  }
  return y;
}

function sampleUsable(
  values: Float64Array,
  usable: Usable,
  t: number,
  order: number,
  horizon: number,
): boolean {
  const target = t + horizon;
  if (!usable(target) || !Number.isFinite(values[target]!)) return false;
  for (let k = 0; k < order; k++) {
    if (!usable(t - k) || !Number.isFinite(values[t - k]!)) return false;
  }
  return true;
}

/** Solves the symmetric system `a x = b` (n × n) by Gaussian elimination with partial pivoting. */
export function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs(m[r * n + c]!) > Math.abs(m[pivot * n + c]!)) pivot = r;
    if (Math.abs(m[pivot * n + c]!) < 1e-12)
      throw new Error('singular system: inputs are collinear');
    if (pivot !== c) {
      for (let k = 0; k < n; k++)
        [m[c * n + k], m[pivot * n + k]] = [m[pivot * n + k]!, m[c * n + k]!];
      [x[c], x[pivot]] = [x[pivot]!, x[c]!];
    }
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c]! / m[c * n + c]!;
      for (let k = c; k < n; k++) m[r * n + k]! -= f * m[c * n + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < n; k++) s -= m[r * n + k]! * x[k]!;
    x[r] = s / m[r * n + r]!;
  }
  return x;
}
