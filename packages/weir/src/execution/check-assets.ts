/**
 * @module execution/check-assets
 * Re-evaluates checks against the newest materializations without recomputing them
 * (`weir check`), and records freshness evaluations whose status changed.
 */
import {
  type AssetDefinition,
  type CheckDefinition,
  PartitionSet,
  type ProjectDefinition,
} from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AssetRecord, CheckRecord, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import type { AssetState } from '../versioning/index.js';
import { checkHistory, evaluateChecks } from './_checks.js';
import { loadValue } from './_values.js';
import type { Instance } from './instance.js';
import { type PartitionRequest, readPartitionInputs, requestedPartitions } from './partitions.js';
import { graphOf, readRecords, selectKeys } from './project-graph.js';

export interface AssetCheckResult {
  assetKey: string;
  /** The partition whose materialization was evaluated (partitioned assets only). */
  partition?: string;
  /** The materialization evaluated; undefined when the asset has none yet. */
  materializationId: number | undefined;
  checks: CheckRecord[];
}

export interface CheckAssetsOptions {
  instance: Instance;
  selection?: string;
  /** Partitioned assets: only these partitions (all materialized ones when omitted). */
  partitions?: PartitionRequest;
  /** The time that decides which time windows exist (default: now). */
  now?: number;
}

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
  const selected = selectKeys(graph, options.selection);
  const wanted = graph.keys.filter((key) => selected.has(key) && graph.node(key).kind === 'asset');
  const records = await readRecords(eventLog, wanted);
  const { spaces, rows } = await readPartitionInputs(
    graph,
    eventLog,
    wanted,
    options.now ?? Date.now(),
  );
  const requested = requestedPartitions(graph, wanted, spaces, options.partitions);
  const results: AssetCheckResult[] = [];
  for (const key of wanted) {
    const { checks } = graph.node(key).definition as AssetDefinition;
    const space = spaces.get(key);
    if (space === undefined) {
      const result = await checkOne(options.instance, key, checks, records.get(key));
      if (result !== undefined) results.push(result);
      continue;
    }
    // Each partition's newest materialization, read from the index in batches.
    const materialized = rows.get(key)!.materializationId;
    const keys: string[] = [];
    for (const i of (requested.get(key) ?? PartitionSet.all(space.size)).indices()) {
      if (materialized[i]! > 0) keys.push(space.keyAt(i));
    }
    for (let from = 0; from < keys.length; from += 1000) {
      const batch = await eventLog.partitionRecords(key, keys.slice(from, from + 1000));
      for (const record of batch) {
        const result = await checkOne(options.instance, key, checks, record);
        if (result !== undefined) results.push({ ...result, partition: record.partition });
      }
    }
  }
  return results;
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
  const outcomes = await evaluateChecks(checks, await loadValue(artefacts, latest), {
    assetKey: key,
    partition: partitioned ? latest.partition : undefined,
    history: await checkHistory(
      eventLog,
      key,
      partitioned ? undefined : NO_PARTITION,
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

/**
 * Records a `freshness:evaluated` event for each state whose freshness status differs from
 * the last one recorded, so the log holds the history of SLA violations without growing on
 * every look.
 */
export async function recordFreshness(
  instance: Instance,
  states: Iterable<AssetState>,
  at: number,
): Promise<StoredEvent[]> {
  const events: WeirEvent[] = [];
  for (const state of states) {
    if (state.freshness === undefined) continue;
    if (state.record?.freshness?.freshness.status === state.freshness.status) continue;
    if (state.record?.freshness === undefined && state.freshness.status === 'unknown') continue;
    events.push({
      type: 'freshness:evaluated',
      assetKey: state.key,
      partition: NO_PARTITION,
      timestamp: at,
      freshness: state.freshness,
    });
  }
  return instance.eventLog.append(events);
}
