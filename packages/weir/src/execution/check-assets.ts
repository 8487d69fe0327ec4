/**
 * @module execution/check-assets
 * Re-evaluates checks against the newest materializations without recomputing them
 * (`weir check`), and records the results.
 */
import { ArtefactError } from '../artefacts/index.js';
import {
  type AssetDefinition,
  type CheckDefinition,
  locatedIn,
  PartitionSet,
  type ProjectDefinition,
} from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AssetRecord, CheckRecord, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import { checkHistory, evaluateChecks } from './_checks.js';
import { loadValue } from './_values.js';
import type { Instance } from './instance.js';
import { type PartitionRequest, requestedPartitions } from './partitions.js';
import { graphOf } from './project-graph.js';
import { readState } from './read-state.js';

export interface AssetCheckResult {
  assetKey: string;
  /** The partition whose materialization was evaluated (partitioned assets only). */
  partition?: string;
  /** The materialization evaluated; undefined when the asset has none yet. */
  materializationId: number | undefined;
  checks: CheckRecord[];
  /**
   * Why the checks could not be evaluated: the materialization's artefact is missing, corrupt
   * or unreadable (nothing is recorded for it then).
   */
  error?: { code: string; message: string; hint?: string };
}

export interface CheckAssetsOptions {
  instance: Instance;
  /** A selection expression, or a list of asset keys; every asset when omitted. */
  selection?: string | readonly string[];
  /** Partitioned assets: only these partitions (all materialized ones when omitted). */
  partitions?: PartitionRequest;
  /** The time that decides which time windows exist (default: now). */
  now?: number;
  /**
   * Evaluates the checks of located assets (code locations) where their code is, with the same
   * request; without it, each such asset's result says its checks cannot run in this process.
   */
  checkLocated?: LocatedChecks;
}

/** Evaluates the checks of `keys`, all in code location `location`, as `checkAssets` would. */
export type LocatedChecks = (
  location: string,
  keys: readonly string[],
  request: { partitions?: PartitionRequest; now?: number },
) => Promise<AssetCheckResult[]>;

/**
 * Evaluates every check of the selected assets on their newest materialization (of each
 * partition, for a partitioned asset) and records the results.
 */
export async function checkAssets(
  project: ProjectDefinition | AssetGraph,
  options: CheckAssetsOptions,
): Promise<AssetCheckResult[]> {
  const graph = graphOf(project);
  const { eventLog } = options.instance;
  const { selected, records, partitions } = await readState(graph, {
    instance: options.instance,
    ...(options.selection === undefined ? {} : { selection: options.selection }),
    observe: false,
    details: true,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const { spaces, rows } = partitions;
  const wanted = graph.keys.filter((key) => selected.has(key) && graph.node(key).kind === 'asset');
  const requested = requestedPartitions(graph, wanted, spaces, options.partitions);
  const named = options.partitions?.keys !== undefined;
  const results: AssetCheckResult[] = [];
  // Located assets' checks are evaluated in their locations, then put back in graph order.
  const located = new Map<string, string[]>();
  for (const key of wanted) {
    const definition = graph.node(key).definition as AssetDefinition;
    const { checks } = definition;
    const location = locatedIn(definition);
    if (location !== undefined && checks.length > 0) {
      located.set(location, [...(located.get(location) ?? []), key]);
      continue;
    }
    const space = spaces.get(key);
    if (space === undefined) {
      const result = await checkOne(options.instance, key, checks, records.get(key));
      if (result !== undefined) results.push(result);
      continue;
    }
    // Each partition's newest materialization, read from the index in batches. Nothing to
    // check says so, as for an unpartitioned asset: each partition asked for by name, or the
    // asset when none of the partitions it covers has been materialized.
    const materialized = rows.get(key)!.materializationId;
    const keys: string[] = [];
    const shown: string[] = [];
    for (const i of (requested.get(key) ?? PartitionSet.all(space.size)).indices()) {
      if (materialized[i]! > 0) keys.push(space.keyAt(i));
      if (materialized[i]! > 0 || named) shown.push(space.keyAt(i));
    }
    const checked = new Map<string, AssetCheckResult>();
    for (let from = 0; from < keys.length; from += 1000) {
      const batch = await eventLog.partitionRecords(key, keys.slice(from, from + 1000));
      for (const record of batch) {
        const result = await checkOne(options.instance, key, checks, record);
        if (result !== undefined)
          checked.set(record.partition, { ...result, partition: record.partition });
      }
    }
    if (checks.length > 0 && !named && keys.length === 0) {
      results.push({ assetKey: key, materializationId: undefined, checks: [] });
    }
    for (const partition of shown) {
      const result = checked.get(partition);
      if (result !== undefined) results.push(result);
      else if (checks.length > 0 && named) {
        results.push({ assetKey: key, partition, materializationId: undefined, checks: [] });
      }
    }
  }
  if (located.size === 0) return results;
  const request = {
    ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  for (const [location, keys] of located) {
    results.push(
      ...(options.checkLocated === undefined
        ? keys.map((key) => notHere(key, location))
        : await options.checkLocated(location, keys, request)),
    );
  }
  const order = new Map(wanted.map((key, i) => [key, i]));
  // A stable sort: each asset's partitions stay in their order.
  return results.sort((a, b) => order.get(a.assetKey)! - order.get(b.assetKey)!);
}

/** A located asset's checks, asked for where nothing can run them in their location. */
function notHere(key: string, location: string): AssetCheckResult {
  return unevaluatedChecks(key, {
    code: 'E_USAGE',
    message: `${key}'s checks run in code location '${location}', and this caller cannot start its processes`,
    hint: `weir check ${key} evaluates them there; so does rematerializing it: weir materialize ${key} --force`,
  });
}

/** The result of an asset whose checks could not be evaluated, and why. */
export function unevaluatedChecks(
  key: string,
  error: NonNullable<AssetCheckResult['error']>,
): AssetCheckResult {
  return { assetKey: key, materializationId: undefined, checks: [], error };
}

/** Evaluates `checks` on the newest materialization of one asset (partition) and records them. */
async function checkOne(
  instance: Instance,
  key: string,
  checks: readonly CheckDefinition[],
  record: AssetRecord | undefined,
): Promise<AssetCheckResult | undefined> {
  const { eventLog, artefacts } = instance;
  const latest = record?.materialization;
  // Assets without checks matter only if checks they no longer have blocked them.
  if (checks.length === 0 && (latest?.materialization.blockedBy ?? []).length === 0) return;
  if (latest === undefined) return { assetKey: key, materializationId: undefined, checks: [] };
  const partitioned = latest.partition !== NO_PARTITION;
  let value: unknown;
  try {
    value = await loadValue(artefacts, latest);
  } catch (error) {
    if (!(error instanceof ArtefactError)) throw error;
    const { code, message, hint } = error;
    return {
      assetKey: key,
      materializationId: latest.id,
      checks: [],
      error: { code, message, ...(hint === undefined ? {} : { hint }) },
    };
  }
  const outcomes = await evaluateChecks(checks, value, {
    assetKey: key,
    partition: partitioned ? latest.partition : undefined,
    history: await checkHistory(
      eventLog,
      key,
      { partition: latest.partition, partitioned },
      checks,
      latest.materialization.dataVersion,
    ),
  });
  // Blocking checks that failed on this materialization but are no longer defined: the
  // contract changed, so record that they no longer apply (otherwise it stays blocked).
  const defined = new Set(checks.map((c) => c.name));
  const retired: CheckRecord[] = (latest.materialization.blockedBy ?? [])
    .filter((name) => !defined.has(name))
    .map((name) => ({
      name,
      severity: 'error',
      blocking: true,
      passed: true,
      message: 'this check is no longer defined on the asset',
      metadata: { retired: true },
    }));
  const evaluated = [...outcomes, ...retired];
  await eventLog.append(
    evaluated.map(
      (check): WeirEvent => ({
        type: 'check:evaluated',
        assetKey: key,
        partition: latest.partition,
        timestamp: Date.now(),
        materializationId: latest.id,
        dataVersion: latest.materialization.dataVersion,
        check,
      }),
    ),
  );
  return { assetKey: key, materializationId: latest.id, checks: evaluated };
}
