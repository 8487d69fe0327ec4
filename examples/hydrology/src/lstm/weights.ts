/**
 * @module lstm/weights
 * The model's parameters as one flat Float32Array, in the order the kernel reads them and
 * with tfjs-layers' shapes, so saving is a matter of slicing: the LSTM's kernel [F, 4H],
 * recurrent kernel [H, 4H] and bias [4H] (gate blocks i, f, c, o), then the linear head's
 * kernel [H] and bias [1].
 */

export interface LstmWeights {
  /** Features per time step (F). */
  readonly features: number;
  /** Hidden units (H), a multiple of 8 (the kernel's SIMD tiles). */
  readonly hidden: number;
  /** `4H(F + H + 1) + H + 1` values; see {@link weightViews}. */
  readonly values: Float32Array;
}

export interface WeightViews {
  /** [F, 4H] */
  readonly kernel: Float32Array;
  /** [H, 4H] */
  readonly recurrentKernel: Float32Array;
  /** [4H] */
  readonly bias: Float32Array;
  /** [H] (a dense layer's kernel [H, 1]) */
  readonly headKernel: Float32Array;
  /** [1] */
  readonly headBias: Float32Array;
}

export function parameterCount(features: number, hidden: number): number {
  return 4 * hidden * (features + hidden + 1) + hidden + 1;
}

export function checkShape(features: number, hidden: number): void {
  if (!Number.isInteger(features) || features < 1) {
    throw new RangeError(`features must be a positive integer, not ${features}`);
  }
  if (!Number.isInteger(hidden) || hidden < 8 || hidden % 8 !== 0) {
    throw new RangeError(`hidden must be a positive multiple of 8, not ${hidden}`);
  }
}

/** Views (not copies) of the five tensors in `values`. */
export function weightViews(values: Float32Array, features: number, hidden: number): WeightViews {
  if (values.length !== parameterCount(features, hidden)) {
    throw new RangeError(
      `${values.length} weights for ${features} features and ${hidden} hidden units`,
    );
  }
  const g = 4 * hidden;
  const recurrentAt = features * g;
  const biasAt = recurrentAt + hidden * g;
  const headAt = biasAt + g;
  return {
    kernel: values.subarray(0, recurrentAt),
    recurrentKernel: values.subarray(recurrentAt, biasAt),
    bias: values.subarray(biasAt, headAt),
    headKernel: values.subarray(headAt, headAt + hidden),
    headBias: values.subarray(headAt + hidden, headAt + hidden + 1),
  };
}
