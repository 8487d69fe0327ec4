/**
 * @module daemon/_facts-events
 * What the facts read from the log besides state, before any of them is asked (the facts are
 * synchronous): the newest event id, the partitions in progress (the daemon's runs and the
 * leases held), and the events behind an asset's newest data changes, for explanations.
 */
import { PartitionSet, type PartitionSpace } from '../definitions/index.js';
import type { EventLog } from '../storage/index.js';
import type { Ledger } from './_facts-ledger.js';

/** What an explanation tells of the event that changed some data. */
export interface ChangeEvent {
  readonly id: number;
  readonly type: string;
  readonly timestamp: number;
  readonly runId?: string | undefined;
}

/** Distinct data changes of one asset whose events are read, newest first; older ones are not explained. */
export const CHANGE_EVENTS = 16;

/** The newest event id of the log (0 when empty). */
export async function newestEventId(eventLog: EventLog): Promise<number> {
  const [newest] = await eventLog.events({ descending: true, limit: 1 });
  return newest?.id ?? 0;
}

/** Partitions a queued or running run will materialize (as the daemon says) or whose lease is held. */
export async function inProgressOf(
  key: string,
  space: PartitionSpace,
  eventLog: EventLog,
  queued: ReadonlySet<string> | undefined,
): Promise<PartitionSet> {
  const set = PartitionSet.empty(space.size);
  const add = (partition: string) => {
    const i = space.indexOf(partition);
    if (i >= 0) set.add(i);
  };
  for (const partition of queued ?? []) add(partition);
  if (space.size === 0) return set;
  const partitions = Array.from({ length: space.size }, (_, i) => space.keyAt(i));
  for (const lease of await eventLog.leases(key, partitions)) add(lease.partition);
  return set;
}

/**
 * The events that last changed the data of the asset's partitions, for its newest
 * `CHANGE_EVENTS` distinct changes, by id. An unpartitioned asset's usually is its record's.
 */
export async function changeEventsOf(
  ledger: Ledger,
  eventLog: EventLog,
): Promise<Map<number, ChangeEvent>> {
  const ids = [...new Set(ledger.changedAt)]
    .filter((id) => id > 0 && Number.isFinite(id))
    .sort((a, b) => b - a)
    .slice(0, CHANGE_EVENTS);
  const record = ledger.state.record;
  const known: ChangeEvent[] = [record?.observation, record?.usable].filter((e) => e !== undefined);
  const events = new Map<number, ChangeEvent>();
  for (const id of ids) {
    const event = known.find((e) => e.id === id) ?? (await eventLog.event(id));
    if (event !== undefined) events.set(id, event);
  }
  return events;
}
