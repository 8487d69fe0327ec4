/**
 * @module execution/lineage
 * Provenance all the way down: the materialization a value comes from, the ones it read,
 * and theirs, to the source observations. Each materialization records the event it read of
 * every input. For an input read over several partitions it records the newest of their
 * events, a hash of their keys and versions, and the keys themselves when there are few;
 * each partition's version is the newest usable one as of the read (see partitionsRead), the
 * keys from today's mapping when not recorded, and they are shown only when they hash back
 * to the recorded version: otherwise the input is `unrecorded`.
 */
import { PartitionSet, type PartitionSpace, UNPARTITIONED_SPACE } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { InputVersion, MaterializationEvent } from '../storage/index.js';
import { combinedVersion, newestUsable, type ValueEvent, versionOf } from './_newest-usable.js';
import type { Instance } from './instance.js';
import { resolveSpaces } from './partitions.js';

/** One value in a lineage: what produced it and, for a materialization, what it read. */
export interface LineageNode {
  readonly key: string;
  readonly partition?: string;
  /** 0 for an `unrecorded` input. */
  readonly eventId: number;
  /**
   * `unknown`: the event read is no longer in the log; `unrecorded`: an input read over many
   * partitions whose keys were not recorded and today's mapping no longer gives them.
   */
  readonly kind: 'materialization' | 'observation' | 'unknown' | 'unrecorded';
  readonly dataVersion?: string;
  readonly codeVersion?: string;
  readonly runId?: string;
  readonly timestamp?: number;
  /** `unrecorded` only: how many partitions were read. */
  readonly partitionCount?: number;
  /** The values it read; absent for an observation, or past the depth limit. */
  readonly inputs?: readonly LineageNode[];
  /** True when this event's inputs were already shown higher up (they are not repeated). */
  readonly repeated?: boolean;
}

export interface LineageOptions {
  readonly partition?: string;
  /** Levels of inputs below the value (default: all the way to the sources). */
  readonly depth?: number;
  readonly now?: number;
}

/** The lineage of the current (usable) value of `key`, or of one partition; undefined if none. */
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
      { hint: `name one: weir why ${key} --partition P --lineage` },
    );
  }
  const part = options.partition ?? '';
  const current = (await newestUsable(instance, key, [part], undefined)).get(part);
  if (current === undefined) return undefined;
  const spaces = await resolveSpaces(
    graph,
    instance.eventLog,
    graph.keys,
    options.now ?? Date.now(),
  );
  const expanded = new Set<number>();
  const nodeOf = async (event: ValueEvent, depth: number): Promise<LineageNode> => {
    const base = describe(event);
    if (event.type !== 'asset:materialized' || depth === 0) return base;
    if (expanded.has(event.id)) return { ...base, repeated: true };
    expanded.add(event.id);
    const inputs: LineageNode[] = [];
    for (const [parent, input] of Object.entries(event.materialization.inputs)) {
      if (input.eventId === 0) continue; // read no partition of it
      for (const read of await readOf(instance, graph, spaces, event, parent, input)) {
        inputs.push('kind' in read ? read : await nodeOf(read, depth - 1));
      }
    }
    return { ...base, inputs };
  };
  return nodeOf(current, options.depth ?? Number.POSITIVE_INFINITY);
}

/** The events `event` read of `parent` (or a node saying what cannot be told). */
async function readOf(
  instance: Instance,
  graph: AssetGraph,
  spaces: ReadonlyMap<string, PartitionSpace>,
  event: MaterializationEvent,
  parent: string,
  input: InputVersion,
): Promise<Array<ValueEvent | LineageNode>> {
  const count = input.partitionCount ?? input.partitions?.length ?? 1;
  if (count <= 1) {
    const read = await instance.eventLog.event(input.eventId);
    return [(read as ValueEvent | undefined) ?? gone(parent, input)];
  }
  const reads = await partitionsRead(instance, graph, spaces, event, parent, input);
  if (reads !== undefined) return reads;
  return [
    {
      key: parent,
      eventId: 0,
      kind: 'unrecorded',
      dataVersion: input.dataVersion,
      partitionCount: count,
    },
  ];
}

/**
 * The partition versions `event` read of `parent` (an input over several partitions), checked
 * against the recorded combined version; undefined when the log cannot tell. The read
 * happened between the newest of those versions (`input.eventId`) and the reader's own
 * event: the versions as of the first are tried, then as of the second (a blocked version a
 * `weir check` cleared in between).
 */
export async function partitionsRead(
  instance: Instance,
  graph: AssetGraph,
  spaces: ReadonlyMap<string, PartitionSpace>,
  event: MaterializationEvent,
  parent: string,
  input: InputVersion,
): Promise<ValueEvent[] | undefined> {
  const keys = input.partitions ?? readPartitions(graph, spaces, event, parent);
  if (keys === undefined) return undefined;
  for (const before of [input.eventId + 1, event.id]) {
    const found = await newestUsable(instance, parent, keys, before);
    const reads = keys.flatMap((k) => (found.has(k) ? [found.get(k)!] : []));
    if (sameCombined(reads, input)) return reads;
  }
  return undefined;
}

/** Whether `reads` hash to the input's recorded version (`_inputs.ts`'s combined version). */
function sameCombined(reads: readonly ValueEvent[], input: InputVersion): boolean {
  if (reads.length !== input.partitionCount) return false;
  const versions = reads.map((e) => ({ partition: e.partition ?? '', dataVersion: versionOf(e) }));
  return combinedVersion(versions) === input.dataVersion;
}

/** The partitions of `parent` that `event`'s partition reads, by today's definitions. */
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

function gone(key: string, input: InputVersion): LineageNode {
  return { key, eventId: input.eventId, kind: 'unknown', dataVersion: input.dataVersion };
}
