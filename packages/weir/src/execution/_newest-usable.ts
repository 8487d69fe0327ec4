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
 * For each of `partitions` of `key` (`''`: unpartitioned; undefined: every partition met),
 * its newest usable materialization or observation before event `before` (all when
 * undefined), in one backwards pass over the asset's events. Usable as the index has it: a
 * materialization that failed a blocking check is not, unless, while it was its partition's
 * newest, each of those checks' newest result was a pass on it (a later `weir check`).
 */
export async function newestUsable(
  instance: Instance,
  key: string,
  partitions: readonly string[] | undefined,
  before: number | undefined,
): Promise<Map<string, ValueEvent>> {
  const wanted = partitions === undefined ? undefined : new Set(partitions);
  const found = new Map<string, ValueEvent>();
  // Per partition: the newest result of each check since the newer materialization met.
  const checks = new Map<string, Map<string, StoredEvent<'check:evaluated'>>>();
  let cursor = before;
  while (wanted === undefined || found.size < wanted.size) {
    const page = (await instance.eventLog.events({
      assetKey: key,
      types: ['asset:materialized', 'asset:observed', 'check:evaluated'],
      descending: true,
      limit: PAGE,
      ...(cursor === undefined ? {} : { afterId: cursor }),
    })) as Array<ValueEvent | StoredEvent<'check:evaluated'>>;
    for (const e of page) {
      const p = e.partition ?? '';
      if ((wanted !== undefined && !wanted.has(p)) || found.has(p)) continue;
      if (e.type === 'check:evaluated') {
        const seen = checks.get(p) ?? new Map<string, StoredEvent<'check:evaluated'>>();
        if (!seen.has(e.check.name)) seen.set(e.check.name, e);
        checks.set(p, seen);
      } else if (e.type === 'asset:observed') {
        found.set(p, e);
      } else if (e.type === 'asset:materialized') {
        if (cleared(e, checks.get(p))) found.set(p, e);
        checks.delete(p); // older results were about older materializations
      }
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }
  return found;
}

/** Whether `m` is usable: no blocking check failed, or each one's newest result passed on it. */
function cleared(
  m: MaterializationEvent,
  newest: ReadonlyMap<string, StoredEvent<'check:evaluated'>> | undefined,
): boolean {
  return (m.materialization.blockedBy ?? []).every((name) => {
    const result = newest?.get(name);
    return result !== undefined && result.materializationId === m.id && result.check.passed;
  });
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
