/**
 * @module storage/pool-starts
 * How a unit's `step:started` events carry its pool slots (see `StepStart.pool`): once, on
 * the first, so a unit of many partitions holds its slots once and not once per partition.
 */
import type { WeirEvent } from './events.js';

/** `events` with each `step:started` recording `pool`: its slots on the first, 0 on the rest. */
export function poolStarts(
  events: readonly WeirEvent[],
  pool: { name: string; slots: number },
): WeirEvent[] {
  let slots = pool.slots;
  return events.map((event) => {
    if (event.type !== 'step:started') return event;
    const stamped: WeirEvent = { ...event, pool: { name: pool.name, slots } };
    slots = 0;
    return stamped;
  });
}
