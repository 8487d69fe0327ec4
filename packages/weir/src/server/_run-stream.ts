/**
 * @module server/_run-stream
 * One run's events as Server-Sent Events: the backlog after `after`, then live events from the
 * hub, until the run has ended (`event: end`). A run that ended without a `run:finished` (its
 * process died) is noticed at the next keep-alive, as `weir runs` notices it.
 */
import type { SSEStreamingApi } from 'hono/streaming';
import { findRun } from '../execution/index.js';
import type { StoredEvent } from '../storage/index.js';
import type { ServerContext } from './_context.js';

const KEEP_ALIVE_MS = 15_000;
const PAGE = 1_000;

export async function streamRun(
  sse: SSEStreamingApi,
  context: ServerContext,
  runId: string,
  after: number,
): Promise<void> {
  const { eventLog } = context.instance;
  // Listen first, then read the backlog: nothing falls between the two.
  const pending: StoredEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = context.hub.subscribe((batch) => {
    let queued = false;
    for (const event of batch) {
      if ('runId' in event && event.runId === runId) {
        pending.push(event);
        queued = true;
      }
    }
    if (queued) wake?.();
  });
  sse.onAbort(() => {
    unsubscribe();
    wake?.();
  });
  let through = Math.min(after, await eventLog.lastEventId());
  const send = async (batch: readonly StoredEvent[]) => {
    const fresh = batch.filter((event) => event.id > through);
    if (fresh.length === 0) return false;
    through = fresh[fresh.length - 1]!.id;
    await sse.writeSSE({ event: 'weir', id: String(through), data: JSON.stringify(fresh) });
    return fresh.some((event) => event.type === 'run:finished');
  };
  /** Sends what the log holds after `through`; true when that includes the run's end. */
  const drain = async () => {
    let finished = false;
    for (;;) {
      const page = await eventLog.events({ runId, afterId: through, limit: PAGE });
      if (await send(page)) finished = true;
      if (page.length < PAGE) return finished;
    }
  };
  const ended = async () => (await findRun(context.instance, runId))?.status !== 'running';
  try {
    let finished = await drain();
    while (!finished && !sse.aborted) {
      if (pending.length > 0) {
        finished = await send(pending.splice(0));
        continue;
      }
      // Asked from after its end, or it ended with no run:finished (its process died).
      if (await ended()) {
        await drain();
        finished = true;
        break;
      }
      let timer: NodeJS.Timeout | undefined;
      const woken = await new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        timer = setTimeout(() => resolve(false), KEEP_ALIVE_MS);
      });
      clearTimeout(timer);
      wake = undefined;
      if (!woken && !sse.aborted) await sse.writeSSE({ event: 'ping', data: '' });
    }
    if (finished && !sse.aborted) await sse.writeSSE({ event: 'end', data: '' });
  } finally {
    unsubscribe();
  }
}
