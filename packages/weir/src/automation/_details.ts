/**
 * @module automation/_details
 * The detail of an upstream fact for a result: which parents make it true, and, for the
 * partitions the evaluation requested, the parent partitions requested alongside and the
 * events that brought the new data (asked of the facts only then, and only a few).
 */
import { PartitionSet, type PartitionSpace } from '../definitions/index.js';
import type { ParentPart } from './_leaves.js';
import { encodeSet } from './key-ranges.js';
import type { ChangeRecord, UpstreamDetail } from './result.js';

/** Event groups asked of a parent per fact, and readers split one by one below this count. */
const MAX_GROUPS = 6;
const SPLIT_READERS = 8;
const MAX_RECORDS = 16;

/** Facts whose detail names the events that changed the data. */
const CHANGE_FACTS = new Set([
  'upstream-updated',
  'upstream-newly-updated',
  'upstreams-updated-since-cron',
]);

export function upstreamDetails(
  type: string,
  parts: readonly ParentPart[],
  requested: PartitionSet,
  space: PartitionSpace,
): UpstreamDetail[] {
  return parts.map((part) => {
    const { parent } = part;
    const viaRequest = part.requested.intersect(requested);
    const viaData = part.set.difference(part.requested).intersect(requested);
    const changes =
      CHANGE_FACTS.has(type) && !viaData.isEmpty() ? changeRecords(part, viaData, space) : [];
    return {
      parent: parent.asset.key,
      partitions: encodeSet(part.set, space),
      count: part.set.count,
      ...(part.requested.isEmpty() ? {} : { requested: encodeSet(part.requested, space) }),
      ...(viaRequest.isEmpty()
        ? {}
        : {
            requestedUpstream: encodeSet(
              parent.requested.intersect(parent.readOf(viaRequest)),
              parent.asset.space,
            ),
          }),
      ...(changes.length === 0 ? {} : { changes }),
    };
  });
}

function changeRecords(
  part: ParentPart,
  readers: PartitionSet,
  space: PartitionSpace,
): ChangeRecord[] {
  const { parent } = part;
  let upstream = parent.readOf(readers);
  if (part.changed !== undefined) upstream = upstream.intersect(part.changed);
  if (upstream.isEmpty()) return [];
  const groups = [...parent.asset.changes(upstream)]
    .sort((a, b) => b.eventId - a.eventId)
    .slice(0, MAX_GROUPS);
  const records: ChangeRecord[] = [];
  for (const group of groups) {
    const readBy = parent.readersOf(group.partitions).intersect(readers);
    if (readBy.isEmpty()) continue;
    const event = {
      kind: group.kind,
      eventId: group.eventId,
      at: group.at,
      ...(group.runId === undefined ? {} : { runId: group.runId }),
      ...(group.trigger === undefined ? {} : { trigger: group.trigger }),
    };
    const split = readBy.count <= SPLIT_READERS ? [...readBy.indices()] : [undefined];
    for (const index of split) {
      const who = index === undefined ? readBy : PartitionSet.empty(space.size).add(index);
      records.push({
        upstream: encodeSet(group.partitions.intersect(parent.readOf(who)), parent.asset.space),
        readers: encodeSet(who, space),
        ...event,
      });
    }
    if (records.length >= MAX_RECORDS) break;
  }
  return records.slice(0, MAX_RECORDS);
}
