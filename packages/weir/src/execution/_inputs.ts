/**
 * What a step reads: each input's value (one partition, a map of several, or an
 * unpartitioned value) and the provenance of every upstream, through the edge's mapping.
 */
import {
  type AssetDefinition,
  PartitionSet,
  type SourceObservation,
  UNPARTITIONED_SPACE,
} from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetNode } from '../graph/index.js';
import type { InputVersion } from '../storage/index.js';
import { combinedVersion } from './_newest-usable.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';
import { loadValue } from './_values.js';

/** How many partition keys provenance lists before keeping only their count. */
const LISTED_PARTITIONS = 10;

export interface StepInputs {
  values: Record<string, unknown>;
  provenance: Record<string, InputVersion>;
}

export async function gatherInputs(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
): Promise<StepInputs> {
  const definition = node.definition as AssetDefinition;
  const range = definition.backfillPolicy === 'single-run';
  /** Per partitioned parent: the partition keys this unit reads that have a version. */
  const readKeys = new Map<string, string[]>();
  const provenance: Record<string, InputVersion> = {};
  for (const parent of node.parents) {
    if (!run.versions.isPartitioned(parent)) {
      provenance[parent] = run.versions.current(parent);
      continue;
    }
    const keys = await partitionsRead(run, node, unit, parent);
    readKeys.set(parent, keys);
    provenance[parent] = combined(run, parent, keys);
  }
  const values: Record<string, unknown> = {};
  for (const [name, parent] of node.inputs) {
    const keys = readKeys.get(parent);
    const many = range || definition.inputModes[name]?.many === true;
    if (keys === undefined) {
      const value = await loadInput(run, parent);
      values[name] = many ? new Map([['', value]]) : value;
    } else if (many) {
      const map = new Map<string, unknown>();
      for (const key of keys) map.set(key, await loadInput(run, parent, key));
      values[name] = map;
    } else {
      if (keys.length !== 1) {
        throw new EnvironmentError(
          'E_ARTEFACT',
          `input '${name}' of ${unit.label} has no partition of ${parent} to read`,
          { hint: `materialize it first, e.g. weir materialize +${node.key}` },
        );
      }
      values[name] = await loadInput(run, parent, keys[0]!);
    }
  }
  return { values, provenance };
}

/**
 * The provenance of one partition of a range unit (`single-run`): what that partition alone
 * reads, so its history and `why` name its own inputs, not the whole range's.
 */
export async function partitionProvenance(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  index: number,
): Promise<Record<string, InputVersion>> {
  return provenanceOf(run, node, unit, PartitionSet.empty(unit.space!.size).add(index));
}

/** The version of every upstream that `set` of `unit`'s partitions (all of them by default) reads now. */
export async function provenanceOf(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  set?: PartitionSet,
): Promise<Record<string, InputVersion>> {
  const provenance: Record<string, InputVersion> = {};
  for (const parent of node.parents) {
    provenance[parent] = run.versions.isPartitioned(parent)
      ? combined(run, parent, await partitionsRead(run, node, unit, parent, set))
      : run.versions.current(parent);
  }
  return provenance;
}

/**
 * Whether everything `unit` reads is at the version its current materialization read, so a
 * step planned only because its upstream ran can be skipped as unchanged.
 */
export async function readsUnchanged(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  recorded: Readonly<Record<string, { dataVersion: string }>> | undefined,
): Promise<boolean> {
  if (recorded === undefined) return false;
  const now = await provenanceOf(run, node, unit);
  return node.parents.every((parent) => recorded[parent]?.dataVersion === now[parent]!.dataVersion);
}

/**
 * Every asset partition `unit` reads, with the newest materialization id the run knows of it:
 * what must still be the newest when the unit starts (`EventLog.startSteps`), so a step is
 * never built from a version another run replaced after this run learnt it.
 */
export async function inputExpectations(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
): Promise<Array<{ assetKey: string; partition: string; materializationId: number }>> {
  const expected: Array<{ assetKey: string; partition: string; materializationId: number }> = [];
  for (const parent of node.parents) {
    if (run.graph.node(parent).kind === 'source') continue;
    const keys = run.versions.isPartitioned(parent)
      ? mappedKeys(run, node, unit, parent)
      : [undefined];
    if (keys[0] !== undefined) await run.versions.load(parent, keys as string[]);
    for (const key of keys) {
      const partition = key ?? '';
      expected.push({
        assetKey: parent,
        partition,
        materializationId: run.versions.newestId(parent, partition),
      });
    }
  }
  return expected;
}

/** The partitions of `parent` that `unit` reads and that have a version, in partition order. */
export function partitionsWithVersions(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  parent: string,
): Promise<string[]> {
  return partitionsRead(run, node, unit, parent);
}

/** The partitions of `parent` that `unit` (or `set` of its space) reads and that have a version, in partition order. */
async function partitionsRead(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  parent: string,
  set: PartitionSet = unit.partitions ?? PartitionSet.all(1),
): Promise<string[]> {
  const keys = mappedKeys(run, node, unit, parent, set);
  await run.versions.load(parent, keys);
  return keys.filter((key) => run.versions.event(parent, key) !== undefined);
}

/** The partitions of `parent` that `unit` (or `set` of its space) reads, in partition order. */
export function mappedKeys(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  parent: string,
  set: PartitionSet = unit.partitions ?? PartitionSet.all(1),
): string[] {
  const up = run.spaces.get(parent)!;
  const down = unit.space ?? UNPARTITIONED_SPACE;
  const mapping = run.graph.mappingOf(node.key, parent, up, down);
  const keys: string[] = [];
  for (const i of mapping.upstreamFor(set, down, up).partitions.indices()) keys.push(up.keyAt(i));
  return keys;
}

/** One input version for several partitions: a hash of their keys and versions, the newest event. */
function combined(run: RunContext, parent: string, keys: readonly string[]): InputVersion {
  if (keys.length === 1) {
    return { ...run.versions.current(parent, keys[0]), partitionCount: 1, partitions: [keys[0]!] };
  }
  let eventId = 0;
  const reads: Array<{ partition: string; dataVersion: string }> = [];
  for (const key of keys) {
    const version = run.versions.current(parent, key);
    if (version.eventId > eventId) eventId = version.eventId;
    reads.push({ partition: key, dataVersion: version.dataVersion });
  }
  const input: InputVersion = {
    dataVersion: keys.length === 0 ? '' : combinedVersion(reads),
    eventId,
    partitionCount: keys.length,
  };
  if (keys.length <= LISTED_PARTITIONS) input.partitions = [...keys];
  return input;
}

async function loadInput(run: RunContext, key: string, partition?: string): Promise<unknown> {
  const current = run.versions.event(key, partition);
  if (current?.type === 'asset:observed') {
    const observation: SourceObservation = {
      dataVersion: current.observation.dataVersion,
      observedAt: new Date(current.timestamp).toISOString(),
      metadata: current.observation.metadata,
    };
    return observation;
  }
  if (current?.type !== 'asset:materialized') {
    throw new EnvironmentError(
      'E_ARTEFACT',
      `input ${key}${partition === undefined ? '' : `[${partition}]`} has no materialization to read`,
    );
  }
  return loadValue(run.artefacts, current, (location) => run.readArtefact(location));
}
