/**
 * @module server/_run-view
 * A run as the API shows it: the record in a flat shape, and its steps as a timeline (one bar
 * per asset partition: when it started and ended, how, after how many attempts).
 */
import type { RunRecord, StoredEvent } from '../storage/index.js';
import type { RunBody } from './_schemas.js';

export interface StepBar {
  assetKey: string;
  partition: string;
  status: 'running' | 'materialized' | 'failed' | 'skipped' | 'cancelled';
  startedAt: number;
  endedAt: number | null;
  attempts: number;
  /** The error (failed), or why it was skipped or cancelled. */
  message: string | null;
  /** The materialization event, when it materialized. */
  eventId: number | null;
}

export function runBody(run: RunRecord): RunBody {
  const { started, finished } = run;
  return {
    runId: run.runId,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? null,
    durationMs: run.finishedAt === undefined ? null : run.finishedAt - run.startedAt,
    selection: started.selection,
    steps: started.steps,
    trigger: started.trigger ?? null,
    backfillId: started.backfillId ?? null,
    host: started.host,
    pid: started.pid,
    summary: finished === undefined ? null : { ...finished.summary },
    reason: finished?.reason ?? null,
  };
}

/** The steps of a run from its events, in the order they started. */
export function stepBars(events: readonly StoredEvent[]): StepBar[] {
  const bars = new Map<string, StepBar>();
  for (const event of events) {
    if (!('assetKey' in event) || !('partition' in event) || !('runId' in event)) continue;
    const id = `${event.assetKey}\u0000${event.partition}`;
    const bar = bars.get(id);
    switch (event.type) {
      case 'step:started':
        if (bar === undefined) {
          bars.set(id, {
            assetKey: event.assetKey,
            partition: event.partition,
            status: 'running',
            startedAt: event.timestamp,
            endedAt: null,
            attempts: event.attempt,
            message: null,
            eventId: null,
          });
        } else {
          bar.status = 'running';
          bar.attempts = Math.max(bar.attempts, event.attempt);
          bar.endedAt = null;
        }
        break;
      case 'asset:materialized':
        if (bar)
          Object.assign(bar, {
            status: 'materialized',
            endedAt: event.timestamp,
            eventId: event.id,
          });
        break;
      case 'step:failed':
        if (bar)
          Object.assign(bar, {
            status: 'failed',
            endedAt: event.timestamp,
            message: event.error.message,
          });
        break;
      case 'step:skipped':
        bars.set(id, {
          ...(bar ?? {
            assetKey: event.assetKey,
            partition: event.partition,
            startedAt: event.timestamp,
            attempts: 0,
            eventId: null,
          }),
          status: 'skipped',
          endedAt: event.timestamp,
          message: event.reason,
        });
        break;
      case 'step:cancelled':
        if (bar)
          Object.assign(bar, {
            status: 'cancelled',
            endedAt: event.timestamp,
            message: event.reason ?? 'cancelled',
          });
        break;
    }
  }
  return [...bars.values()];
}
