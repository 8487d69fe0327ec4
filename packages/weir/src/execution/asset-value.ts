/**
 * @module execution/asset-value
 * The current value of an asset (or of one partition): what its downstream would read now,
 * the newest *usable* materialization, decoded from the artefact store. Writes nothing.
 */
import {
  dynamicNames,
  type FileArtefact,
  type JsonValue,
  type PartitionSpace,
  type PartitionsDefinition,
  type ProjectDefinition,
  resolvePartitionSpace,
} from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph, AssetNode } from '../graph/index.js';
import type { AssetRecord, EventLog, MaterializationSummary } from '../storage/index.js';
import { loadValue } from './_values.js';
import type { Instance } from './instance.js';
import { unknownPartition } from './partitions.js';
import { graphOf } from './project-graph.js';

export interface AssetValueOptions {
  instance: Instance;
  key: string;
  /** The partition of a partitioned asset; required for one, refused for any other. */
  partition?: string;
  /** The time partition windows are resolved at (epoch ms); now by default. */
  now?: number;
}

/** What was read, and from which materialization. */
interface AssetValueBase {
  key: string;
  /** The partition read, `''` for an unpartitioned asset. */
  partition: string;
  dataVersion: string;
  codeVersion: string;
  /** The id of the `asset:materialized` event the value comes from. */
  materializationId: number;
  runId: string;
  /** When it was recorded (epoch ms). */
  materializedAt: number;
  /** The artefact's location in the instance's store. */
  location: string;
}

/** An asset's current value, by storage format: decoded JSON, raw bytes, or a stored path. */
export type AssetValue = AssetValueBase &
  (
    | { format: 'json'; value: JsonValue }
    | { format: 'bytes'; value: Uint8Array }
    | { format: 'files'; value: FileArtefact }
  );

/**
 * The value consumers of `key` read now: its newest usable materialization (a materialization
 * that failed a blocking check is not one). Throws `E_UNKNOWN_ASSET` for a key the project
 * lacks and `E_NOT_FOUND` for a source asset, a partition the asset lacks (or a partition
 * missing or given needlessly) and an asset or partition with no usable materialization yet.
 * @example
 * const { value, dataVersion } = await assetValue(project, { instance, key: 'gauges/flood_alerts' });
 */
export async function assetValue(
  project: ProjectDefinition | AssetGraph,
  options: AssetValueOptions,
): Promise<AssetValue> {
  return (await currentValueSource(project, options)).load();
}

/** Which materialization `assetValue` would read, known before its artefact is read. */
export type AssetValueSource = AssetValueBase & {
  format: AssetValue['format'];
  /** Reads and decodes the artefact. */
  load(): Promise<AssetValue>;
};

/**
 * What `assetValue` would read, without reading it yet: a reader that keeps decoded values
 * (the server, for apps) loads only when `materializationId` moved. Throws as `assetValue`.
 */
export async function currentValueSource(
  project: ProjectDefinition | AssetGraph,
  options: AssetValueOptions,
): Promise<AssetValueSource> {
  const graph = graphOf(project);
  const node = graph.node(options.key);
  const partition = await partitionOf(node, options);
  const { eventLog, artefacts } = options.instance;
  const [record] =
    partition === ''
      ? await eventLog.latest([node.key])
      : await eventLog.partitionRecords(node.key, [partition]);
  const usable = usableOf(node.key, partition, record);
  const base: AssetValueBase = {
    key: node.key,
    partition,
    dataVersion: usable.materialization.dataVersion,
    codeVersion: usable.materialization.codeVersion,
    materializationId: usable.id,
    runId: usable.runId,
    materializedAt: usable.timestamp,
    location: usable.materialization.artefact.location,
  };
  const format = usable.materialization.artefact.format;
  return {
    ...base,
    format: format === 'files' || format === 'bytes' ? format : 'json',
    async load(): Promise<AssetValue> {
      const value = await loadValue(artefacts, usable);
      switch (format) {
        case 'files':
          return { ...base, format: 'files', value: value as FileArtefact };
        case 'bytes':
          return { ...base, format: 'bytes', value: value as Uint8Array };
        default:
          return { ...base, format: 'json', value: value as JsonValue };
      }
    },
  };
}

/** The partition to read: `''` for an unpartitioned asset, else a key its space holds now. */
async function partitionOf(node: AssetNode, options: AssetValueOptions): Promise<string> {
  const { key, partition } = options;
  if (node.kind === 'source') {
    throw notFound(`'${key}' is a source asset: Weir observes it and stores no value`, {
      hint: `its data version and history: weir history ${key}`,
    });
  }
  if (node.partitions === undefined) {
    if (partition === undefined) return '';
    throw notFound(`asset '${key}' is not partitioned`, {
      hint: `drop --partition: weir value ${key}`,
    });
  }
  const space = await spaceOf(
    node.partitions,
    options.instance.eventLog,
    options.now ?? Date.now(),
  );
  const description = space.definition?.description ?? 'partitions';
  if (partition === undefined) {
    throw notFound(`asset '${key}' is partitioned (${description}): name one partition`, {
      hint: `weir value ${key} --partition ${space.size > 0 ? space.keyAt(space.size - 1) : 'P'}`,
    });
  }
  if (space.indexOf(partition) < 0) throw unknownPartition(key, partition, space);
  return partition;
}

/** The partitions `definition` has at `now`, dynamic keys read from the log. */
async function spaceOf(
  definition: PartitionsDefinition,
  eventLog: EventLog,
  now: number,
): Promise<PartitionSpace> {
  const dynamic = new Map<string, readonly string[]>();
  for (const name of dynamicNames(definition))
    dynamic.set(name, await eventLog.dynamicPartitions(name));
  return resolvePartitionSpace(definition, { now, dynamicKeys: (name) => dynamic.get(name) ?? [] });
}

function usableOf(
  key: string,
  partition: string,
  record: AssetRecord | undefined,
): MaterializationSummary {
  const label = partition === '' ? key : `${key}[${partition}]`;
  if (record?.usable !== undefined) return record.usable;
  const newest = record?.materialization;
  if (newest === undefined) {
    throw notFound(`${label} has not been materialized yet`, {
      hint: `weir materialize ${key}${partition === '' ? '' : ` --partition ${partition}`}`,
    });
  }
  const checks = (newest.materialization.blockedBy ?? []).join(', ');
  throw notFound(
    `${label} has no usable value yet: its newest materialization (event ${newest.id}) failed blocking checks (${checks}), as did any before it`,
    { hint: `weir why ${key}${partition === '' ? '' : ` --partition ${partition}`}` },
  );
}

function notFound(message: string, options: { hint?: string }): EnvironmentError {
  return new EnvironmentError('E_NOT_FOUND', message, options);
}
