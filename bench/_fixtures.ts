/** Events shared by the benchmarks that record partition materializations. */
import type { WeirEvent } from 'weir';

/**
 * A realistic materialization of partition `partition` of a daily asset: provenance with two
 * inputs (one of them partitioned), an artefact location, metadata.
 */
export function partitionMaterialization(i: number, partition: string, runId = 'bench'): WeirEvent {
  return {
    type: 'asset:materialized',
    runId,
    assetKey: 'gauges/day_summary',
    partition,
    timestamp: Date.now(),
    materialization: {
      dataVersion: `sha256-${i.toString(16).padStart(60, '0')}`,
      codeVersion: 'a1b2c3d4e5f60718',
      inputs: {
        'gauges/readings': { dataVersion: `sha256-${'r'.repeat(58)}`, eventId: 7 },
        'gauges/stations': {
          dataVersion: `sha256-${'s'.repeat(58)}`,
          eventId: 9,
          partitionCount: 1,
          partitions: [partition],
        },
      },
      configHash: 'c0ffee',
      artefact: {
        format: 'json',
        location: `objects/ab/${i.toString(16).padStart(64, 'a')}`,
        contentHash: `${i}`,
        size: 321,
        type: 'blob',
      },
      startedAt: Date.now(),
      endedAt: Date.now(),
      host: 'bench-host',
      weirVersion: '0.0.0',
      metadata: { rows: 3, stations: 3 },
    },
  };
}
