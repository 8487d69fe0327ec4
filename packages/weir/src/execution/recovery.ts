/**
 * @module execution/recovery
 * Runs whose process died: recognising them (a read, for status and lists) and closing them
 * as crashed (a write, once per command).
 */
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { isAlive, processStart } from '../artefacts/index.js';
import { unitLabel } from '../definitions/index.js';
import type { EventLog, RunRecord, StoredEvent, WeirEvent } from '../storage/index.js';
import { STEP_OUTCOMES } from '../storage/index.js';

/** Runs this thread is executing now: never taken for crashed, whatever their pid says. */
export const activeRuns = new Set<string>();

const HOST = hostname();

/** This process and thread, as a run records who runs it (see `run:started`). */
export const THIS_PROCESS: { pid: number; pidStart: number | undefined; threadId: number } = {
  pid: process.pid,
  pidStart: processStart(process.pid),
  threadId,
};

/**
 * Whether the process (and thread) that ran `run` on this host is gone: its pid is free, or
 * used by a process that started at another time (a reused pid), or it is this process and
 * this thread, which is not running the run any more. A run of another thread of this process
 * is alive: this thread cannot tell when that one ends.
 */
export function holderGone(run: {
  runId: string;
  pid: number;
  pidStart?: number | undefined;
  threadId?: number | undefined;
}): boolean {
  if (activeRuns.has(run.runId)) return false;
  if (run.pid !== process.pid) return !isAlive(run.pid, run.pidStart);
  if (run.pidStart !== undefined && run.pidStart !== THIS_PROCESS.pidStart) return true;
  return run.threadId === undefined || run.threadId === threadId;
}

/**
 * Whether a run recorded as running has lost its process: started on this host by a process
 * (or thread of this process) that is gone.
 * Runs of other hosts are not judged here.
 */
export function isOrphaned(run: RunRecord): boolean {
  if (run.status !== 'running') return false;
  const { pid, host, pidStart, threadId } = run.started;
  if (host !== HOST) return false;
  return holderGone({ runId: run.runId, pid, pidStart, threadId });
}

/** A run as it stands now: an orphaned run reads as crashed before anyone closes it. */
export function runAsOfNow(run: RunRecord): RunRecord {
  return isOrphaned(run) ? { ...run, status: 'crashed' } : run;
}

/**
 * Closes the orphaned runs (kill -9, power loss): each step still in flight gets a
 * `step:failed` saying so, and the run a `run:finished` with status `crashed`. Their assets
 * stay stale, so the next run redoes exactly the interrupted steps.
 */
export async function recoverCrashedRuns(eventLog: EventLog): Promise<string[]> {
  const recovered: string[] = [];
  for (const run of await eventLog.runs({ status: 'running', limit: 1000 })) {
    if (!isOrphaned(run)) continue;
    const { pid } = run.started;
    if (await closeRun(eventLog, run, 'crashed', `process ${pid} died without finishing the run`)) {
      recovered.push(run.runId);
    }
  }
  return recovered;
}

/**
 * Closes a run that cannot close itself, from its events: each step still in flight gets
 * an outcome (`step:failed` when its process died, `step:cancelled` when it was stopped),
 * and the run a `run:finished` whose summary counts what its events show. A run that has
 * finished meanwhile (another process closed it) is left alone: false.
 */
export async function closeRun(
  eventLog: EventLog,
  run: RunRecord,
  status: 'crashed' | 'cancelled',
  reason: string,
): Promise<boolean> {
  const events = await eventLog.events({
    runId: run.runId,
    types: ['step:started', ...STEP_OUTCOMES],
  });
  const now = Date.now();
  const inFlight = inFlightSteps(events);
  const { pid } = run.started;
  const closing: WeirEvent[] = inFlight.map((step) => {
    const fields = {
      runId: run.runId,
      assetKey: step.assetKey,
      partition: step.partition,
      timestamp: now,
    };
    return status === 'cancelled'
      ? { type: 'step:cancelled', ...fields }
      : {
          type: 'step:failed',
          ...fields,
          attempt: step.attempt,
          error: {
            name: 'ProcessDied',
            message: `the process running this step (pid ${pid} on ${HOST}) died before the step finished`,
          },
        };
  });
  const labels = (type: string) =>
    events.flatMap((e) =>
      e.type === type && 'partition' in e ? [unitLabel(e.assetKey, [e.partition])] : [],
    );
  const stopped = inFlight.map((step) => unitLabel(step.assetKey, [step.partition]));
  closing.push({
    type: 'run:finished',
    runId: run.runId,
    timestamp: now,
    status,
    summary: {
      materialized: labels('asset:materialized'),
      unchanged: [],
      failed: [...labels('step:failed'), ...(status === 'crashed' ? stopped : [])],
      skipped: labels('step:skipped'),
      cancelled: [...labels('step:cancelled'), ...(status === 'cancelled' ? stopped : [])],
    },
    reason,
  });
  return (await eventLog.appendWhileRunning(run.runId, closing)).length > 0;
}

function inFlightSteps(events: readonly StoredEvent[]): StoredEvent<'step:started'>[] {
  const open = new Map<string, StoredEvent<'step:started'>>();
  for (const event of events) {
    if (!('partition' in event)) continue;
    const id = `${event.assetKey}\0${event.partition}`;
    if (event.type === 'step:started') open.set(id, event);
    else open.delete(id);
  }
  return [...open.values()];
}
