/**
 * @module lstm/init
 * Initial weights as neuralhydrology's CudaLSTM gets them from PyTorch: every LSTM and head
 * weight and bias uniform in ±1/√H, and the forget gate's bias raised by 3 (neuralhydrology's
 * `initial_forget_bias` on `bias_hh`; PyTorch's second LSTM bias folds into tfjs' one).
 */
import type { Random } from './random.js';
import { checkShape, type LstmWeights, parameterCount, weightViews } from './weights.js';

export const FORGET_BIAS = 3;

export function initialWeights(features: number, hidden: number, random: Random): LstmWeights {
  checkShape(features, hidden);
  const values = new Float32Array(parameterCount(features, hidden));
  const bound = 1 / Math.sqrt(hidden);
  for (let i = 0; i < values.length; i++) values[i] = (2 * random() - 1) * bound;
  const { bias } = weightViews(values, features, hidden);
  for (let j = hidden; j < 2 * hidden; j++) bias[j]! += FORGET_BIAS;
  return { features, hidden, values };
}
