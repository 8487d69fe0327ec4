// Training: seeded determinism (same seed and workers → same bytes), learning a learnable
// synthetic target, early stopping on the validation median NSE, option checks.
import { beforeAll, describe, expect, it } from 'vitest';
import { validationScores } from '../src/lstm/loss.js';
import { predict } from '../src/lstm/predict.js';
import { type TrainOptions, trainLstm } from '../src/lstm/train.js';
import type { SampleSet } from '../src/samples.js';
import { assertBuildIsCurrent, sampleSet, synthesise } from './lstm-support.js';

beforeAll(assertBuildIsCurrent);

function smallSet(seed: number, count = 96): SampleSet {
  const shape = { steps: 8, features: 3, basins: 3 };
  return sampleSet(
    synthesise({ ...shape, count, seed, missing: 0.05 }),
    synthesise({ ...shape, count: 48, seed: seed + 1 }),
    shape.basins,
  );
}

const small: TrainOptions = { seed: 1, epochs: 2, hidden: 8, batchSize: 16 };

function bytes(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

describe('trainLstm determinism', () => {
  it('gives the same weights and history for the same seed, with 2 workers and with 1', async () => {
    const set = smallSet(3);
    for (const workers of [2, 1]) {
      const a = await trainLstm(set, { ...small, workers });
      const b = await trainLstm(set, { ...small, workers });
      expect(bytes(a.weights.values).equals(bytes(b.weights.values))).toBe(true);
      expect(a.history.map((h) => h.trainLoss)).toEqual(b.history.map((h) => h.trainLoss));
    }
  });

  it('gives different weights for another seed, and nearly the same for another worker count', async () => {
    const set = smallSet(3);
    const a = await trainLstm(set, { ...small, workers: 2 });
    const other = await trainLstm(set, { ...small, seed: 2, workers: 2 });
    const one = await trainLstm(set, { ...small, workers: 1 });
    expect(bytes(a.weights.values).equals(bytes(other.weights.values))).toBe(false);
    // The same draws; only the order of float sums across the two shares differs.
    for (let i = 0; i < a.weights.values.length; i++) {
      expect(one.weights.values[i]).toBeCloseTo(a.weights.values[i]!, 4);
    }
  });
});

describe('trainLstm learning', () => {
  it('reduces the loss on a learnable target and keeps the best epoch', async () => {
    const set = smallSet(5, 256);
    const records: number[] = [];
    const result = await trainLstm(set, {
      seed: 4,
      epochs: 12,
      hidden: 16,
      batchSize: 16,
      dropout: 0.1,
      learningRate: 1e-2,
      patience: 12,
      workers: 1,
      onEpoch: (r) => records.push(r.epoch),
    });
    const { history, bestEpoch } = result;
    expect(records).toEqual(history.map((h) => h.epoch));
    expect(history.at(-1)!.trainLoss).toBeLessThan(0.3 * history[0]!.trainLoss);
    const best = history[bestEpoch - 1]!;
    expect(best.validationMedianNse).toBe(Math.max(...history.map((h) => h.validationMedianNse)));
    expect(best.validationMedianNse).toBeGreaterThan(0.8);
    const scores = validationScores(
      set.validation,
      set.basins,
      set.basinStd,
      predict(result.weights, set.validation),
    );
    expect(scores.medianNse).toBe(best.validationMedianNse);
    expect(scores.loss).toBe(best.validationLoss);
  });

  it('stops after `patience` epochs without a better validation median NSE', async () => {
    const set = smallSet(7);
    const result = await trainLstm(set, { ...small, epochs: 10, learningRate: 0, patience: 2 });
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(result.bestEpoch).toBe(1);
    expect(result.stoppedEarly).toBe(true);
    for (const h of result.history) {
      expect(h.seconds).toBeGreaterThan(0);
      expect(Number.isFinite(h.validationLoss)).toBe(true);
    }
  });
});

describe('trainLstm options', () => {
  it('rejects a hidden size the kernel cannot tile, and bad counts', async () => {
    const set = smallSet(1, 16);
    await expect(trainLstm(set, { ...small, hidden: 12 })).rejects.toThrow(/multiple of 8/);
    await expect(trainLstm(set, { ...small, epochs: 0 })).rejects.toThrow(RangeError);
    await expect(trainLstm(set, { ...small, workers: 0 })).rejects.toThrow(/workers/);
    await expect(trainLstm(set, { ...small, learningRate: Number.NaN })).rejects.toThrow(
      /learningRate/,
    );
    await expect(trainLstm(set, { ...small, clipNorm: -1 })).rejects.toThrow(/clipNorm/);
  });

  it('stops with a clear error on a NaN input instead of returning NaN weights', async () => {
    const set = smallSet(1, 32);
    set.train.x[5] = Number.NaN;
    for (const workers of [1, 2]) {
      await expect(trainLstm(set, { ...small, workers })).rejects.toThrow(
        /not finite.*NaN or infinite inputs/,
      );
    }
  });
});
