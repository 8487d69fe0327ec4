/**
 * @module lstm/predict
 * The trained model's outputs, in the calling thread, without dropout.
 */
import type { Samples } from '../samples.js';
import { kernelModule } from './kernel.js';
import { ShardComputer } from './shard.js';
import { checkShape, type LstmWeights } from './weights.js';

/** One normalised output per sample (`q = y × target.std + target.mean`). */
export function predict(weights: LstmWeights, samples: Samples): Float32Array {
  checkShape(weights.features, weights.hidden);
  if (samples.features !== weights.features) {
    throw new RangeError(`${samples.features} features for a model of ${weights.features}`);
  }
  if (samples.count === 0) return new Float32Array(0);
  return new ShardComputer(kernelModule(), weights.hidden).predict(
    weights.values,
    samples,
    0,
    samples.count,
  );
}
