/**
 * @module versioning/staleness
 * Pure staleness resolution: a function of the graph, the latest records and the current
 * code versions. No I/O; the caller gathers the records once.
 */

import type { PartitionSpace } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { shortVersion } from '../hash.js';
import type { AssetRecord, StatusRow } from '../storage/index.js';
import { freshFromRow } from './_fresh-from-row.js';
import { freshnessOf } from './_freshness.js';
import { codeVersionOf } from './code-version.js';
import type { DensePartitionStates } from './partition-staleness.js';
import {
  partitionedParentCause,
  resolvePartitionedAsset,
  resolvePartitionedSource,
  type SourcePartitionsNow,
} from './partitioned-asset-state.js';
import type { AssetState, StaleCause, VersionSource } from './stale-status.js';

/** What staleness is resolved from: the stored state, gathered by the caller. */
export interface StalenessInputs {
  /** The index record of each unpartitioned asset (and the asset-level record of a partitioned one). */
  records: ReadonlyMap<string, AssetRecord>;
  /** Resolve these and everything upstream of them; every asset when omitted. */
  keys?: Iterable<string>;
  /** The time freshness and time windows are judged at (epoch ms). */
  now: number;
  /** Source assets whose observation just failed, with the error: they and their downstream are not fresh. */
  unobservable?: ReadonlyMap<string, string>;
  /** The partitioned assets' spaces and stored rows. */
  partitions?: PartitionInputs;
  /** Partitioned sources: what observing them found now (changes not recorded yet, failures). */
  sources?: ReadonlyMap<string, SourcePartitionsNow>;
  /** States decided already (by `resolveFromRows`), taken as they are. */
  resolved?: ReadonlyMap<string, AssetState>;
}

/**
 * The state of every asset in `keys` and everything upstream of them (all assets when
 * omitted), keyed by asset key. An asset is stale when it is missing, its code version
 * changed, an input's data version moved on, or an input is itself stale; failed when its
 * newest attempt failed.
 */
export function resolveStaleness(
  graph: AssetGraph,
  inputs: StalenessInputs,
): Map<string, AssetState> {
  const { records, now } = inputs;
  const unobservable = inputs.unobservable ?? NOTHING_UNOBSERVABLE;
  const partitions = inputs.partitions ?? NO_PARTITIONS;
  const wanted = inputs.keys === undefined ? undefined : graph.upstreamOf(inputs.keys);
  const states = new Map<string, AssetState>();
  for (const key of graph.keys) {
    if (wanted !== undefined && !wanted.has(key)) continue;
    const space = partitions.spaces.get(key);
    if (space !== undefined && graph.node(key).kind === 'source') {
      const observed = inputs.sources?.get(key) ?? NOTHING_OBSERVED;
      const rows = partitions.rows.get(key);
      states.set(
        key,
        resolvePartitionedSource(
          graph,
          key,
          space,
          rows,
          now,
          records.get(key),
          observed,
          partitions.updatedAt?.get(key),
        ),
      );
      continue;
    }
    const resolved = inputs.resolved?.get(key);
    if (resolved !== undefined) {
      // A state decided from its row has the record if one was read for it.
      if (resolved.record === undefined) resolved.record = records.get(key);
      states.set(key, resolved);
      continue;
    }
    if (space === undefined) {
      states.set(key, resolveOne(graph, key, records, states, now, unobservable));
      continue;
    }
    states.set(
      key,
      resolvePartitionedAsset(
        graph,
        key,
        space,
        partitions.rows.get(key),
        states,
        now,
        records.get(key),
        partitions.updatedAt?.get(key),
      ),
    );
  }
  return states;
}

/**
 * What the status rows decide alone, before any asset's record is read: the unpartitioned
 * assets in `keys` (and upstream) that their rows show fresh (see `_fresh-from-row.ts`), and
 * the unpartitioned sources (their records must be in `records`). Pass the result to
 * `resolveStaleness` as `resolved`, with the records of every other asset and of its
 * upstream: the states are those `resolveStaleness` alone would give (an asset decided here
 * has its record in its state when `records` has it by then).
 */
export function resolveFromRows(
  graph: AssetGraph,
  inputs: Omit<StalenessInputs, 'resolved'> & { rows: ReadonlyMap<string, StatusRow> },
): Map<string, AssetState> {
  const { records, now, rows } = inputs;
  const unobservable = inputs.unobservable ?? NOTHING_UNOBSERVABLE;
  const spaces = inputs.partitions?.spaces;
  const wanted = inputs.keys === undefined ? undefined : graph.upstreamOf(inputs.keys);
  const states = new Map<string, AssetState>();
  for (const key of graph.keys) {
    if ((wanted !== undefined && !wanted.has(key)) || spaces?.has(key)) continue;
    const node = graph.node(key);
    if (node.kind === 'source') {
      states.set(key, resolveOne(graph, key, records, states, now, unobservable));
      continue;
    }
    const row = rows.get(key);
    const fresh = row === undefined ? undefined : freshFromRow(node, row, states, now);
    if (fresh !== undefined) states.set(key, fresh);
  }
  return states;
}

/** The partitioned assets' spaces (resolved now) and their stored state by partition index. */
export interface PartitionInputs {
  spaces: ReadonlyMap<string, PartitionSpace>;
  rows: ReadonlyMap<string, DensePartitionStates>;
  /**
   * For the assets with a freshness policy per partition (only those): when each partition
   * was last updated, by partition index (epoch ms; `NaN` when never or not read).
   */
  updatedAt?: ReadonlyMap<string, Float64Array>;
}

const NO_PARTITIONS: PartitionInputs = { spaces: new Map(), rows: new Map() };
const NOTHING_UNOBSERVABLE: ReadonlyMap<string, string> = new Map();
const NOTHING_OBSERVED: SourcePartitionsNow = { changed: new Set(), failed: new Map() };

function resolveOne(
  graph: AssetGraph,
  key: string,
  records: ReadonlyMap<string, AssetRecord>,
  states: ReadonlyMap<string, AssetState>,
  now: number,
  unobservable: ReadonlyMap<string, string>,
): AssetState {
  const node = graph.node(key);
  const record = records.get(key);
  const codeVersion = codeVersionOf(node.definition);

  if (node.kind === 'source') {
    const observation = record?.observation;
    const error = unobservable.get(key);
    const causes: StaleCause[] = [];
    if (error !== undefined) {
      causes.push({
        category: 'unobservable',
        key,
        error,
        reason: `could not be observed: ${firstLine(error)}`,
      });
    }
    if (!observation) causes.push({ category: 'missing', key, reason: 'never observed' });
    return {
      key,
      kind: 'source',
      status: error !== undefined ? 'failed' : observation ? 'fresh' : 'missing',
      causes,
      dataVersion: observation?.observation.dataVersion,
      codeVersion,
      record,
      warnings: [],
      freshness: freshnessOf(node.definition.freshness, observation?.timestamp, now),
    };
  }

  const causes: StaleCause[] = [];
  const materialization = record?.materialization;
  const usable = record?.usable;
  const { blocking, warnings } = checkProblems(record);
  if (blocking.length > 0) causes.push(blockingCause(key, blocking, usable));
  const failure = record?.failure;
  const failedLast =
    failure !== undefined && (materialization === undefined || failure.id > materialization.id);
  if (failedLast) {
    causes.push({
      category: 'failed',
      key,
      eventId: failure.id,
      runId: failure.runId,
      error: failure.error.message,
      reason: `last attempt failed in run ${failure.runId}: ${firstLine(failure.error.message)}`,
    });
  }

  if (materialization === undefined) {
    causes.push({ category: 'missing', key, reason: 'never materialized' });
  } else {
    const recorded = materialization.materialization;
    if (recorded.codeVersion !== codeVersion) {
      causes.push({
        category: 'code',
        key,
        from: recorded.codeVersion,
        to: codeVersion,
        reason: `code version changed (${shortVersion(recorded.codeVersion)} → ${shortVersion(codeVersion)})`,
      });
    }
    let readParents = 0;
    for (const parent of node.parents) {
      const parentState = states.get(parent);
      const current = parentState?.dataVersion;
      const read = recorded.inputs[parent];
      if (read !== undefined) readParents++;
      if (parentState?.partitions !== undefined) {
        const cause = partitionedParentCause(graph, key, parentState, read);
        if (cause !== undefined) causes.push(cause);
        continue;
      }
      if (read?.dataVersion !== current) {
        causes.push({
          category: 'data',
          key,
          dependency: parent,
          from: read?.dataVersion,
          to: current,
          movedBy: versionSource(parentState?.record),
          reason:
            read === undefined
              ? `new input ${parent}`
              : `input ${parent} changed (${shortVersion(read.dataVersion)} → ${shortVersion(current)})`,
        });
      } else if (
        parentState !== undefined &&
        (parentState.kind === 'asset' || parentState.status === 'failed') &&
        parentState.status !== 'fresh'
      ) {
        causes.push({
          category: 'dependency',
          key,
          dependency: parent,
          dependencyStatus: parentState.status,
          reason: `upstream ${parent} is ${parentState.status}`,
        });
      }
    }
    // Inputs it read that are no longer upstream (only looked for when the counts disagree:
    // this runs for every asset on every status).
    let readInputs = 0;
    for (const _ in recorded.inputs) readInputs++;
    for (const input of readInputs === readParents ? [] : Object.keys(recorded.inputs)) {
      if (!node.parents.includes(input)) {
        causes.push({
          category: 'data',
          key,
          dependency: input,
          from: recorded.inputs[input]!.dataVersion,
          to: undefined,
          movedBy: undefined,
          reason: `input ${input} was removed`,
        });
      }
    }
  }

  const status =
    failedLast || blocking.length > 0
      ? 'failed'
      : materialization === undefined
        ? 'missing'
        : causes.length > 0
          ? 'stale'
          : 'fresh';
  return {
    key,
    kind: 'asset',
    status,
    causes,
    dataVersion: usable?.materialization.dataVersion,
    codeVersion,
    record,
    warnings,
    freshness: freshnessOf(node.definition.freshness, usable?.materialization.endedAt, now),
  };
}

interface CheckProblem {
  name: string;
  message: string;
  eventId: number;
}

/** Failing checks on the newest materialization: blocking ones (status failed) and warnings. */
/** Shared by the (usual) assets without failing checks; frozen so no caller can alter it. */
const NO_PROBLEMS = Object.freeze({
  blocking: Object.freeze([]) as unknown as CheckProblem[],
  warnings: Object.freeze([]) as unknown as string[],
});

function checkProblems(record: AssetRecord | undefined): {
  blocking: CheckProblem[];
  warnings: string[];
} {
  const latest = record?.materialization;
  if (latest === undefined) return NO_PROBLEMS;
  let anyCheck = false;
  for (const _ in record!.checks) {
    anyCheck = true;
    break;
  }
  if (!anyCheck && latest.materialization.blockedBy === undefined) return NO_PROBLEMS;
  const blocking: CheckProblem[] = [];
  const warnings: string[] = [];
  const reported = new Set<string>();
  for (const event of Object.values(record!.checks)) {
    if (event.materializationId !== latest.id || event.check.passed) continue;
    reported.add(event.check.name);
    const message = event.check.message ?? 'failed';
    if (event.check.blocking)
      blocking.push({ name: event.check.name, message, eventId: latest.id });
    else
      warnings.push(
        `check ${event.check.name} ${event.check.severity === 'warn' ? 'warns' : 'fails'}: ${message}`,
      );
  }
  // The materialization itself says which blocking checks failed, even if their events were lost.
  for (const name of latest.materialization.blockedBy ?? []) {
    if (!reported.has(name) && record!.usable?.id !== latest.id)
      blocking.push({ name, message: 'failed', eventId: latest.id });
  }
  return { blocking, warnings };
}

function blockingCause(
  key: string,
  problems: CheckProblem[],
  usable: AssetRecord['usable'],
): StaleCause {
  const [first] = problems;
  const names = problems.map((p) => p.name);
  const fallback =
    usable === undefined
      ? 'no materialization has passed its blocking checks yet'
      : 'consumers read the last version that passed';
  return {
    category: 'check',
    key,
    checks: names,
    eventId: first!.eventId,
    reason: `blocking check ${first!.name} failed: ${firstLine(first!.message)}${names.length > 1 ? ` (also failed: ${names.slice(1).join(', ')})` : ''}; ${fallback}`,
  };
}

/**
 * The cause of a record (an asset's, or one partition's) whose newest materialization failed
 * a blocking check, naming the checks and the first one's message; undefined when none failed.
 */
export function blockingCheckCause(
  key: string,
  record: AssetRecord | undefined,
): StaleCause | undefined {
  const { blocking } = checkProblems(record);
  return blocking.length === 0 ? undefined : blockingCause(key, blocking, record?.usable);
}

function versionSource(record: AssetRecord | undefined): VersionSource | undefined {
  if (record?.usable) {
    const event = record.usable;
    return {
      eventId: event.id,
      type: 'materialization',
      runId: event.runId,
      timestamp: event.timestamp,
    };
  }
  if (record?.observation) {
    const event = record.observation;
    return {
      eventId: event.id,
      type: 'observation',
      ...(event.runId === undefined ? {} : { runId: event.runId }),
      timestamp: event.timestamp,
    };
  }
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
