/**
 * @module graph/partition-mapping/newest-read
 * "The newest thing each downstream partition reads": for each downstream partition, the
 * largest per-upstream-partition value (an event id) over the upstream partitions it reads.
 * Staleness compares it with when each downstream partition read its inputs.
 */
import {
  type PartitionMapping,
  PartitionSet,
  type PartitionSpace,
} from '../../definitions/index.js';

/** `mapping.newestRead`, or partition by partition through `upstreamFor` when it has none. */
export function newestRead(
  mapping: PartitionMapping,
  values: Float64Array,
  up: PartitionSpace,
  down: PartitionSpace,
): Float64Array {
  if (mapping.newestRead !== undefined) return mapping.newestRead(values, up, down);
  const out = new Float64Array(down.size);
  for (let d = 0; d < down.size; d++) {
    const { partitions } = mapping.upstreamFor(PartitionSet.empty(down.size).add(d), down, up);
    let newest = 0;
    for (const [a, b] of partitions.ranges()) {
      for (let i = a; i < b; i++) if (values[i]! > newest) newest = values[i]!;
    }
    out[d] = newest;
  }
  return out;
}

/**
 * For each downstream `d` in `[0, size)`, the largest of `values` over `[lo(d), hi(d))`
 * clamped to `values`; `lo` and `hi` must not decrease with `d` (a sliding window, so the
 * whole pass is linear).
 */
export function windowMax(
  values: Float64Array,
  size: number,
  lo: (d: number) => number,
  hi: (d: number) => number,
): Float64Array {
  const out = new Float64Array(size);
  const deque = new Int32Array(values.length + 1);
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let d = 0; d < size; d++) {
    const from = Math.max(0, lo(d));
    const to = Math.min(values.length, hi(d));
    for (; next < to; next++) {
      if (next < from) continue;
      while (tail > head && values[deque[tail - 1]!]! <= values[next]!) tail--;
      deque[tail++] = next;
    }
    while (tail > head && deque[head]! < from) head++;
    out[d] = tail > head && from < to ? values[deque[head]!]! : 0;
  }
  return out;
}

/** `values` shifted by `shift`: downstream `d` reads upstream `d + shift`. */
export function shifted(values: Float64Array, size: number, shift: number): Float64Array {
  const out = new Float64Array(size);
  const from = Math.max(0, -shift);
  const to = Math.min(size, values.length - shift);
  if (to > from) out.set(values.subarray(from + shift, to + shift), from);
  return out;
}
