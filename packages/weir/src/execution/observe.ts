/**
 * @module execution/observe
 * Observing source assets: calling each `observe()` (once per partition of a partitioned
 * source) and comparing what it returns with the last recorded observation. Observing
 * records nothing; writers record the changes with `recordObservations`. A broken source is
 * a failure returned, not thrown: it stops only what depends on it.
 */
import {
  jsonProblem,
  type ObserveContext,
  type ObserveResult,
  type PartitionSpace,
  partitionInfoAt,
  type SourceAssetDefinition,
} from '../definitions/index.js';
import type { AssetGraph, AssetNode } from '../graph/index.js';
import type { EventLog, Observation, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import type { ResourcePool } from './_resources.js';
import { bufferedLogger, type LogEntry } from './_step-logger.js';
import { resolveSpaces } from './partitions.js';

export interface ObservationFailure {
  key: string;
  /** The partition that could not be observed (`''` for an unpartitioned source). */
  partition: string;
  error: Error;
}

/** A source (partition) whose observed data version differs from the last one recorded. */
export interface ChangedObservation {
  key: string;
  partition: string;
  /** When it was observed (epoch ms). */
  timestamp: number;
  observation: Observation;
}

export interface SourceObservations {
  /** Sources (and partitions) whose version changed since the last recorded observation, or that had none. */
  changed: ChangedObservation[];
  failures: ObservationFailure[];
}

export const NOTHING_OBSERVED: SourceObservations = { changed: [], failures: [] };

export interface ObserveOptions {
  resources: ResourcePool;
  signal: AbortSignal;
  /** The time that decides which time windows exist. */
  now: number;
  /** `ctx.log` entries of the observers. */
  onLog?: (assetKey: string, entry: LogEntry) => void;
}

/** Partitions of one source observed at once. */
const CONCURRENCY = 8;

/** Observes the source assets among `keys`, in parallel. Writes nothing. */
export async function observeSources(
  graph: AssetGraph,
  keys: Iterable<string>,
  eventLog: EventLog,
  options: ObserveOptions,
): Promise<SourceObservations> {
  const sources = [...keys].map((key) => graph.node(key)).filter((node) => node.kind === 'source');
  if (sources.length === 0) return NOTHING_OBSERVED;
  const spaces = await resolveSpaces(
    graph,
    eventLog,
    sources.map((node) => node.key),
    options.now,
  );
  const found: SourceObservations = { changed: [], failures: [] };
  await Promise.all(
    sources.map((node) => observeSource(node, spaces.get(node.key), eventLog, options, found)),
  );
  const order = (a: { key: string; partition: string }, b: { key: string; partition: string }) =>
    a.key.localeCompare(b.key) || a.partition.localeCompare(b.partition);
  found.changed.sort(order);
  found.failures.sort(order);
  return found;
}

/** Observes one source, each of its partitions (when it has a space), into `found`. */
async function observeSource(
  node: AssetNode,
  space: PartitionSpace | undefined,
  eventLog: EventLog,
  options: ObserveOptions,
  found: SourceObservations,
): Promise<void> {
  const definition = node.definition as SourceAssetDefinition;
  const partitions =
    space === undefined
      ? [NO_PARTITION]
      : Array.from({ length: space.size }, (_, i) => space.keyAt(i));
  const records =
    space === undefined
      ? await eventLog.latest([node.key])
      : await eventLog.partitionRecords(node.key, partitions);
  const recorded = new Map(
    records.map((r) => [r.partition, r.observation?.observation.dataVersion]),
  );
  const onLog = options.onLog ?? (() => {});
  const observeOne = async (partition: string, index: number) => {
    try {
      const ctx: ObserveContext = {
        key: node.key,
        resources: await options.resources.valuesFor(definition.resources),
        log: bufferedLogger((entry) => onLog(node.key, entry)),
        signal: options.signal,
        partition: space === undefined ? undefined : partitionInfoAt(space, index),
      };
      const observation = normalize(await definition.observe(ctx), node.key, partition);
      if (recorded.get(partition) === observation.dataVersion) return;
      found.changed.push({ key: node.key, partition, timestamp: Date.now(), observation });
    } catch (error) {
      found.failures.push({
        key: node.key,
        partition,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < partitions.length) {
      const index = next++;
      await observeOne(partitions[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, partitions.length) }, worker));
}

/** Records an `asset:observed` event for each changed source (partition), in one transaction. */
export async function recordObservations(
  eventLog: EventLog,
  observations: SourceObservations,
): Promise<StoredEvent<'asset:observed'>[]> {
  const events = observations.changed.map(
    ({ key, partition, timestamp, observation }): WeirEvent => ({
      type: 'asset:observed',
      assetKey: key,
      partition,
      timestamp,
      observation,
    }),
  );
  return (await eventLog.append(events)) as StoredEvent<'asset:observed'>[];
}

function normalize(result: ObserveResult, key: string, partition: string): Observation {
  const which = partition === NO_PARTITION ? '' : ` (partition ${partition})`;
  if (typeof result === 'string' && result !== '') return { dataVersion: result, metadata: {} };
  if (
    typeof result === 'object' &&
    result !== null &&
    typeof result.dataVersion === 'string' &&
    result.dataVersion !== ''
  ) {
    const problem = jsonProblem(result.metadata);
    if (problem !== undefined) {
      throw new TypeError(
        `source asset '${key}'${which} observe() returned metadata that is not JSON: ${problem}`,
      );
    }
    return { dataVersion: result.dataVersion, metadata: result.metadata ?? {} };
  }
  throw new TypeError(
    `source asset '${key}'${which} observe() must return a non-empty data version string or { dataVersion, metadata }, got ${JSON.stringify(result)}`,
  );
}
