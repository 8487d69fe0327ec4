/**
 * @module graph/partition-mapping/all
 * Every partition reads every upstream partition.
 */
import { PartitionSet } from '../../definitions/index.js';
import { withSpec } from './_spec-tag.js';
import type { PartitionMapping } from './mapping.js';

/**
 * Any downstream partition reads every upstream partition, and any upstream partition
 * feeds every downstream one: an unpartitioned report over daily data, or daily data
 * reading an unpartitioned lookup table.
 * @example
 * allPartitionsMapping().upstreamFor(PartitionSet.all(1), report, daily).partitions.count; // daily.size
 */
export function allPartitionsMapping(): PartitionMapping {
  return withSpec(everyPartition(), { kind: 'all' });
}

function everyPartition(): PartitionMapping {
  return {
    description: 'every upstream partition',
    validate: () => undefined,
    readsOne: (up) => up.definition === undefined,
    newestRead(values, _up, down) {
      let newest = 0;
      for (const value of values) if (value > newest) newest = value;
      return new Float64Array(down.size).fill(newest);
    },
    upstreamFor: (downstream, _down, up) => ({
      partitions: downstream.isEmpty() ? PartitionSet.empty(up.size) : PartitionSet.all(up.size),
      missing: [],
    }),
    downstreamFor: (upstream, _up, down) =>
      upstream.isEmpty() ? PartitionSet.empty(down.size) : PartitionSet.all(down.size),
  };
}
