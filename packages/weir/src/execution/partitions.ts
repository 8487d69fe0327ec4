/**
 * @module execution/partitions
 * Partitioned assets at run time: their spaces (time windows as of now, dynamic keys from
 * the log), their stored partition rows, and the partitions a user asked for.
 */

import { join } from 'node:path';
import {
  dynamicNames,
  PartitionSet,
  type PartitionSpace,
  type PartitionsDefinition,
  partitionPolicyOrError,
  partitionRange,
  resolvePartitionSpace,
} from '../definitions/index.js';
import { DefinitionError, EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { EventLog } from '../storage/index.js';
import {
  applyRows,
  type DensePartitionStates,
  emptyDense,
  type PartitionInputs,
} from '../versioning/index.js';
import { PartitionCache, type PartitionSnapshot } from './_partition-cache.js';
import type { Instance } from './instance.js';

/** Which partitions to work on: keys, or an inclusive range; all when empty. */
export interface PartitionRequest {
  keys?: readonly string[];
  from?: string;
  to?: string;
}

/** The partition space of each partitioned asset among `keys`: time windows as of `now`, dynamic keys from the log. */
export async function resolveSpaces(
  graph: AssetGraph,
  eventLog: EventLog,
  keys: Iterable<string>,
  now: number,
): Promise<Map<string, PartitionSpace>> {
  const spaces = new Map<string, PartitionSpace>();
  const dynamic = new Map<string, readonly string[]>();
  for (const key of keys) {
    const definition = graph.get(key)?.partitions;
    if (definition === undefined) continue;
    for (const name of dynamicNames(definition)) {
      if (!dynamic.has(name)) dynamic.set(name, await eventLog.dynamicPartitions(name));
    }
    spaces.set(
      key,
      resolvePartitionSpace(definition, { now, dynamicKeys: (name) => dynamic.get(name) ?? [] }),
    );
  }
  return spaces;
}

/** Where an instance keeps its partition snapshots, if it keeps a cache. */
export function partitionCacheDir(instance: Instance): string | undefined {
  return instance.cacheDir === undefined ? undefined : join(instance.cacheDir, 'partitions');
}

/** Rows changed since a snapshot beyond which the snapshot is rewritten. */
const REWRITE_AFTER = 2_000;

/**
 * The spaces and stored state of the partitioned assets among `keys`. With `cacheDir`, state
 * is read from a local snapshot plus the rows changed since (see _partition-cache.ts).
 */
export async function readPartitionInputs(
  graph: AssetGraph,
  eventLog: EventLog,
  keys: Iterable<string>,
  now: number,
  cacheDir?: string,
): Promise<PartitionInputs> {
  const cache = cacheDir === undefined ? undefined : new PartitionCache(cacheDir);
  const spaces = await resolveSpaces(graph, eventLog, keys, now);
  const rows = new Map<string, DensePartitionStates>();
  for (const [key, space] of spaces) {
    const definition = space.definition!;
    const fingerprint =
      cache !== undefined && stableLayout(definition) ? JSON.stringify(definition) : undefined;
    const snapshot =
      fingerprint === undefined
        ? undefined
        : await validSnapshot(cache!, eventLog, key, fingerprint, space.size);
    const changed = await eventLog.partitionStates(
      key,
      snapshot === undefined ? {} : { updatedAfter: snapshot.throughId },
    );
    const dense = applyRows(snapshot?.dense ?? emptyDense(space.size), space, changed);
    rows.set(key, dense);
    // A space smaller than the snapshot (a clock set back) keeps the larger snapshot.
    const rewrite =
      snapshot === undefined ||
      (changed.partitions.length > REWRITE_AFTER && (snapshot.storedSize ?? 0) <= space.size);
    if (fingerprint !== undefined && rewrite) {
      const through = changed.throughId > 0 ? await eventLog.event(changed.throughId) : undefined;
      if (through !== undefined || changed.throughId === 0) {
        cache!.write(key, fingerprint, {
          dense,
          throughId: changed.throughId,
          throughTimestamp: through?.timestamp ?? 0,
        });
      }
    }
  }
  return { spaces, rows, updatedAt: await readUpdateTimes(graph, eventLog, spaces, rows) };
}

/**
 * When each partition was last updated, for the assets that give their partitions freshness
 * policies of their own (none in most projects: then nothing is read). Only the partitions
 * with a policy and a version are read: an asset's usable materialization (its `endedAt` in
 * the partition's record, as an unpartitioned asset's freshness reads it), a source's
 * observation that brought its current data version (re-observing the same data does not
 * count; the event's time, by the id in the rows). `NaN`: not read.
 */
async function readUpdateTimes(
  graph: AssetGraph,
  eventLog: EventLog,
  spaces: ReadonlyMap<string, PartitionSpace>,
  rows: ReadonlyMap<string, DensePartitionStates>,
): Promise<Map<string, Float64Array>> {
  const times = new Map<string, Float64Array>();
  for (const [key, space] of spaces) {
    const node = graph.node(key);
    const policyOf = node.definition.partitionFreshness;
    if (policyOf === undefined) continue;
    const dense = rows.get(key)!;
    const at = new Float64Array(space.size).fill(Number.NaN);
    times.set(key, at);
    const source = node.kind === 'source';
    // A source: the time of the observation that changed its data (its id is in the rows).
    // An asset: its usable materialization's endedAt (in its record).
    const ids = source ? dense.changedAt : dense.usableId;
    const wanted: number[] = [];
    for (let i = 0; i < space.size; i++) {
      if (ids[i]! === 0) continue;
      // A broken policy (an error, not a policy) needs no time: its freshness is unknown.
      const policy = partitionPolicyOrError(policyOf, space.keyAt(i));
      if (policy !== undefined && !(policy instanceof DefinitionError)) wanted.push(i);
    }
    if (wanted.length === 0) continue;
    if (source) {
      const found = await eventTimes(
        eventLog,
        wanted.map((i) => ids[i]!),
      );
      for (const i of wanted) at[i] = found.get(ids[i]!) ?? Number.NaN;
      continue;
    }
    const records = await eventLog.partitionRecords(
      key,
      wanted.map((i) => space.keyAt(i)),
    );
    for (const record of records) {
      const i = space.indexOf(record.partition);
      const ended = record.usable?.materialization.endedAt;
      if (i >= 0 && ended !== undefined) at[i] = ended;
    }
  }
  return times;
}

/** When each event was recorded, by id: in one read where the event log offers it. */
async function eventTimes(
  eventLog: EventLog,
  ids: readonly number[],
): Promise<Map<number, number>> {
  if (eventLog.eventTimes !== undefined) return eventLog.eventTimes(ids);
  const times = new Map<number, number>();
  for (const id of ids) {
    const event = await eventLog.event(id);
    if (event !== undefined) times.set(id, event.timestamp);
  }
  return times;
}

/** The cached snapshot of `key`, if it exists and belongs to this event log. */
async function validSnapshot(
  cache: PartitionCache,
  eventLog: EventLog,
  key: string,
  fingerprint: string,
  size: number,
): Promise<PartitionSnapshot | undefined> {
  const snapshot = cache.read(key, fingerprint, size);
  if (snapshot === undefined || snapshot.throughId === 0) return snapshot;
  const event = await eventLog.event(snapshot.throughId);
  return event?.timestamp === snapshot.throughTimestamp ? snapshot : undefined;
}

/**
 * Whether a partition keeps its index as time passes: one time window or a static list, or
 * multi partitions whose first dimension is a time window or static list and second a
 * static list. (A dynamic key's index moves when a key is removed; in multi partitions
 * every index moves when the second dimension grows.)
 */
function stableLayout(definition: PartitionsDefinition): boolean {
  if (definition.kind === 'time-window' || definition.kind === 'static') return true;
  if (definition.kind !== 'multi') return false;
  const [first, second] = definition.dimensions;
  return first?.partitions.kind !== 'dynamic' && second?.partitions.kind === 'static';
}

/**
 * The partitions to work on in each selected partitioned asset. The request names them in
 * every asset whose partitions have those keys; an upstream asset of the selection also gets
 * the partitions its selected downstream partitions read (`+rising_3d --partition
 * 2024-01-05` includes the three days that window reads), so an asset with other partitions
 * (states upstream of days) gets what is read of it, and one downstream the partitions
 * reading what is requested. An asset the request reaches in none of these ways is an error
 * naming it.
 */
export function requestedPartitions(
  graph: AssetGraph,
  selected: Iterable<string>,
  spaces: ReadonlyMap<string, PartitionSpace>,
  request: PartitionRequest | undefined,
): Map<string, PartitionSet> {
  const requested = new Map<string, PartitionSet>();
  if (
    request === undefined ||
    (request.keys === undefined && request.from === undefined && request.to === undefined)
  ) {
    return requested;
  }
  if ((request.from === undefined) !== (request.to === undefined)) {
    throw new EnvironmentError('E_USAGE', 'give both --from and --to (a range includes both ends)');
  }
  const partitioned = graph.sortTopologically([...selected].filter((key) => spaces.has(key)));
  if (partitioned.length === 0) {
    throw new EnvironmentError(
      'E_NOT_FOUND',
      'the selection has no partitioned asset to pick partitions of',
      { hint: 'drop --partition/--from/--to, or select a partitioned asset' },
    );
  }
  const problems = new Map<string, EnvironmentError>();
  for (const key of partitioned) {
    try {
      requested.set(key, named(key, spaces.get(key)!, request));
    } catch (error) {
      if (!(error instanceof EnvironmentError)) throw error;
      problems.set(key, error);
    }
  }
  // Downstream first: what a requested partition reads upstream is requested too.
  for (const key of [...partitioned].reverse()) {
    const set = requested.get(key);
    if (set === undefined || set.isEmpty()) continue;
    const node = graph.node(key);
    const down = spaces.get(key)!;
    for (const parent of node.parents) {
      const up = spaces.get(parent);
      if (up === undefined || !partitioned.includes(parent)) continue;
      const mapping = graph.mappingOf(key, parent, up, down);
      const reads = mapping.upstreamFor(set, down, up).partitions;
      requested.set(parent, (requested.get(parent) ?? PartitionSet.empty(up.size)).union(reads));
    }
  }
  // Then an asset the request names nothing of (a monthly rollup of requested days) gets
  // the partitions that read what is requested upstream of it.
  for (const key of partitioned) {
    if (requested.has(key)) continue;
    const node = graph.node(key);
    const down = spaces.get(key)!;
    for (const parent of node.parents) {
      const set = requested.get(parent);
      if (set === undefined) continue;
      const up = spaces.get(parent)!;
      const mapping = graph.mappingOf(key, parent, up, down);
      const reading = mapping.downstreamFor(set, up, down);
      requested.set(key, (requested.get(key) ?? PartitionSet.empty(down.size)).union(reading));
    }
    if (!requested.has(key)) {
      throw (
        problems.get(key) ?? new EnvironmentError('E_NOT_FOUND', `nothing requested of '${key}'`)
      );
    }
  }
  return requested;
}

/** The partitions of one asset the request names by key or range. */
function named(key: string, space: PartitionSpace, request: PartitionRequest): PartitionSet {
  const set = PartitionSet.empty(space.size);
  for (const partition of request.keys ?? []) {
    const index = space.indexOf(partition);
    if (index < 0) throw unknownPartition(key, partition, space);
    set.add(index);
  }
  if (request.from === undefined || request.to === undefined) return set;
  try {
    return set.union(partitionRange(space, request.from, request.to));
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    throw new EnvironmentError(error.code, `asset '${key}': ${error.message}`, {
      hint: error.hint,
    });
  }
}

/** The error for a partition `space` does not have, with a hint at what was meant. */
export function unknownPartition(
  key: string,
  partition: string,
  space: PartitionSpace,
): EnvironmentError {
  const description = space.definition?.description ?? 'no partitions';
  return new EnvironmentError(
    'E_NOT_FOUND',
    `asset '${key}' has no partition '${partition}' (it has ${description}, ${space.size} now)`,
    { hint: partitionHint(partition, space) },
  );
}

function partitionHint(partition: string, space: PartitionSpace): string {
  // A key written short ('2017-12' for the month starting 2017-12-01) names its partition.
  for (let i = 0; i < space.size && partition !== ''; i++) {
    if (space.keyAt(i).startsWith(partition)) return `did you mean '${space.keyAt(i)}'?`;
  }
  if (space.definition?.kind === 'time-window') {
    return `a time window exists once it has ended; keys look like ${space.size > 0 ? space.keyAt(space.size - 1) : 'the start date'}`;
  }
  if (space.size === 0) return 'add dynamic keys with weir partitions add NAME KEY…';
  return `keys look like ${space.keyAt(0)}${space.definition?.kind === 'dynamic' ? '; add dynamic keys with weir partitions add' : ''}`;
}
