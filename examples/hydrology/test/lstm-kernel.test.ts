// The WASM kernel against tfjs-layers' LSTM (CPU backend) on the same weights: outputs, and
// gradients of the NSE*-weighted loss with a dropout mask on the last hidden state.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialWeights } from '../src/lstm/init.js';
import { kernelModule } from '../src/lstm/kernel.js';
import { predict } from '../src/lstm/predict.js';
import { dropoutMask, seededRandom } from '../src/lstm/random.js';
import { ShardComputer } from '../src/lstm/shard.js';
import { toLayersModel } from '../src/lstm/tfjs-model.js';
import type { LstmWeights } from '../src/lstm/weights.js';
import type { Samples } from '../src/samples.js';
import { assertBuildIsCurrent, synthesise } from './lstm-support.js';

beforeAll(async () => {
  assertBuildIsCurrent();
  tf.env().set('PROD', true); // no advice to install tfjs-node in the test output
  await tf.setBackend('cpu');
});

/** Larger weights than the initialisation's, so every gate is away from its linear range. */
function weightsFor(features: number, hidden: number, seed: number): LstmWeights {
  const w = initialWeights(features, hidden, seededRandom(seed));
  for (let i = 0; i < w.values.length; i++) w.values[i]! *= 2.5;
  return w;
}

function tfjsOutputs(model: tfl.LayersModel, samples: Samples): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor3d(samples.x, [samples.count, samples.steps, samples.features]);
    return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('LSTM kernel forward', () => {
  for (const [count, steps, features, hidden] of [
    [5, 7, 3, 8],
    [70, 12, 5, 16],
  ] as const) {
    it(`equals tfjs-layers' LSTM + dense (${count} samples × ${steps} steps × ${features} → ${hidden})`, () => {
      const weights = weightsFor(features, hidden, count);
      const samples = synthesise({ count, steps, features, basins: 2, seed: 7 });
      const model = toLayersModel(weights);
      const expected = tfjsOutputs(model, samples);
      model.dispose();
      const ours = predict(weights, samples);
      expect(maxAbsDiff(ours, expected)).toBeLessThan(1e-5);
    });
  }
});

describe('LSTM kernel backward', () => {
  for (const [count, steps, features, hidden] of [
    [6, 9, 5, 8],
    [70, 4, 3, 16],
  ] as const) {
    it(`equals tf.variableGrads of the same loss (${count} × ${steps} × ${features} → ${hidden})`, () => {
      const weights = weightsFor(features, hidden, 3);
      const samples = synthesise({ count, steps, features, basins: 2, seed: 11 });
      const random = seededRandom(5);
      const mask = dropoutMask(count * hidden, 0.3, random);
      // NSE*-like per-sample weights, one of them 0 as for a NaN target.
      const coefficients = Float64Array.from({ length: count }, (_, i) =>
        i === 2 ? 0 : 0.1 + random(),
      );
      const indices = Int32Array.from({ length: count }, (_, i) => i);

      const ours = new ShardComputer(kernelModule(), hidden).gradient(weights.values, samples, {
        indices,
        coefficients,
        mask,
      });

      const model = toLayersModel(weights);
      const [lstm, head] = model.layers as [tfl.layers.Layer, tfl.layers.Layer];
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => {
        const x = tf.tensor3d(samples.x, [count, steps, features]);
        const h = lstm.apply(x) as tf.Tensor2D;
        const out = head.apply(tf.mul(h, tf.tensor2d(mask, [count, hidden]))) as tf.Tensor2D;
        const y = tf.tensor2d(samples.y, [count, 1]);
        const c = tf.tensor2d(Float32Array.from(coefficients), [count, 1]);
        return tf.sum(tf.mul(c, tf.square(tf.sub(out, y)))) as tf.Scalar;
      }, variables);
      const expected = variables.flatMap((v) => [...grads[v.name]!.dataSync()]);
      expect(ours.loss).toBeCloseTo(value.dataSync()[0]!, 4);
      const scale = Math.max(...expected.map(Math.abs));
      expect(maxAbsDiff(ours.grads, expected) / scale).toBeLessThan(1e-5);
      model.dispose();
    });
  }
});
