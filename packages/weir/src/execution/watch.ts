/**
 * @module execution/watch
 * Following the event log as it grows: what a long-lived process (the daemon, a web server
 * pushing updates to a page) uses to hear of events any process on the instance appends. It
 * looks at the newest event id (`EventLog.lastEventId`, one indexed read) every `pollMs` and
 * reads the new events only when it moved.
 */
import type { EventLog, EventQuery, StoredEvent } from '../storage/index.js';
import { sleep } from './_sleep.js';
import type { Instance } from './instance.js';

const PAGE = 1_000;

export interface WatchOptions {
  /** Stops the watch (the iteration ends). */
  signal: AbortSignal;
  /** Only events after this id (default: those appended after the watch starts). */
  afterId?: number;
  /** Only events of these types, of this run or of this asset (see `EventQuery`). */
  filter?: Pick<EventQuery, 'types' | 'runId' | 'assetKey'>;
  /** How often the newest event id is looked at (default 20 ms). */
  pollMs?: number;
}

/**
 * The events appended to the instance's log from now on (or after `afterId`), in order, in
 * batches as they are seen, until `signal` aborts.
 *
 * @example
 * for await (const events of watchEvents(instance, { signal, filter: { types: ['asset:materialized'] } })) {
 *   for (const event of events) notifyBrowsers(event);
 * }
 */
export async function* watchEvents(
  instance: Instance,
  options: WatchOptions,
): AsyncGenerator<StoredEvent[]> {
  const { eventLog } = instance;
  const pollMs = options.pollMs ?? 20;
  let afterId = options.afterId ?? (await eventLog.lastEventId());
  while (!options.signal.aborted) {
    // Up to the newest id as read now: what is appended meanwhile is for the next round.
    const last = await eventLog.lastEventId();
    while (afterId < last) {
      const page = await eventLog.events({ ...options.filter, afterId, limit: PAGE });
      const events = page.filter((event) => event.id <= last);
      if (events.length > 0) yield events;
      afterId = page.length < PAGE ? last : page[page.length - 1]!.id;
    }
    await waitForAppend(eventLog, afterId, pollMs, options.signal);
  }
}

/** How long to wait on a log that announces appends before looking again anyway. */
const ANNOUNCED_WAIT_MS = 1_000;

/**
 * Until an event after `afterId` may be there: woken by the log when it announces appends
 * (`waitForEvents`, for at most ANNOUNCED_WAIT_MS), else after `pollMs`.
 */
async function waitForAppend(
  eventLog: EventLog,
  afterId: number,
  pollMs: number,
  signal: AbortSignal,
): Promise<void> {
  if (eventLog.waitForEvents === undefined) return sleep(pollMs, signal);
  await eventLog.waitForEvents(afterId, { timeoutMs: ANNOUNCED_WAIT_MS, signal });
}
