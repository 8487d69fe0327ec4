/**
 * @module _job-outcome
 * How a Job ended, read from its status conditions and (for the exit code and an OOM kill)
 * its pod's terminated container.
 */

import type { LaunchExit } from 'weir';
import type { JobStatusView } from './job-types.js';

/** The exit of a finished Job, or undefined while it runs. */
export function exitOfJob(job: JobStatusView): LaunchExit | undefined {
  const conditions = job.status?.conditions ?? [];
  const holds = (type: string) => conditions.find((c) => c.type === type && c.status === 'True');
  const complete = holds('Complete') ?? holds('SuccessCriteriaMet');
  if (complete !== undefined) {
    return { outcome: 'succeeded', exitCode: 0, signal: undefined, message: 'the Job completed' };
  }
  const failed = holds('Failed') ?? holds('FailureTarget');
  if (failed === undefined) return undefined;
  const reason = failed.reason ?? 'Failed';
  const message = failed.message === undefined ? reason : `${reason}: ${failed.message}`;
  return {
    outcome: reason === 'DeadlineExceeded' ? 'timed-out' : 'failed',
    exitCode: undefined,
    signal: undefined,
    message,
  };
}

interface PodList {
  items?: Array<{
    status?: {
      containerStatuses?: Array<{
        name?: string;
        state?: { terminated?: { exitCode?: number; reason?: string; signal?: number } };
      }>;
    };
  }>;
}

/** The worker container's exit code and reason (`OOMKilled`, `Error`) from the Job's pods, if found. */
export function terminationOf(
  pods: unknown,
): { exitCode: number; reason: string | undefined } | undefined {
  for (const pod of (pods as PodList).items ?? []) {
    for (const status of pod.status?.containerStatuses ?? []) {
      const terminated = status.state?.terminated;
      if (status.name === 'worker' && typeof terminated?.exitCode === 'number') {
        return { exitCode: terminated.exitCode, reason: terminated.reason };
      }
    }
  }
  return undefined;
}
