import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { CAMELS, lstmBenchmark, lstmReport } from '../../../bench/hydrology-lstm.js';
import { assertBuildIsCurrent } from './lstm-support.js';

describe('benchmark smoke test', () => {
  it('runs every measurement on a tiny shape (not timed)', async () => {
    assertBuildIsCurrent();
    tf.env().set('PROD', true);
    const result = await lstmBenchmark({
      ...CAMELS,
      count: 24,
      steps: 5,
      features: 3,
      hidden: 8,
      batchSize: 8,
      basins: 2,
      epochs: 1,
      tfjsBatches: 1,
      matmulSize: 32,
    });
    expect(result.ours.map((t) => t.workers)).toEqual([1, 2]);
    expect(result.tfjsBackend).toBe('wasm');
    for (const value of [
      ...result.ours.map((t) => t.seconds),
      result.tfjsSeconds,
      result.tfjsMatmulGflops,
      result.kernelMatmulGflops,
      ...Object.values(result.breakdown),
    ]) {
      expect(value).toBeGreaterThan(0);
    }
    expect(lstmReport(result)).toContain('ours, 2 workers');
  });
});
