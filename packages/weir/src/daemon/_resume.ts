/**
 * @module daemon/_resume
 * Work the daemon launched that did not finish: runs with a trigger that ended crashed (their
 * process was killed) or cancelled (a daemon stopping). Their requests were handled as far as
 * the conditions know (`since` was reset by the request), so without this nothing would ask
 * for them again until their upstream changed. Each such run is resumed once, by a run of
 * its steps that plans from the state as it is (so only what is still stale runs), whose
 * reason names the run it resumes; that reason is how a later daemon knows it was resumed.
 */
import { type Instance, listRuns } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { RunRecord } from '../storage/index.js';
import type { RunOrder } from './_launcher.js';

/** Interrupted runs are looked for this far back. */
const LOOKBACK_MS = 24 * 3_600_000;
/** Recent runs read to find them (and the runs that resumed them). */
const RECENT_RUNS = 200;

const resumes = (runId: string) => `resuming run ${runId}`;

/** Orders resuming the daemon's interrupted runs that nobody resumed yet. */
export async function resumeOrders(
  instance: Instance,
  graph: AssetGraph,
  now: number,
  already: Set<string>,
): Promise<RunOrder[]> {
  const runs = await listRuns(instance, { limit: RECENT_RUNS });
  const reasons = runs.map((run) => run.started.trigger?.reason ?? '');
  const orders: RunOrder[] = [];
  for (const run of runs) {
    if (!interrupted(run, now) || already.has(run.runId)) continue;
    already.add(run.runId);
    if (reasons.some((reason) => reason.startsWith(resumes(run.runId)))) continue;
    const steps = run.started.steps.filter((key) => graph.has(key));
    if (steps.length === 0) continue;
    const trigger = run.started.trigger!;
    orders.push({
      selection: steps,
      trigger: {
        kind: trigger.kind,
        name: trigger.name,
        reason: `${resumes(run.runId)}, ${run.status === 'crashed' ? 'whose process died' : 'cancelled'} before it finished: ${trigger.reason}`,
      },
    });
  }
  return orders;
}

function interrupted(run: RunRecord, now: number): boolean {
  return (
    // A person's run (launched through the API) that stopped is theirs to launch again.
    run.started.trigger !== undefined &&
    run.started.trigger.kind !== 'api' &&
    (run.status === 'crashed' || run.status === 'cancelled') &&
    now - run.startedAt <= LOOKBACK_MS
  );
}
