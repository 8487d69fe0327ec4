/**
 * @module execution/_newest-usable
 * The version of a partition as of a position in the log: its newest usable materialization
 * or observation before an event id, for several partitions in one backwards pass.
 */
import { sha256 } from '../hash.js';
import type { MaterializationEvent, StoredEvent } from '../storage/index.js';
import type { Instance } from './instance.js';

export type ValueEvent = MaterializationEvent | StoredEvent<'asset:observed'>;

const PAGE = 1000;

/**
 * For each of `partitions` of `key` (`''`: unpartitioned), its newest usable materialization
 * or observation before event `before` (all when undefined), in one backwards pass over the
 * asset's events: a materialization that failed a blocking check is never read.
 */
export async function newestUsable(
  instance: Instance,
  key: string,
  partitions: readonly string[],
  before: number | undefined,
): Promise<Map<string, ValueEvent>> {
  const wanted = new Set(partitions);
  const found = new Map<string, ValueEvent>();
  let cursor = before;
  while (found.size < wanted.size) {
    const page = (await instance.eventLog.events({
      assetKey: key,
      types: ['asset:materialized', 'asset:observed'],
      descending: true,
      limit: PAGE,
      ...(cursor === undefined ? {} : { afterId: cursor }),
    })) as ValueEvent[];
    for (const e of page) {
      const p = e.partition ?? '';
      if (!wanted.has(p) || found.has(p)) continue;
      if (e.type === 'asset:materialized' && e.materialization.blockedBy?.length) continue;
      found.set(p, e);
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }
  return found;
}

export function versionOf(e: ValueEvent): string {
  return e.type === 'asset:observed' ? e.observation.dataVersion : e.materialization.dataVersion;
}

/** The version a step records for an input read over these partitions (see _inputs.ts). */
export function combinedVersion(
  reads: ReadonlyArray<{ partition: string; dataVersion: string }>,
): string {
  const lines = reads.map((r) => `${r.partition}=${r.dataVersion}`);
  return sha256(`weir-partitions/1\n${lines.join('\n')}`);
}
