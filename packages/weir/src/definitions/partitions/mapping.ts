/**
 * @module definitions/partitions/mapping
 * The contract of a partition mapping: which upstream partitions a downstream partition
 * reads, and back, over bitsets. Declared here because an asset's inputs name mappings;
 * the built-in mappings live in `graph/partition-mapping`.
 */
import type { PartitionSet } from './partition-set.js';
import type { PartitionSpace } from './space.js';

/** What a downstream set reads upstream. */
export interface UpstreamPartitions {
  /** Upstream partitions that exist and are read. */
  partitions: PartitionSet;
  /** Keys the downstream needs that the upstream space does not have (e.g. before its start). */
  missing: readonly string[];
}

/**
 * A rule connecting the partitions of an upstream asset to those of a downstream one.
 * `upstreamFor` is monotone, and `downstreamFor(upstreamFor(D).partitions)` covers every
 * partition of `D` that reads at least one existing upstream partition.
 */
export interface PartitionMapping {
  /** One line for `why` and error messages, e.g. "last 7 upstream windows". */
  readonly description: string;
  /** The upstream partitions `downstream` reads. */
  upstreamFor(
    downstream: PartitionSet,
    down: PartitionSpace,
    up: PartitionSpace,
  ): UpstreamPartitions;
  /** The downstream partitions that read any of `upstream`. */
  downstreamFor(upstream: PartitionSet, up: PartitionSpace, down: PartitionSpace): PartitionSet;
  /** Why this mapping cannot connect these spaces, or undefined. */
  validate(up: PartitionSpace, down: PartitionSpace): string | undefined;
  /**
   * True when no downstream partition reads more than one upstream partition, so the input
   * can be typed as one value; otherwise it must be read with `many()`.
   */
  readsOne(up: PartitionSpace, down: PartitionSpace): boolean;
  /**
   * For each downstream partition, the largest of `values` (indexed by upstream partition)
   * over the upstream partitions it reads, 0 when it reads none. Optional: without it Weir
   * asks `upstreamFor` partition by partition, which is slower for large spaces.
   */
  newestRead?(values: Float64Array, up: PartitionSpace, down: PartitionSpace): Float64Array;
}
