/**
 * @module lstm/loss
 * neuralhydrology's NSE* loss (Kratzert et al. 2019): the mean over a batch's valid targets
 * of (ŷ − y)² / (s_b + 0.1)², s_b the standard deviation of the sample's basin's normalised
 * training targets, so basins with little variance do not dominate. NaN targets are masked.
 */
import { median, scoreByBasin } from '../data/metrics.js';
import type { Samples } from '../samples.js';

export const NSE_EPSILON = 0.1;

/**
 * Each sample's factor of its squared error in the batch loss: `1/(s_b + 0.1)² / n`, n the
 * number of the batch's samples with a target; 0 for a NaN target.
 */
export function lossCoefficients(
  samples: Pick<Samples, 'y' | 'basin'>,
  basinStd: Float32Array,
  indices: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(indices.length);
  let valid = 0;
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    if (Number.isNaN(samples.y[s]!)) continue;
    valid++;
    out[i] = 1 / (basinStd[samples.basin[s]!]! + NSE_EPSILON) ** 2;
  }
  if (valid > 0) for (let i = 0; i < out.length; i++) out[i]! /= valid;
  return out;
}

export interface ValidationScores {
  /** NSE* over every valid target of the set; NaN if there is none. */
  readonly loss: number;
  /** Median across basins of the NSE; basins without an NSE (no variance, no target) skipped. */
  readonly medianNse: number;
}

export function validationScores(
  samples: Samples,
  basins: readonly string[],
  basinStd: Float32Array,
  predicted: Float32Array,
): ValidationScores {
  const all = Int32Array.from({ length: samples.count }, (_, i) => i);
  const coefficients = lossCoefficients(samples, basinStd, all);
  let loss = 0;
  let valid = 0;
  for (let i = 0; i < samples.count; i++) {
    if (Number.isNaN(samples.y[i]!)) continue;
    valid++;
    loss += coefficients[i]! * (predicted[i]! - samples.y[i]!) ** 2;
  }
  const scores = scoreByBasin(samples, basins, samples.y, predicted);
  return {
    loss: valid > 0 ? loss : Number.NaN,
    medianNse: median(scores.map((s) => s.nse)),
  };
}
