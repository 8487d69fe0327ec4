/**
 * @module execution/freshness
 * Freshness on a clock: evaluates the freshness policies of a selection at a time and records
 * each change of status as a `freshness:evaluated` event, so the log holds the history of SLA
 * violations without growing on every look. Reading state never records; whoever evaluates on
 * a clock (`weir check`, the daemon) calls this.
 */
import type { ProjectDefinition } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AssetRecord, FreshnessOutcome, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import type { Instance } from './instance.js';
import { graphOf } from './project-graph.js';
import { readState } from './read-state.js';

export interface RecordFreshnessOptions {
  instance: Instance;
  selection?: string | readonly string[];
  /** The time the policies are judged at (epoch ms); now by default. */
  now?: number;
}

/**
 * Evaluates the freshness policies of the selected assets and records those whose status
 * differs from the last one recorded. An asset with a policy per partition records its
 * asset-level changes (partition `''`) and each partition's own (that partition's key).
 * Returns the events recorded.
 */
export async function recordFreshness(
  project: ProjectDefinition | AssetGraph,
  options: RecordFreshnessOptions,
): Promise<StoredEvent<'freshness:evaluated'>[]> {
  const graph = graphOf(project);
  const at = options.now ?? Date.now();
  const { selected, states } = await readState(graph, {
    instance: options.instance,
    ...(options.selection === undefined ? {} : { selection: options.selection }),
    observe: false,
    details: true,
    now: at,
  });
  const { eventLog } = options.instance;
  const events: WeirEvent[] = [];
  for (const state of states.values()) {
    if (!selected.has(state.key)) continue;
    events.push(...freshnessChange(state.key, NO_PARTITION, state.freshness, state.record, at));
    // A policy per partition: each partition's changes too, on that partition's record.
    const judged = state.partitionFreshness;
    if (judged === undefined || judged.size === 0) continue;
    const records = new Map(
      (await eventLog.partitionRecords(state.key, [...judged.keys()])).map((r) => [r.partition, r]),
    );
    for (const [partition, freshness] of judged) {
      events.push(...freshnessChange(state.key, partition, freshness, records.get(partition), at));
    }
  }
  return (await eventLog.append(events)) as StoredEvent<'freshness:evaluated'>[];
}

function freshnessChange(
  assetKey: string,
  partition: string,
  freshness: FreshnessOutcome | undefined,
  record: AssetRecord | undefined,
  at: number,
): WeirEvent[] {
  if (freshness === undefined) return [];
  const last = record?.freshness?.freshness.status;
  if (last === freshness.status) return [];
  if (last === undefined && freshness.status === 'unknown') return [];
  return [{ type: 'freshness:evaluated', assetKey, partition, timestamp: at, freshness }];
}
