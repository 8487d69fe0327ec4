/**
 * @module lstm/pool
 * Where gradients and predictions are computed: in the calling thread (one worker) or split
 * across worker threads, each taking a contiguous share of every batch. Shares are summed in
 * worker order, so a given seed, data and worker count give bit-identical results.
 */
import { kernelModule } from './kernel.js';
import { type Dataset, datasetOf, type Shard, ShardComputer, type ShardGradient } from './shard.js';
import { startWorkerPool } from './worker-pool.js';

export interface ComputePool {
  /** The loss and gradient of a whole batch of `dataset`. */
  gradient(params: Float32Array, dataset: string, batch: Shard): Promise<ShardGradient>;
  /** The outputs of every sample of `dataset`, without dropout. */
  predict(params: Float32Array, dataset: string): Promise<Float32Array>;
  close(): Promise<void>;
}

export interface PoolOptions {
  readonly hidden: number;
  readonly datasets: Readonly<Record<string, Dataset>>;
  /** 1: the calling thread computes; n > 1: n worker threads. */
  readonly workers: number;
}

function localPool(options: PoolOptions): ComputePool {
  const computer = new ShardComputer(kernelModule(), options.hidden);
  return {
    gradient: async (params, dataset, batch) =>
      computer.gradient(params, datasetOf(options.datasets, dataset), batch),
    predict: async (params, dataset) => {
      const data = datasetOf(options.datasets, dataset);
      return computer.predict(params, data, 0, data.count);
    },
    close: async () => {},
  };
}

export async function createPool(options: PoolOptions): Promise<ComputePool> {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new RangeError(`workers must be a positive integer, not ${options.workers}`);
  }
  return options.workers === 1 ? localPool(options) : startWorkerPool(options);
}
