/**
 * @module execution/check-assets
 * Re-evaluates checks against the newest materializations without recomputing them
 * (`weir check`), and records freshness evaluations whose status changed.
 */
import type { AssetDefinition, ProjectDefinition } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { CheckRecord, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import type { AssetState } from '../versioning/index.js';
import { checkHistory, evaluateChecks } from './_checks.js';
import { loadValue } from './_values.js';
import type { Instance } from './instance.js';
import { graphOf, readRecords, selectKeys } from './project-graph.js';

export interface AssetCheckResult {
  assetKey: string;
  /** The materialization evaluated; undefined when the asset has none yet. */
  materializationId: number | undefined;
  checks: CheckRecord[];
}

/** Evaluates every check of the selected assets on their newest materialization and records the results. */
export async function checkAssets(
  project: ProjectDefinition | AssetGraph,
  options: { instance: Instance; selection?: string },
): Promise<AssetCheckResult[]> {
  const graph = graphOf(project);
  const { eventLog, artefacts } = options.instance;
  const selected = selectKeys(graph, options.selection);
  const wanted = graph.keys.filter((key) => selected.has(key) && graph.node(key).kind === 'asset');
  const records = await readRecords(eventLog, wanted);
  const results: AssetCheckResult[] = [];
  for (const key of wanted) {
    const { checks } = graph.node(key).definition as AssetDefinition;
    const latest = records.get(key)?.materialization;
    // Assets without checks matter only if checks they no longer have blocked them.
    if (checks.length === 0 && (latest?.materialization.blockedBy ?? []).length === 0) continue;
    if (latest === undefined) {
      results.push({ assetKey: key, materializationId: undefined, checks: [] });
      continue;
    }
    const outcomes = await evaluateChecks(checks, await loadValue(artefacts, latest), {
      assetKey: key,
      partition: undefined,
      history: await checkHistory(
        eventLog,
        key,
        NO_PARTITION,
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
          partition: NO_PARTITION,
          timestamp: Date.now(),
          materializationId: latest.id,
          dataVersion: latest.materialization.dataVersion,
          check,
        }),
      ),
    );
    results.push({ assetKey: key, materializationId: latest.id, checks: evaluated });
  }
  return results;
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
