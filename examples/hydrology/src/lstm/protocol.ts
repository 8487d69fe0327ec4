/**
 * @module lstm/protocol
 * Messages between the trainer and its worker threads. Datasets are shared once, at start
 * (SharedArrayBuffer); each request carries the current weights (~80 kB at CAMELS' size).
 */
import type { KernelModule } from './kernel.js';
import type { Dataset, Shard } from './shard.js';

export interface WorkerSetup {
  readonly module: KernelModule;
  readonly hidden: number;
  readonly datasets: Readonly<Record<string, Dataset>>;
}

export type WorkerTask =
  | {
      readonly kind: 'gradient';
      readonly params: Float32Array;
      readonly dataset: string;
      readonly shard: Shard;
    }
  | {
      readonly kind: 'predict';
      readonly params: Float32Array;
      readonly dataset: string;
      readonly start: number;
      readonly end: number;
    };

export type WorkerRequest = WorkerTask & { readonly id: number };

export type WorkerResponse =
  | {
      readonly id: number;
      readonly kind: 'gradient';
      readonly loss: number;
      readonly grads: Float64Array;
    }
  | { readonly id: number; readonly kind: 'predict'; readonly out: Float32Array }
  | { readonly id: number; readonly kind: 'error'; readonly message: string };
