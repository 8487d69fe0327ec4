/**
 * @module cli/_close-run
 * The supervisor's access to the instance, loaded only when it needs it: recording a stopped
 * run as cancelled, and looking up a backfill's cancellation.
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

export async function backfillCancelled(instanceDir: string, backfillId: string): Promise<boolean> {
  opened ??= openInstance({ dir: instanceDir });
  return (await opened.eventLog.backfill(backfillId))?.status === 'cancelled';
}
