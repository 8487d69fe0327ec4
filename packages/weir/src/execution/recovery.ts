import { hostname } from 'node:os';
import { isAlive } from '../artefacts/index.js';
import type { EventLog, StoredEvent, WeirEvent } from '../storage/index.js';
import { STEP_OUTCOMES } from '../storage/index.js';

/** Runs this process is executing now: never closed as crashed, whatever their pid says. */
export const activeRuns = new Set<string>();

/**
 * Closes the runs whose process died (kill -9, power loss) on this host: each step still in
 * flight gets a `step:failed` saying so, and the run a `run:finished` with status `crashed`.
 * Their assets stay stale, so the next run redoes exactly the interrupted steps.
 */
export async function recoverCrashedRuns(eventLog: EventLog): Promise<string[]> {
  const host = hostname();
  const recovered: string[] = [];
  for (const run of await eventLog.runs({ status: 'running', limit: 1000 })) {
    const { pid, host: runHost } = run.started;
    if (runHost !== host || activeRuns.has(run.runId)) continue;
    // Our own pid but not our run: an earlier process with this pid (a restarted container).
    if (pid !== process.pid && isAlive(pid)) continue;
    const events = await eventLog.events({
      runId: run.runId,
      types: ['step:started', ...STEP_OUTCOMES],
    });
    const now = Date.now();
    const closing: WeirEvent[] = inFlightSteps(events).map((step) => ({
      type: 'step:failed',
      runId: run.runId,
      assetKey: step.assetKey,
      partition: step.partition,
      timestamp: now,
      attempt: step.attempt,
      error: {
        name: 'ProcessDied',
        message: `the process running this step (pid ${pid} on ${host}) died before the step finished`,
      },
    }));
    closing.push({
      type: 'run:finished',
      runId: run.runId,
      timestamp: now,
      status: 'crashed',
      summary: {
        materialized: [],
        unchanged: [],
        failed: closing.flatMap((e) =>
          e.type === 'step:failed'
            ? [e.partition === '' ? e.assetKey : `${e.assetKey}[${e.partition}]`]
            : [],
        ),
        skipped: [],
        cancelled: [],
      },
      reason: `process ${pid} died without finishing the run`,
    });
    await eventLog.append(closing);
    recovered.push(run.runId);
  }
  return recovered;
}

function inFlightSteps(events: readonly StoredEvent[]): StoredEvent<'step:started'>[] {
  const open = new Map<string, StoredEvent<'step:started'>>();
  for (const event of events) {
    if (!('assetKey' in event)) continue;
    const id = `${event.assetKey}\0${event.partition}`;
    if (event.type === 'step:started') open.set(id, event);
    else open.delete(id);
  }
  return [...open.values()];
}
