/**
 * @module lstm/shard
 * The work of one thread: the NSE* loss and its gradient over a share of a batch, and
 * predictions over a range of samples, in chunks of at most {@link CHUNK} samples per kernel
 * call. The same code runs in the trainer's thread (one worker) and in each worker thread.
 */
import type { Samples } from '../samples.js';
import type { KernelModule } from './kernel.js';
import { type Shape, Workspace } from './workspace.js';

/** Samples per kernel call: bounds a workspace's memory (~32 MB at 270 steps, 64 hidden). */
export const CHUNK = 64;

/** What a thread needs of a sample set. */
export type Dataset = Pick<Samples, 'count' | 'steps' | 'features' | 'x' | 'y'>;

export function datasetOf(datasets: Readonly<Record<string, Dataset>>, name: string): Dataset {
  const data = datasets[name];
  if (data === undefined) throw new Error(`no dataset '${name}'`);
  return data;
}

/** A share of a batch: its samples, their loss weights, their dropout masks. */
export interface Shard {
  readonly indices: Int32Array;
  /**
   * Per sample, the factor of its squared error in the batch loss: `1/(s_b + 0.1)² / n`
   * (n the batch's valid targets), 0 where the target is NaN.
   */
  readonly coefficients: Float64Array;
  /** [indices.length, H] dropout multipliers of the last hidden state, or null for none. */
  readonly mask: Float32Array | null;
}

export interface ShardGradient {
  /** The shard's part of the batch loss. */
  readonly loss: number;
  /** The shard's part of the batch loss' gradient, in the weights' flat order. */
  readonly grads: Float64Array;
}

export class ShardComputer {
  private readonly module: KernelModule;
  private readonly hidden: number;
  private readonly workspaces = new Map<string, Workspace>();

  constructor(module: KernelModule, hidden: number) {
    this.module = module;
    this.hidden = hidden;
  }

  private workspace(data: Dataset): Workspace {
    const shape: Shape = { steps: data.steps, features: data.features, hidden: this.hidden };
    const key = `${shape.steps}×${shape.features}`;
    let ws = this.workspaces.get(key);
    if (ws === undefined) {
      ws = new Workspace(this.module, shape, CHUNK);
      this.workspaces.set(key, ws);
    }
    return ws;
  }

  gradient(params: Float32Array, data: Dataset, shard: Shard): ShardGradient {
    const ws = this.workspace(data);
    ws.setParams(params);
    const grads = new Float64Array(params.length);
    const { hidden } = this;
    let loss = 0;
    for (let start = 0; start < shard.indices.length; start += CHUNK) {
      const indices = shard.indices.subarray(start, start + CHUNK);
      const n = indices.length;
      ws.loadInputs(data.x, indices);
      const mask = shard.mask?.subarray(start * hidden, (start + n) * hidden) ?? null;
      const out = ws.forward(n, mask);
      const dout = new Float64Array(n);
      for (let b = 0; b < n; b++) {
        const c = shard.coefficients[start + b]!;
        if (c === 0) continue;
        const d = out[b]! - data.y[indices[b]!]!;
        loss += c * d * d;
        dout[b] = 2 * c * d;
      }
      const g = ws.backward(n, dout);
      for (let p = 0; p < grads.length; p++) grads[p]! += g[p]!;
    }
    return { loss, grads };
  }

  /** Outputs (normalised) of samples start…end−1, without dropout. */
  predict(params: Float32Array, data: Dataset, start: number, end: number): Float32Array {
    const ws = this.workspace(data);
    ws.setParams(params);
    const out = new Float32Array(end - start);
    for (let from = start; from < end; from += CHUNK) {
      const to = Math.min(from + CHUNK, end);
      const indices = Int32Array.from({ length: to - from }, (_, i) => from + i);
      ws.loadInputs(data.x, indices);
      out.set(ws.forward(to - from, null), from - start);
    }
    return out;
  }
}
