/**
 * @module execution/_verify-targets
 * Which materializations `weir verify` looks at: the current ones of the selected asset
 * partitions (the usable one, and a newer blocked one), or with `all` every one in history.
 */
import { PartitionSet, type PartitionSpace } from '../definitions/index.js';
import type {
  AssetRecord,
  EventLog,
  MaterializationEvent,
  MaterializationSummary,
} from '../storage/index.js';
import type { PartitionInputs } from '../versioning/index.js';

/** A materialization to verify, and whether it is what consumers read now. */
export interface Target {
  event: MaterializationEvent;
  current: boolean;
}

export interface TargetQuery {
  eventLog: EventLog;
  records: ReadonlyMap<string, AssetRecord>;
  partitions: PartitionInputs;
  /** Per partitioned asset, the partitions asked for (all when absent). */
  requested: ReadonlyMap<string, PartitionSet>;
  all: boolean;
}

/** The materializations of `key` to verify, oldest first. */
export async function targetsOf(query: TargetQuery, key: string): Promise<Target[]> {
  const space = query.partitions.spaces.get(key);
  const records =
    space === undefined ? recordOf(query, key) : await partitionRecords(query, key, space);
  const usable = new Set(records.flatMap((r) => (r.usable === undefined ? [] : [r.usable.id])));
  const ids = new Set(
    records.flatMap((r) => [r.usable, r.materialization].filter(defined).map((s) => s.id)),
  );
  if (!query.all) {
    const events = await Promise.all(
      [...ids].sort((a, b) => a - b).map((id) => query.eventLog.event(id)),
    );
    return events
      .filter((e): e is MaterializationEvent => e?.type === 'asset:materialized')
      .map((event) => ({ event, current: usable.has(event.id) }));
  }
  const wanted = space === undefined ? undefined : new Set(records.map((r) => r.partition));
  const out: Target[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await query.eventLog.events({
      assetKey: key,
      types: ['asset:materialized'],
      limit: 1000,
      ...(afterId === undefined ? {} : { afterId }),
    });
    for (const event of page) {
      if (event.type !== 'asset:materialized') continue;
      if (wanted !== undefined && !wanted.has(event.partition)) continue;
      out.push({ event, current: usable.has(event.id) });
    }
    if (page.length < 1000) return out;
    afterId = page[page.length - 1]!.id;
  }
}

function recordOf(query: TargetQuery, key: string): AssetRecord[] {
  const record = query.records.get(key);
  return record === undefined ? [] : [record];
}

/** The index records of the requested partitions that have a materialization. */
async function partitionRecords(
  query: TargetQuery,
  key: string,
  space: PartitionSpace,
): Promise<AssetRecord[]> {
  const materialized = query.partitions.rows.get(key)?.materializationId;
  const keys: string[] = [];
  for (const i of (query.requested.get(key) ?? PartitionSet.all(space.size)).indices()) {
    if ((materialized?.[i] ?? 0) > 0) keys.push(space.keyAt(i));
  }
  const out: AssetRecord[] = [];
  for (let from = 0; from < keys.length; from += 1000) {
    out.push(...(await query.eventLog.partitionRecords(key, keys.slice(from, from + 1000))));
  }
  return out;
}

function defined(summary: MaterializationSummary | undefined): summary is MaterializationSummary {
  return summary !== undefined;
}
