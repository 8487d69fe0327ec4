/**
 * @module execution/reproduce
 * Re-materializes one recorded materialization from the inputs it recorded, with the code
 * that made it, into a scratch store, recording nothing: the evidence for `weir verify
 * --reproduce` (same inputs + same code = same data) and the source of `--repair`.
 *
 * The step runs through the in-process executor with a RunContext whose versions are the
 * recorded inputs (events loaded by id; for partitioned inputs, each partition's version as
 * of the recorded log position, checked against the recorded hash), whose artefacts go to the
 * scratch store, and whose event log reads the real one but records into a sink.
 */
import { randomBytes } from 'node:crypto';
import {
  type AssetDefinition,
  locatedIn,
  PartitionSet,
  type PartitionSpace,
  unitLabel,
} from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { shortVersion } from '../hash.js';
import type {
  AssetRecord,
  InputVersion,
  Materialization,
  MaterializationEvent,
  StoredEvent,
} from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import { codeVersionOf } from '../versioning/index.js';
import { combinedVersion, newestUsable, versionOf } from './_newest-usable.js';
import type { ResourcePool } from './_resources.js';
import { RunContext } from './_run-context.js';
import { SinkEventLog } from './_sink-event-log.js';
import type { StepUnit } from './_units.js';
import { VersionBook, type VersionEvent } from './_version-book.js';
import type { Instance } from './instance.js';
import { partitionsRead } from './lineage.js';
import type { SourceObservations } from './observe.js';
import { inProcessExecutor } from './step.js';

export interface ReproduceContext {
  graph: AssetGraph;
  instance: Instance;
  /** Where reproductions read inputs from and write into (see _scratch-store.ts). */
  artefacts: RunContext['artefacts'];
  /** The partition spaces of the partitioned assets, now. */
  spaces: ReadonlyMap<string, PartitionSpace>;
  /** Index records as read now, with sources observed now (see readState). */
  records: ReadonlyMap<string, AssetRecord>;
  /** Source partitions observed now whose version differs from the one recorded, and failures. */
  observations: SourceObservations;
  resources: ResourcePool;
  signal: AbortSignal;
}

export type ReproductionOutcome =
  /** Ran; its materialization (in the scratch store) is to be compared with the recorded one. */
  | { status: 'ran'; materialization: Materialization }
  /** Cannot be reproduced here (changed code, a source that moved on, inputs gone), and why. */
  | { status: 'cannot-reproduce'; reason: string }
  /** The step threw (or a check blocked) when re-run. */
  | { status: 'failed'; reason: string };

/** Re-runs the step that recorded `event`, from its recorded inputs, recording nothing. */
export async function reproduce(
  ctx: ReproduceContext,
  event: MaterializationEvent,
): Promise<ReproductionOutcome> {
  const node = ctx.graph.node(event.assetKey);
  const definition = node.definition as AssetDefinition;
  const location = locatedIn(definition);
  if (location !== undefined) {
    return cannot(
      `its code is in code location '${location}', and weir verify --reproduce re-runs steps in its own process (not yet in a location's)`,
    );
  }
  const recorded = event.materialization;
  const code = codeVersionOf(definition);
  if (code !== recorded.codeVersion) {
    return cannot(
      `its code changed since (recorded ${shortVersion(recorded.codeVersion)}, now ${shortVersion(code)}): only the code that made it can reproduce it`,
    );
  }
  const moved = await movedSource(ctx, event);
  if (moved !== undefined) return cannot(moved);
  const versions = await recordedVersions(ctx, event);
  if (typeof versions === 'string') return cannot(versions);
  const unit = unitOf(ctx, event);
  if (unit === undefined) return cannot(`partition ${event.partition} is no longer defined`);
  const sink = new SinkEventLog(ctx.instance.eventLog);
  const run = new RunContext({
    runId: `verify-${randomBytes(4).toString('hex')}`,
    graph: ctx.graph,
    eventLog: sink,
    artefacts: ctx.artefacts,
    resources: ctx.resources,
    versions,
    signal: ctx.signal,
    spaces: ctx.spaces,
    // A reproduction builds from scratch: equal data versions then prove that an incremental
    // step's result is what a full rebuild gives.
    previousAvailable: false,
  });
  const outcome = await inProcessExecutor.execute(unit, run);
  if (outcome.status === 'failed') return { status: 'failed', reason: outcome.error.message };
  if (outcome.status === 'cancelled') return { status: 'failed', reason: 'cancelled' };
  const made = sink.recorded.find(
    (e): e is StoredEvent<'asset:materialized'> =>
      e.type === 'asset:materialized' && e.partition === event.partition,
  );
  if (made === undefined)
    return { status: 'failed', reason: 'the step recorded no materialization' };
  const unread = inputsMismatch(recorded.inputs, made.materialization.inputs);
  if (unread !== undefined) return cannot(unread);
  return { status: 'ran', materialization: made.materialization };
}

function cannot(reason: string): ReproductionOutcome {
  return { status: 'cannot-reproduce', reason };
}

/**
 * A source the step read whose data moved on since (or that cannot be observed now): a step
 * that reads its source itself (a file, an API) would see today's data, not what it read then.
 */
async function movedSource(
  ctx: ReproduceContext,
  event: MaterializationEvent,
): Promise<string | undefined> {
  for (const [key, input] of Object.entries(event.materialization.inputs)) {
    if (!ctx.graph.has(key) || ctx.graph.node(key).kind !== 'source' || input.eventId === 0)
      continue;
    const read = input.partitions;
    const failed = ctx.observations.failures.find(
      (f) => f.key === key && (read === undefined || read.includes(f.partition)),
    );
    if (failed !== undefined) {
      return `cannot tell whether its source ${key} moved on: observing it failed now (${failed.error.message})`;
    }
    const now = ctx.spaces.has(key)
      ? await partitionedNow(ctx, key, input)
      : ctx.records.get(key)?.observation?.observation.dataVersion;
    if (now === null)
      return `cannot tell whether its source ${key} moved on: which of its partitions it read was not recorded`;
    if (now !== undefined && now !== input.dataVersion) {
      return `its source ${key} changed since (read ${shortVersion(input.dataVersion)}, now ${shortVersion(now)}): a step that reads its source itself would see today's data`;
    }
  }
  return undefined;
}

/**
 * The version today of the partitions of source `key` that `input` read, in the form it was
 * recorded (one partition's version, or their combined version); null when which partitions
 * were read is not recorded.
 */
async function partitionedNow(
  ctx: ReproduceContext,
  key: string,
  input: InputVersion,
): Promise<string | undefined | null> {
  const partitions = input.partitions;
  if (partitions === undefined) return null;
  const recorded = await newestUsable(ctx.instance, key, partitions, undefined);
  const versions = partitions.map((partition) => {
    const observed = ctx.observations.changed.find(
      (c) => c.key === key && c.partition === partition,
    );
    const event = recorded.get(partition);
    const dataVersion =
      observed?.observation.dataVersion ?? (event === undefined ? undefined : versionOf(event));
    return { partition, dataVersion };
  });
  if (versions.some((v) => v.dataVersion === undefined)) return undefined;
  const known = versions as Array<{ partition: string; dataVersion: string }>;
  return known.length === 1 ? known[0]!.dataVersion : combinedVersion(known);
}

/** The versions the materialization read, as a VersionBook; a reason when they are gone. */
async function recordedVersions(
  ctx: ReproduceContext,
  event: MaterializationEvent,
): Promise<VersionBook | string> {
  const { eventLog } = ctx.instance;
  const records = new Map<string, AssetRecord>();
  const partitioned: Array<[string, InputVersion]> = [];
  for (const [key, input] of Object.entries(event.materialization.inputs)) {
    if (ctx.spaces.has(key)) {
      partitioned.push([key, input]);
      continue;
    }
    if (input.eventId === 0) continue;
    const read = await eventLog.event(input.eventId);
    if (read?.type !== 'asset:materialized' && read?.type !== 'asset:observed') {
      return `the event it read of ${key} (${input.eventId}) is not in the log`;
    }
    const record: AssetRecord = { assetKey: key, partition: NO_PARTITION, checks: {} };
    const readsValue = [...ctx.graph.node(event.assetKey).inputs.values()].includes(key);
    if (read.type === 'asset:materialized' && readsValue) {
      const location = read.materialization.artefact.location;
      if (!(await ctx.artefacts.exists(location))) {
        return `the artefact its input ${key} had then (${location}) is no longer in the store (collected by weir gc, or lost)`;
      }
    }
    if (read.type === 'asset:materialized') record.usable = read;
    else record.observation = read;
    records.set(key, record);
  }
  const versions = new VersionBook(records, ctx.spaces.keys());
  for (const [key, input] of partitioned) {
    for (const found of await partitionsAsOf(ctx, event, key, input)) versions.update(found);
  }
  return versions;
}

/**
 * Each partition of `key` as the step read it: the partitions and versions that hash back to
 * the recorded input (see lineage's partitionsRead), else every partition as of the newest
 * version read. Compared with the recorded versions afterwards (the inputs the re-run
 * computes must hash to the recorded ones).
 */
async function partitionsAsOf(
  ctx: ReproduceContext,
  event: MaterializationEvent,
  key: string,
  input: InputVersion,
): Promise<VersionEvent[]> {
  if (input.partitions?.length === 1) {
    const one = await ctx.instance.eventLog.event(input.eventId);
    return one?.type === 'asset:materialized' || one?.type === 'asset:observed' ? [one] : [];
  }
  const read = await partitionsRead(ctx.instance, ctx.graph, ctx.spaces, event, key, input);
  return (
    read ?? [...(await newestUsable(ctx.instance, key, undefined, input.eventId + 1)).values()]
  );
}

/** The unit that materializes just the event's partition. */
function unitOf(ctx: ReproduceContext, event: MaterializationEvent): StepUnit | undefined {
  const space = ctx.spaces.get(event.assetKey);
  const keys = [event.partition];
  const base = { id: 0, key: event.assetKey, keys, parents: [], children: [] };
  if (space === undefined || event.partition === NO_PARTITION) {
    return { ...base, partitions: undefined, space: undefined, label: event.assetKey };
  }
  const index = space.indexOf(event.partition);
  if (index < 0) return undefined;
  return {
    ...base,
    partitions: PartitionSet.fromRanges(space.size, [[index, index + 1]]),
    space,
    label: unitLabel(event.assetKey, keys),
  };
}

/** Which recorded input the re-run did not read at the same version, if any. */
function inputsMismatch(
  recorded: Record<string, InputVersion>,
  reproduced: Record<string, InputVersion>,
): string | undefined {
  for (const [key, input] of Object.entries(recorded)) {
    const now = reproduced[key]?.dataVersion;
    if (now !== input.dataVersion) {
      return `its input ${key} could not be read back at the recorded version (${shortVersion(input.dataVersion)}; found ${shortVersion(now)})`;
    }
  }
  return undefined;
}
