/**
 * @module execution/lineage
 * Provenance all the way down: the materialization a value comes from, the ones it read,
 * and theirs, to the source observations. Each materialization records the event it read of
 * every input; for an input read over several partitions it records the newest of their
 * events (the log position it read them at), so each partition's version is the newest usable
 * one at or before that position, the partitions read being those the mapping names.
 */
import { PartitionSet, type PartitionSpace, UNPARTITIONED_SPACE } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { InputVersion, MaterializationEvent, StoredEvent } from '../storage/index.js';
import type { Instance } from './instance.js';
import { resolveSpaces } from './partitions.js';
import { assetHistory } from './queries.js';

/** One value in a lineage: what produced it and, for a materialization, what it read. */
export interface LineageNode {
  readonly key: string;
  readonly partition?: string;
  readonly eventId: number;
  readonly kind: 'materialization' | 'observation' | 'unknown';
  readonly dataVersion?: string;
  readonly codeVersion?: string;
  readonly runId?: string;
  readonly timestamp?: number;
  /** The values it read; absent for an observation, or past the depth limit. */
  readonly inputs?: readonly LineageNode[];
  /** True when this event was already shown higher up (its inputs are not repeated). */
  readonly repeated?: boolean;
}

export interface LineageOptions {
  readonly partition?: string;
  /** Levels of inputs below the value (default: all the way to the sources). */
  readonly depth?: number;
  readonly now?: number;
}

type ValueEvent = MaterializationEvent | StoredEvent<'asset:observed'>;

/** The lineage of the current value of `key` (or of one partition), undefined if none. */
export async function lineage(
  instance: Instance,
  graph: AssetGraph,
  key: string,
  options: LineageOptions = {},
): Promise<LineageNode | undefined> {
  if (graph.node(key).partitions !== undefined && options.partition === undefined) {
    throw new EnvironmentError(
      'E_USAGE',
      `asset '${key}' is partitioned: each partition has its own lineage`,
      {
        hint: `name one: weir why ${key} --partition P --lineage`,
      },
    );
  }
  const current = await newestUsable(instance, key, options.partition, undefined);
  if (current === undefined) return undefined;
  const spaces = await resolveSpaces(
    graph,
    instance.eventLog,
    graph.keys,
    options.now ?? Date.now(),
  );
  const seen = new Set<number>();
  const nodeOf = async (event: ValueEvent, depth: number): Promise<LineageNode> => {
    const base = describe(event);
    if (seen.has(event.id)) return { ...base, repeated: true };
    seen.add(event.id);
    if (event.type !== 'asset:materialized' || depth === 0) return base;
    const inputs: LineageNode[] = [];
    for (const [parent, input] of Object.entries(event.materialization.inputs)) {
      if (input.eventId === 0) continue; // read no partition of it
      for (const read of await readEvents(event, parent, input)) {
        inputs.push(read === undefined ? unknown(parent, input) : await nodeOf(read, depth - 1));
      }
    }
    return { ...base, inputs };
  };
  const readEvents = async (
    event: MaterializationEvent,
    parent: string,
    input: InputVersion,
  ): Promise<Array<ValueEvent | undefined>> => {
    const keys = input.partitions ?? readPartitions(graph, spaces, event, parent);
    if (keys === undefined || keys.length <= 1) {
      return [(await instance.eventLog.event(input.eventId)) as ValueEvent | undefined];
    }
    return Promise.all(keys.map((p) => newestUsable(instance, parent, p, input.eventId + 1)));
  };
  return nodeOf(current, options.depth ?? Number.POSITIVE_INFINITY);
}

/** The partitions of `parent` that `event`'s partition reads, by the current definitions. */
function readPartitions(
  graph: AssetGraph,
  spaces: ReadonlyMap<string, PartitionSpace>,
  event: MaterializationEvent,
  parent: string,
): string[] | undefined {
  const up = spaces.get(parent);
  if (up === undefined || !graph.has(event.assetKey) || !graph.has(parent)) return undefined;
  const down = spaces.get(event.assetKey) ?? UNPARTITIONED_SPACE;
  const at = event.partition === undefined ? 0 : down.indexOf(event.partition);
  if (at < 0) return undefined;
  const mapping = graph.mappingOf(event.assetKey, parent, up, down);
  const reads = mapping.upstreamFor(PartitionSet.empty(down.size).add(at), down, up).partitions;
  return [...reads.indices()].map((i) => up.keyAt(i));
}

/**
 * The newest usable materialization (or observation) of `key[partition]` before event
 * `before` (all when undefined): a materialization that failed a blocking check is never read.
 */
async function newestUsable(
  instance: Instance,
  key: string,
  partition: string | undefined,
  before: number | undefined,
): Promise<ValueEvent | undefined> {
  let cursor = before;
  for (;;) {
    const page = await assetHistory(instance, key, {
      limit: 50,
      ...(partition === undefined ? {} : { partition }),
      ...(cursor === undefined ? {} : { before: cursor }),
    });
    const usable = page.find(
      (e) => e.type === 'asset:observed' || !e.materialization.blockedBy?.length,
    );
    if (usable !== undefined || page.length < 50) return usable;
    cursor = page[page.length - 1]!.id;
  }
}

function describe(event: ValueEvent): LineageNode {
  const common = {
    key: event.assetKey,
    ...(event.partition === undefined || event.partition === ''
      ? {}
      : { partition: event.partition }),
    eventId: event.id,
    timestamp: event.timestamp,
  };
  if (event.type === 'asset:observed') {
    return { ...common, kind: 'observation', dataVersion: event.observation.dataVersion };
  }
  return {
    ...common,
    kind: 'materialization',
    dataVersion: event.materialization.dataVersion,
    codeVersion: event.materialization.codeVersion,
    ...(event.runId === undefined ? {} : { runId: event.runId }),
  };
}

function unknown(key: string, input: InputVersion): LineageNode {
  return { key, eventId: input.eventId, kind: 'unknown', dataVersion: input.dataVersion };
}
