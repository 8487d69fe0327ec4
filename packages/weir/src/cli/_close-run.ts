/**
 * @module cli/_close-run
 * The supervisor's access to the instance, loaded only when it needs it: recording a stopped
 * run as cancelled, looking up a backfill's cancellation, and renewing a run's leases from a
 * thread that steps cannot block. Only the configured event log is opened (once per instance),
 * and closed when the supervisor ends (a server's connections would keep the process alive).
 */
import { closeRun } from '../execution/index.js';
import { type InstanceConfig, openConfiguredEventLog } from '../instance/index.js';
import type { EventLog } from '../storage/index.js';

const opened = new Map<string, Promise<EventLog>>();

function eventLogOf(instance: InstanceConfig): Promise<EventLog> {
  const key = JSON.stringify(instance.eventLog);
  let log = opened.get(key);
  if (log === undefined) {
    log = openConfiguredEventLog(instance);
    // A failed open is tried again next time.
    log.catch(() => opened.delete(key));
    opened.set(key, log);
  }
  return log;
}

export async function closeRunOf(
  instance: InstanceConfig,
  runId: string,
  reason: string,
): Promise<void> {
  const eventLog = await eventLogOf(instance);
  const run = await eventLog.run(runId);
  if (run?.status === 'running') await closeRun(eventLog, run, 'cancelled', reason);
}

export async function backfillCancelled(
  instance: InstanceConfig,
  backfillId: string,
): Promise<boolean> {
  return (await (await eventLogOf(instance)).backfill(backfillId))?.status === 'cancelled';
}

/** Says the run's process is alive: its leases stay its own while a step blocks its thread. */
export async function renewLeasesOf(instance: InstanceConfig, runId: string): Promise<void> {
  await (await eventLogOf(instance)).renewLeases(runId, Date.now());
}

/** Closes every event log opened here. */
export async function closeEventLogs(): Promise<void> {
  const logs = [...opened.values()];
  opened.clear();
  for (const log of logs) await (await log.catch(() => undefined))?.close().catch(() => undefined);
}
