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
  const keys = graph.keys.filter((key) => {
    const node = graph.node(key);
    return node.kind === 'asset' && (node.definition as AssetDefinition).checks.length > 0;
  });
  const selected = selectKeys(graph, options.selection);
  const wanted = keys.filter((key) => selected.has(key));
  const records = await readRecords(eventLog, wanted);
  const results: AssetCheckResult[] = [];
  for (const key of wanted) {
    const { checks } = graph.node(key).definition as AssetDefinition;
    const latest = records.get(key)?.materialization;
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
    await eventLog.append(
      outcomes.map(
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
    results.push({ assetKey: key, materializationId: latest.id, checks: outcomes });
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
