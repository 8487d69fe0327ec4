import type { AssetRecord, RunSummary, WeirEvent } from '../storage/index.js';
import type { RunContext } from './_run-context.js';
import type { Plan } from './planner.js';
import { runStep } from './step.js';

/**
 * Runs `steps` (in topological order) as soon as their planned upstream steps finish, at
 * most `concurrency` at once. A failed step skips its planned downstream and nothing else.
 * On abort, steps in flight are recorded as cancelled at once (user code that ignores the
 * signal is not waited for, and its late result is discarded) and no step starts after.
 */
export async function schedule(
  run: RunContext,
  plan: Pick<Plan, 'steps' | 'conditional'>,
  records: ReadonlyMap<string, AssetRecord>,
  concurrency: number,
  summary: RunSummary,
  reasons: Record<string, string>,
): Promise<void> {
  const { graph } = run;
  const { steps } = plan;
  const inPlan = new Set(steps);
  const conditional = new Set(plan.conditional);
  /** A conditional step whose upstream all came out as the versions it last read need not run. */
  const inputsUnchanged = (key: string) => {
    const read = records.get(key)?.materialization?.materialization.inputs;
    return (
      read !== undefined &&
      graph
        .parents(key)
        .every((parent) => read[parent]?.dataVersion === run.versions.current(parent).dataVersion)
    );
  };
  const waitingOn = new Map<string, number>();
  const ready: string[] = [];
  for (const key of steps) {
    const count = graph.parents(key).filter((parent) => inPlan.has(parent)).length;
    waitingOn.set(key, count);
    if (count === 0) ready.push(key);
  }
  const done = new Set<string>();
  const inFlight = new Set<string>();
  let next = 0;

  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      run.signal.removeEventListener('abort', onAbort);
      reject(error);
    };
    const pump = () => {
      while (!run.signal.aborted && inFlight.size < concurrency && next < ready.length) {
        const key = ready[next++]!;
        if (done.has(key)) continue;
        if (conditional.has(key) && inputsUnchanged(key)) {
          summary.unchanged.push(key);
          finish(key);
        } else {
          start(key);
        }
      }
      if (inFlight.size === 0 && (run.signal.aborted || next >= ready.length)) {
        run.signal.removeEventListener('abort', onAbort);
        if (run.signal.aborted)
          for (const key of steps) if (!done.has(key)) summary.cancelled.push(key);
        resolve();
      }
    };
    const finish = (key: string) => {
      done.add(key);
      for (const child of graph.children(key)) {
        if (!inPlan.has(child) || done.has(child)) continue;
        const left = waitingOn.get(child)! - 1;
        waitingOn.set(child, left);
        if (left === 0) ready.push(child);
      }
    };
    const skipDownstream = async (failedKey: string, reason: string) => {
      const skipped = graph.sortTopologically(
        [...graph.downstreamOf([failedKey])].filter(
          (key) => key !== failedKey && inPlan.has(key) && !done.has(key),
        ),
      );
      for (const key of skipped) {
        done.add(key);
        summary.skipped.push(key);
        reasons[key] = reason;
      }
      await run.record(
        skipped.map(
          (key): WeirEvent => ({
            type: 'step:skipped',
            ...run.stepFields(key),
            reason,
            blockedBy: [failedKey],
          }),
        ),
      );
    };
    const start = (key: string) => {
      inFlight.add(key);
      runStep(run, graph.node(key))
        .then(async (outcome) => {
          if (!inFlight.delete(key)) return; // cancelled while running: already recorded
          if (outcome.status === 'materialized') {
            run.versions.update(outcome.event);
            summary.materialized.push(key);
          } else if (outcome.status === 'failed') {
            summary.failed.push(key);
            reasons[key] = outcome.error.message;
            await skipDownstream(key, `upstream ${key} failed`);
          } else if (outcome.status === 'blocked') {
            summary.failed.push(key);
            reasons[key] = outcome.reason;
            await skipDownstream(key, `check ${outcome.checks[0]} on ${key} failed`);
          } else {
            await run.record([{ type: 'step:cancelled', ...run.stepFields(key) }]);
            summary.cancelled.push(key);
          }
          finish(key);
          pump();
        })
        .catch(fail);
    };
    const onAbort = () => {
      const cancelled = [...inFlight];
      inFlight.clear();
      for (const key of cancelled) {
        done.add(key);
        summary.cancelled.push(key);
      }
      run
        .record(
          cancelled.map((key): WeirEvent => ({ type: 'step:cancelled', ...run.stepFields(key) })),
        )
        .then(pump)
        .catch(fail);
    };
    run.signal.addEventListener('abort', onAbort, { once: true });
    pump();
  });
}
