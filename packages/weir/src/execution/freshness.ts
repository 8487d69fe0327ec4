/**
 * @module execution/freshness
 * Freshness on a clock: evaluates the freshness policies of a selection at a time and records
 * each change of status as a `freshness:evaluated` event, so the log holds the history of SLA
 * violations without growing on every look. Reading state never records; whoever evaluates on
 * a clock (`weir check`, the daemon) calls this.
 */
import type { ProjectDefinition } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import type { AssetState } from '../versioning/index.js';
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
 * differs from the last one recorded. Returns the events recorded.
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
  const changed = [...states.values()].filter((state) => selected.has(state.key));
  const events = changed.flatMap((state) => freshnessChange(state, at));
  return (await options.instance.eventLog.append(events)) as StoredEvent<'freshness:evaluated'>[];
}

function freshnessChange(state: AssetState, at: number): WeirEvent[] {
  if (state.freshness === undefined) return [];
  const last = state.record?.freshness?.freshness.status;
  if (last === state.freshness.status) return [];
  if (last === undefined && state.freshness.status === 'unknown') return [];
  return [
    {
      type: 'freshness:evaluated',
      assetKey: state.key,
      partition: NO_PARTITION,
      timestamp: at,
      freshness: state.freshness,
    },
  ];
}
