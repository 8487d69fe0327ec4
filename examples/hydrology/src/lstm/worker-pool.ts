/**
 * @module lstm/worker-pool
 * n worker threads (dist/lstm-worker.mjs), each with its own kernel instance; the datasets
 * are copied once into SharedArrayBuffers that every worker reads.
 */
import { Worker } from 'node:worker_threads';
import { builtFile } from './built-files.js';
import { kernelModule } from './kernel.js';
import type { ComputePool, PoolOptions } from './pool.js';
import type { WorkerResponse, WorkerSetup, WorkerTask } from './protocol.js';
import { type Dataset, datasetOf, type Shard, type ShardGradient } from './shard.js';
import { shares, sliceShard, sumGradients } from './split.js';

type Pending = { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void };

function shared(values: Float32Array): Float32Array {
  const copy = new Float32Array(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

function sharedDataset(data: Dataset): Dataset {
  const { count, steps, features } = data;
  return { count, steps, features, x: shared(data.x), y: shared(data.y) };
}

class Thread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private failure: Error | undefined;

  constructor(script: string, setup: WorkerSetup) {
    this.worker = new Worker(script, { workerData: setup });
    this.worker.on('message', (response: WorkerResponse) => {
      const p = this.pending.get(response.id);
      this.pending.delete(response.id);
      if (response.kind === 'error') p?.reject(new Error(`LSTM worker: ${response.message}`));
      else p?.resolve(response);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`LSTM worker exited (${code})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  request(task: WorkerTask): Promise<WorkerResponse> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise<WorkerResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...task, id });
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('LSTM worker pool closed');
    await this.worker.terminate();
  }
}

export async function startWorkerPool(options: PoolOptions): Promise<ComputePool> {
  const datasets: Record<string, Dataset> = {};
  for (const [name, data] of Object.entries(options.datasets)) datasets[name] = sharedDataset(data);
  const setup: WorkerSetup = { module: kernelModule(), hidden: options.hidden, datasets };
  const script = builtFile('lstm-worker.mjs');
  const threads = Array.from({ length: options.workers }, () => new Thread(script, setup));

  return {
    async gradient(params, name, batch: Shard): Promise<ShardGradient> {
      datasetOf(datasets, name);
      const parts = shares(batch.indices.length, threads.length);
      const responses = await Promise.all(
        parts.map((range, i) =>
          threads[i]!.request({
            kind: 'gradient',
            params,
            dataset: name,
            shard: sliceShard(batch, range, options.hidden),
          }),
        ),
      );
      const gradients = responses.map((r) => {
        if (r.kind !== 'gradient') throw new Error(`LSTM worker answered '${r.kind}'`);
        return r;
      });
      return sumGradients(gradients, params.length);
    },
    async predict(params, name): Promise<Float32Array> {
      const data = datasetOf(datasets, name);
      const parts = shares(data.count, threads.length);
      const responses = await Promise.all(
        parts.map(([start, end], i) =>
          threads[i]!.request({ kind: 'predict', params, dataset: name, start, end }),
        ),
      );
      const out = new Float32Array(data.count);
      responses.forEach((r, i) => {
        if (r.kind !== 'predict') throw new Error(`LSTM worker answered '${r.kind}'`);
        out.set(r.out, parts[i]![0]);
      });
      return out;
    },
    async close(): Promise<void> {
      await Promise.all(threads.map((t) => t.close()));
    },
  };
}
