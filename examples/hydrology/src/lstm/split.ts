/**
 * @module lstm/split
 * Splitting a batch into the workers' shares and summing their gradients back, always in
 * the same order, so that the float sums are the same from run to run.
 */
import type { Shard, ShardGradient } from './shard.js';

/** Contiguous [start, end) shares of n items for k parts, empty ones left out. */
export function shares(n: number, k: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) {
    const start = Math.floor((i * n) / k);
    const end = Math.floor(((i + 1) * n) / k);
    if (end > start) out.push([start, end]);
  }
  return out;
}

export function sliceShard(shard: Shard, [start, end]: [number, number], hidden: number): Shard {
  return {
    indices: shard.indices.slice(start, end),
    coefficients: shard.coefficients.slice(start, end),
    mask: shard.mask?.slice(start * hidden, end * hidden) ?? null,
  };
}

/** Sums the shares' gradients in order. */
export function sumGradients(parts: readonly ShardGradient[], size: number): ShardGradient {
  const grads = new Float64Array(size);
  let loss = 0;
  for (const part of parts) {
    loss += part.loss;
    for (let i = 0; i < size; i++) grads[i]! += part.grads[i]!;
  }
  return { loss, grads };
}
