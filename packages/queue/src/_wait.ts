/**
 * @module queue/_wait
 * Waiting for the event log to grow: a log that can be woken by its server (the PostgreSQL
 * log's `waitForEvents`, woken by NOTIFY) is waited on; any other is looked at after the timeout.
 */
import type { EventLog } from 'weir';

interface Waitable {
  waitForEvents(
    afterId: number,
    options: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<number>;
}

function waitable(log: EventLog): log is EventLog & Waitable {
  return typeof (log as Partial<Waitable>).waitForEvents === 'function';
}

/** The newest event id once one after `afterId` is appended, `timeoutMs` passed or `signal` aborted. */
export async function waitForAppend(
  log: EventLog,
  afterId: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<number> {
  if (waitable(log)) return log.waitForEvents(afterId, { timeoutMs, signal });
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    signal.addEventListener('abort', done, { once: true });
    if (signal.aborted) done();
  });
  return log.lastEventId();
}
