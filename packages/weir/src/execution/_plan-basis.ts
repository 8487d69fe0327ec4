/**
 * @module execution/_plan-basis
 * What a run planned from: the newest materialization of each asset partition it read. A
 * unit starts only if that is still the newest (see `EventLog.startSteps`); when another run
 * moved it on, the run learns the new id here.
 */
import type { AssetRecord } from '../storage/index.js';
import type { PartitionInputs } from '../versioning/index.js';

export class PlanBasis {
  private readonly moved = new Map<string, number>();

  constructor(
    private readonly records: ReadonlyMap<string, AssetRecord>,
    private readonly partitions: PartitionInputs,
  ) {}

  /** The newest materialization id of `key`'s `partition` as planned (or as learnt since); 0: none. */
  materializationId(key: string, partition: string): number {
    const learnt = this.moved.get(`${key}\0${partition}`);
    if (learnt !== undefined) return learnt;
    const space = this.partitions.spaces.get(key);
    if (space === undefined) return this.records.get(key)?.materialization?.id ?? 0;
    const index = space.indexOf(partition);
    return index < 0 ? 0 : (this.partitions.rows.get(key)?.materializationId[index] ?? 0);
  }

  /**
   * The newest materialization id of a partition of a partitioned `key` as the plan read it,
   * not as learnt since; undefined when the plan did not read that asset's partitions.
   */
  plannedPartitionId(key: string, partition: string): number | undefined {
    const space = this.partitions.spaces.get(key);
    const row = this.partitions.rows.get(key);
    if (space === undefined || row === undefined) return undefined;
    const index = space.indexOf(partition);
    return index < 0 ? undefined : row.materializationId[index];
  }

  /** Another run recorded materialization `id` of `key`'s `partition` since the plan. */
  learn(key: string, partition: string, id: number): void {
    this.moved.set(`${key}\0${partition}`, id);
  }
}
