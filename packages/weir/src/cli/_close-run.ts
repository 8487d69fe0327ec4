/**
 * @module cli/_close-run
 * The supervisor's access to the instance, loaded only when it needs it: recording a stopped
 * run as cancelled, looking up a backfill's cancellation, and renewing a run's leases from a
 * thread that steps cannot block.
 */
import { closeRun } from '../execution/index.js';
import { openInstance } from '../instance/index.js';

export async function closeRunOf(
  instanceDir: string,
  runId: string,
  reason: string,
): Promise<void> {
  const instance = openInstance({ dir: instanceDir });
  try {
    const run = await instance.eventLog.run(runId);
    if (run?.status === 'running') await closeRun(instance.eventLog, run, 'cancelled', reason);
  } finally {
    await instance.close();
  }
}

let opened: ReturnType<typeof openInstance> | undefined;

function instanceOf(instanceDir: string): ReturnType<typeof openInstance> {
  opened ??= openInstance({ dir: instanceDir });
  return opened;
}

export async function backfillCancelled(instanceDir: string, backfillId: string): Promise<boolean> {
  return (await instanceOf(instanceDir).eventLog.backfill(backfillId))?.status === 'cancelled';
}

/** Says the run's process is alive: its leases stay its own while a step blocks its thread. */
export async function renewLeasesOf(instanceDir: string, runId: string): Promise<void> {
  await instanceOf(instanceDir).eventLog.renewLeases(runId, Date.now());
}
