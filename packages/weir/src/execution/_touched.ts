/**
 * @module execution/_touched
 * What events after some point reached: the assets they touched — a materialization, an
 * observation, a step started or ended (leases, failures), a check, freshness, a pause, new or
 * removed dynamic partitions — and everything downstream of them; and the assets whose state
 * depends on time itself (the newest time window, a freshness policy, a condition on a cron
 * tick or an overdue policy). Any other asset's state is as it was: a daemon's pass and the
 * warm status index (warm-status.ts) recompute only these, so they cost what changed.
 */
import { type AutomationCondition, childrenOf } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { EventLog } from '../storage/index.js';

/** More events than this after the last evaluation: evaluate everything (cheaper than reading them). */
const MAX_EVENTS = 5_000;

/**
 * Assets whose state or condition depends on time passing, not only on events: time-window
 * partitions (a new window), and conditions on a cron tick or an overdue policy; with
 * `freshness`, also assets with a freshness policy (their status changes when it is violated).
 */
export function clockedKeys(
  graph: AssetGraph,
  keys: readonly string[],
  options: { freshness?: boolean } = {},
): Set<string> {
  return new Set(
    keys.filter((key) => {
      const node = graph.node(key);
      if (
        options.freshness &&
        (node.definition.freshness !== undefined ||
          node.definition.partitionFreshness !== undefined)
      )
        return true;
      const dimensions =
        node.partitions?.kind === 'multi'
          ? node.partitions.dimensions.map((d) => d.partitions)
          : [node.partitions];
      if (dimensions.some((d) => d?.kind === 'time-window')) return true;
      const condition = (node.definition as { automation?: AutomationCondition }).automation;
      return condition !== undefined && usesTime(condition);
    }),
  );
}

function usesTime(node: AutomationCondition): boolean {
  return (
    node.type === 'overdue' ||
    node.type === 'cron-tick-passed' ||
    node.type === 'upstreams-updated-since-cron' ||
    childrenOf(node).some(usesTime)
  );
}

/**
 * The assets touched by events after `afterId`, and everything downstream of them; undefined
 * when there are too many events to read (then everything is affected).
 */
export async function touchedAfter(
  eventLog: EventLog,
  graph: AssetGraph,
  afterId: number,
): Promise<Set<string> | undefined> {
  const events = await eventLog.events({ afterId, limit: MAX_EVENTS + 1 });
  if (events.length > MAX_EVENTS) return undefined;
  const touched = new Set<string>();
  for (const event of events) {
    if ('assetKey' in event && graph.has(event.assetKey)) touched.add(event.assetKey);
    if (event.type === 'partitions:added' || event.type === 'partitions:removed') {
      for (const key of graph.keys) {
        if (partitionedBy(graph, key, event.name)) touched.add(key);
      }
    }
    if (
      (event.type === 'automation:paused' || event.type === 'automation:resumed') &&
      graph.has(event.name)
    ) {
      touched.add(event.name);
    }
  }
  return graph.downstreamOf(touched);
}

function partitionedBy(graph: AssetGraph, key: string, dynamicName: string): boolean {
  const partitions = graph.node(key).partitions;
  if (partitions === undefined) return false;
  const dimensions =
    partitions.kind === 'multi' ? partitions.dimensions.map((d) => d.partitions) : [partitions];
  return dimensions.some((d) => d.kind === 'dynamic' && d.name === dynamicName);
}
