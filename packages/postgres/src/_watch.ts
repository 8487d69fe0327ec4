/**
 * @module postgres/_watch
 * Waiting for new events: `waitForEvents` and `watchEvents` of the PostgreSQL log, woken by
 * its NOTIFY subscription (`onAppend`) instead of polling the newest id.
 */
import type { EventQuery, StoredEvent } from 'weir';

/** What waiting needs of the log. */
export interface Appends {
  onAppend(listener: (lastEventId: number) => void): Promise<() => void>;
  lastEventId(): Promise<number>;
  events(query: EventQuery): Promise<StoredEvent[]>;
}

/** See `PostgresEventLog.waitForEvents`. */
export async function waitForEvents(
  log: Appends,
  afterId: number,
  options: { timeoutMs?: number; signal?: AbortSignal },
): Promise<number> {
  let wake: (() => void) | undefined;
  const woken = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const stop = await log.onAppend((id) => {
    if (id > afterId) wake!();
  });
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(wake!, options.timeoutMs);
  const abort = () => wake!();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    // Subscribed first, then read: an append between the two is not missed.
    const now = await log.lastEventId();
    if (now > afterId || options.signal?.aborted) return now;
    await woken;
    return await log.lastEventId();
  } finally {
    stop();
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}

/** See `PostgresEventLog.watchEvents`. */
export async function* watchEvents(
  log: Appends,
  options: {
    signal: AbortSignal;
    afterId?: number;
    filter?: Pick<EventQuery, 'types' | 'runId' | 'assetKey'>;
    recheckMs?: number;
  },
): AsyncGenerator<StoredEvent[]> {
  const page = 1_000;
  let afterId = options.afterId ?? (await log.lastEventId());
  while (!options.signal.aborted) {
    const last = await waitForEvents(log, afterId, {
      signal: options.signal,
      timeoutMs: options.recheckMs ?? 30_000,
    });
    // Up to the newest id as read now: what is appended meanwhile is for the next round.
    while (afterId < last && !options.signal.aborted) {
      const events = await log.events({ ...options.filter, afterId, limit: page });
      const seen = events.filter((event) => event.id <= last);
      if (seen.length > 0) yield seen;
      afterId = events.length < page ? last : events[events.length - 1]!.id;
    }
  }
}
