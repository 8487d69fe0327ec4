/**
 * @module execution/partitions
 * Partitioned assets at run time: their spaces (time windows as of now, dynamic keys from
 * the log), their stored partition rows, and the partitions a user asked for.
 */

import { join } from 'node:path';
import {
  type PartitionSet,
  type PartitionSpace,
  PartitionSet as Partitions,
  type PartitionsDefinition,
  partitionRange,
  resolvePartitionSpace,
} from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
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

/** Where an instance keeps its partition snapshots. */
export function partitionCacheDir(instance: Instance): string {
  return join(instance.dir, 'cache', 'partitions');
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
  const spaces = new Map<string, PartitionSpace>();
  const rows = new Map<string, DensePartitionStates>();
  const dynamic = new Map<string, readonly string[]>();
  for (const key of keys) {
    const node = graph.get(key);
    const definition = node?.partitions;
    if (definition === undefined) continue;
    for (const name of dynamicNames(definition)) {
      if (!dynamic.has(name)) dynamic.set(name, await eventLog.dynamicPartitions(name));
    }
    const space = resolvePartitionSpace(definition, {
      now,
      dynamicKeys: (name) => dynamic.get(name) ?? [],
    });
    spaces.set(key, space);
    // Indices of dynamic keys move when keys are removed: only fixed layouts are cached.
    const fingerprint =
      cache !== undefined && dynamicNames(definition).length === 0
        ? JSON.stringify(definition)
        : undefined;
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
    if (
      fingerprint !== undefined &&
      (snapshot === undefined || changed.partitions.length > REWRITE_AFTER)
    ) {
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
  return { spaces, rows };
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

function dynamicNames(definition: PartitionsDefinition): string[] {
  if (definition.kind === 'dynamic') return [definition.name];
  if (definition.kind === 'multi')
    return definition.dimensions.flatMap((d) => dynamicNames(d.partitions));
  return [];
}

/**
 * The partitions `request` names in each selected partitioned asset. A key or range end an
 * asset does not have is an error naming the asset and its partitions.
 */
export function requestedPartitions(
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
  let partitioned = 0;
  for (const key of selected) {
    const space = spaces.get(key);
    if (space === undefined) continue;
    partitioned++;
    const set = Partitions.empty(space.size);
    for (const partition of request.keys ?? []) {
      const index = space.indexOf(partition);
      if (index < 0) throw unknownPartition(key, partition, space);
      set.add(index);
    }
    if (request.from !== undefined && request.to !== undefined) {
      try {
        requested.set(key, set.union(partitionRange(space, request.from, request.to)));
        continue;
      } catch (error) {
        if (error instanceof EnvironmentError) {
          throw new EnvironmentError('E_USAGE', `asset '${key}': ${error.message}`, {
            hint: error.hint,
          });
        }
        throw error;
      }
    }
    requested.set(key, set);
  }
  if (partitioned === 0) {
    throw new EnvironmentError(
      'E_USAGE',
      'the selection has no partitioned asset to pick partitions of',
      {
        hint: 'drop --partition/--from/--to, or select a partitioned asset',
      },
    );
  }
  return requested;
}

function unknownPartition(key: string, partition: string, space: PartitionSpace): EnvironmentError {
  const description = space.definition?.description ?? 'no partitions';
  const window = space.definition?.kind === 'time-window';
  return new EnvironmentError(
    'E_USAGE',
    `asset '${key}' has no partition '${partition}' (it has ${description}, ${space.size} now)`,
    {
      hint: window
        ? 'a time window exists once it has ended; keys look like ' +
          (space.size > 0 ? space.keyAt(space.size - 1) : 'the start date')
        : space.size > 0
          ? `keys look like ${space.keyAt(0)}${space.definition?.kind === 'dynamic' ? '; add dynamic keys with weir partitions add' : ''}`
          : 'add dynamic keys with weir partitions add NAME KEY…',
    },
  );
}
