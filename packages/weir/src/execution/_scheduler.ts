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
  /** Each planned step settles exactly once: skipped, unchanged, materialized, failed or cancelled. */
  const settled = new Set<string>();
  const inFlight = new Set<string>();
  let next = 0;
  let finished = false;

  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      run.signal.removeEventListener('abort', onAbort);
      finished = true;
      reject(error);
    };
    const pump = () => {
      if (finished) return;
      while (!run.signal.aborted && inFlight.size < concurrency && next < ready.length) {
        const key = ready[next++]!;
        if (settled.has(key)) continue;
        if (conditional.has(key) && inputsUnchanged(key)) {
          settle(key);
          summary.unchanged.push(key);
        } else {
          start(key);
        }
      }
      if (inFlight.size === 0 && (run.signal.aborted || next >= ready.length)) {
        run.signal.removeEventListener('abort', onAbort);
        finished = true;
        if (run.signal.aborted)
          for (const key of steps) if (settle(key)) summary.cancelled.push(key);
        resolve();
      }
    };
    /** Marks `key` settled and releases its planned children; false if it already was. */
    const settle = (key: string): boolean => {
      if (settled.has(key)) return false;
      settled.add(key);
      for (const child of graph.children(key)) {
        if (!inPlan.has(child) || settled.has(child)) continue;
        const left = waitingOn.get(child)! - 1;
        waitingOn.set(child, left);
        if (left === 0) ready.push(child);
      }
      return true;
    };
    /**
     * Skips the planned steps that read `failedKey`'s output, directly or through other planned
     * steps. A step reading it through an unplanned (up-to-date) asset is unaffected, and a
     * step already running or settled is never skipped.
     */
    const skipDownstream = async (failedKey: string, reason: string) => {
      const skipped: string[] = [];
      const queue = [failedKey];
      while (queue.length > 0) {
        for (const child of graph.children(queue.pop()!)) {
          if (!inPlan.has(child) || settled.has(child) || inFlight.has(child)) continue;
          settle(child);
          skipped.push(child);
          queue.push(child);
        }
      }
      for (const key of skipped) {
        summary.skipped.push(key);
        reasons[key] = reason;
      }
      await run.record(
        graph.sortTopologically(skipped).map(
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
          // Cancelled while running: recorded already, and a late result is discarded.
          if (!inFlight.delete(key) || !settle(key)) return;
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
            summary.cancelled.push(key);
            await run.record([{ type: 'step:cancelled', ...run.stepFields(key) }]);
          }
          pump();
        })
        .catch(fail);
    };
    // Handled on the next turn: an abort fired while a step was recording its outcome (from a
    // listener, say) lets that step settle as what it was, instead of as cancelled too.
    const onAbort = () => setTimeout(cancelInFlight, 0);
    const cancelInFlight = () => {
      if (finished) return;
      const cancelled = [...inFlight].filter((key) => settle(key));
      inFlight.clear();
      summary.cancelled.push(...cancelled);
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
