/**
 * @module daemon/_schedules
 * A schedule's due ticks: each launches a run of the schedule's selection (what is stale in
 * it, as `weir materialize` runs it; with the partitions the tick names for partitioned
 * assets) and is recorded with its runs. Ticks missed while no daemon ran follow the
 * schedule's catch-up rule (`dueTicks`). As for sensors, the run is launched before the tick
 * is recorded: a tick handled twice plans twice, and the second finds nothing to do.
 */
import { dueTicks, partitionsForTick, type ScheduleDefinition } from '../definitions/index.js';
import { selectKeys, toErrorInfo } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { EventLog, StoredEvent, WeirEvent } from '../storage/index.js';
import { type Launcher, type RunOrder, startedWithin } from './_launcher.js';

/** Missed ticks of one schedule handled in one pass, at most. */
const MAX_TICKS_PER_PASS = 50;

export interface ScheduleTickContext {
  graph: AssetGraph;
  eventLog: EventLog;
  launcher: Launcher;
  previous: StoredEvent<'schedule:ticked'> | undefined;
  now: number;
  /** When this daemon started: with no tick recorded, ticks before it are not "missed". */
  since: number;
}

/** Launches and records every due tick of `schedule`; returns the ticks recorded. */
export async function tickSchedule(
  schedule: ScheduleDefinition,
  context: ScheduleTickContext,
): Promise<StoredEvent<'schedule:ticked'>[]> {
  const last = context.previous === undefined ? undefined : new Date(context.previous.tick);
  const due = dueTicks(schedule, last ?? new Date(context.since - 60_000), new Date(context.now));
  // Without partitions every tick runs the same selection: the newest one does it. With them,
  // a long downtime catches up a bounded number of ticks per pass (the rest at the next ones).
  const ticks = schedule.partition === undefined ? due.slice(-1) : due.slice(0, MAX_TICKS_PER_PASS);
  const recorded: StoredEvent<'schedule:ticked'>[] = [];
  for (const tick of ticks) {
    let event: WeirEvent;
    try {
      const launched = ordersFor(schedule, tick, context.graph).map((order) =>
        context.launcher.launch(order),
      );
      const runIds = (await Promise.all(launched.map((l) => startedWithin(l)))).filter(
        (id): id is string => id !== undefined,
      );
      event = {
        type: 'schedule:ticked',
        name: schedule.name,
        tick: tick.getTime(),
        runIds,
        timestamp: context.now,
      };
    } catch (error) {
      event = {
        type: 'schedule:ticked',
        name: schedule.name,
        tick: tick.getTime(),
        runIds: [],
        error: toErrorInfo(error),
        timestamp: context.now,
      };
    }
    const [stored] = await context.eventLog.append([event]);
    recorded.push(stored as StoredEvent<'schedule:ticked'>);
  }
  return recorded;
}

/**
 * The runs of one tick: one for the selection when the schedule names no partitions, else
 * one per distinct set of partition keys (assets that share a partitioning share a run).
 */
function ordersFor(schedule: ScheduleDefinition, tick: Date, graph: AssetGraph): RunOrder[] {
  const keys = graph.sortTopologically(selectKeys(graph, schedule.selection));
  const trigger = {
    kind: 'schedule' as const,
    name: schedule.name,
    reason: `schedule ${schedule.name} ticked at ${tick.toISOString()}`,
  };
  const groups = new Map<string, { keys: string[]; partitions: string[] | undefined }>();
  for (const key of keys) {
    const partitions = partitionsForTick(schedule, tick, graph.node(key).partitions);
    if (partitions !== undefined && partitions.length === 0) continue;
    const id = partitions === undefined ? '' : JSON.stringify(partitions);
    const group = groups.get(id) ?? { keys: [], partitions };
    group.keys.push(key);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ keys: selected, partitions }) => ({
    selection: selected,
    ...(partitions === undefined ? {} : { partitions: { keys: partitions } }),
    trigger,
  }));
}
