import { PartitionSet, UNPARTITIONED_SPACE } from '../definitions/index.js';
import type { AssetRecord, RunSummary, WeirEvent } from '../storage/index.js';
import { readsUnchanged } from './_inputs.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';
import type { Plan } from './planner.js';
import { runStep } from './step.js';

/**
 * Runs `units` (in topological order) as soon as the units they read finish, at most
 * `concurrency` at once. A failed unit skips the units that read it and nothing else. On
 * abort, units in flight are recorded as cancelled at once (user code that ignores the
 * signal is not waited for, and its late result is discarded) and no unit starts after.
 */
export async function schedule(
  run: RunContext,
  units: readonly StepUnit[],
  plan: Pick<Plan, 'conditional' | 'partitions'>,
  records: ReadonlyMap<string, AssetRecord>,
  concurrency: number,
  summary: RunSummary,
  reasons: Record<string, string>,
): Promise<void> {
  const { graph } = run;
  const conditional = new Set(plan.conditional);
  /** Planned only because an upstream unit runs: it need not run if that came out unchanged. */
  const isConditional = (unit: StepUnit) => {
    if (unit.partitions === undefined) return conditional.has(unit.key);
    if (unit.keys.length !== 1) return false;
    const [index] = unit.partitions.indices();
    return plan.partitions.get(unit.key)?.conditional.has(index!) ?? false;
  };
  /** The inputs the unit's current materialization read. */
  const recordedInputs = async (unit: StepUnit) => {
    if (unit.partitions === undefined) {
      return records.get(unit.key)?.materialization?.materialization.inputs;
    }
    await run.versions.load(unit.key, unit.keys);
    const current = run.versions.event(unit.key, unit.keys[0]);
    return current?.type === 'asset:materialized' ? current.materialization.inputs : undefined;
  };
  const waitingOn = new Int32Array(units.length);
  const ready: StepUnit[] = [];
  for (const unit of units) {
    waitingOn[unit.id] = unit.parents.length;
    if (unit.parents.length === 0) ready.push(unit);
  }
  /** Each unit settles exactly once: skipped, unchanged, materialized, failed or cancelled. */
  const settled = new Uint8Array(units.length);
  const inFlight = new Set<StepUnit>();
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
        const unit = ready[next++]!;
        if (settled[unit.id]) continue;
        if (isConditional(unit)) startIfChanged(unit);
        else start(unit);
      }
      if (inFlight.size === 0 && (run.signal.aborted || next >= ready.length)) {
        run.signal.removeEventListener('abort', onAbort);
        finished = true;
        if (run.signal.aborted)
          for (const unit of units) if (settle(unit)) summary.cancelled.push(unit.label);
        resolve();
      }
    };
    /** Marks `unit` settled and releases the units waiting for it; false if it already was. */
    const settle = (unit: StepUnit): boolean => {
      if (settled[unit.id]) return false;
      settled[unit.id] = 1;
      for (const id of unit.children) {
        if (settled[id]) continue;
        if (--waitingOn[id]! === 0) ready.push(units[id]!);
      }
      return true;
    };
    /**
     * Skips the units that read `failed`'s output, directly or through other planned units. A
     * unit reading it through an unplanned (up-to-date) asset is unaffected, and a unit
     * already running or settled is never skipped.
     */
    const skipDownstream = async (
      failed: StepUnit,
      reason: string,
      /** Only the direct children for which this holds (those reading a blocked partition). */
      reads: (child: StepUnit) => boolean = () => true,
    ) => {
      const skipped: StepUnit[] = [];
      const queue = [failed];
      while (queue.length > 0) {
        const from = queue.pop()!;
        for (const id of from.children) {
          const child = units[id]!;
          if (settled[id] || inFlight.has(child)) continue;
          if (from === failed && !reads(child)) continue;
          settle(child);
          skipped.push(child);
          queue.push(child);
        }
      }
      skipped.sort((a, b) => a.id - b.id);
      for (const unit of skipped) {
        summary.skipped.push(unit.label);
        reasons[unit.label] = reason;
      }
      await run.record(
        skipped.flatMap((unit) =>
          run.unitEvents(unit, (fields) => ({
            type: 'step:skipped',
            ...fields,
            reason,
            blockedBy: [failed.key],
          })),
        ),
      );
    };
    /** Runs a conditional unit unless everything it reads came out as it last read it. */
    const startIfChanged = (unit: StepUnit) => {
      inFlight.add(unit);
      recordedInputs(unit)
        .then((recorded) => readsUnchanged(run, graph.node(unit.key), unit, recorded))
        .then((unchanged) => {
          // Cancelled meanwhile: settled as cancelled already.
          if (!inFlight.delete(unit)) return;
          if (!unchanged) return start(unit);
          settle(unit);
          summary.unchanged.push(unit.label);
          pump();
        })
        .catch(fail);
    };
    const start = (unit: StepUnit) => {
      inFlight.add(unit);
      runStep(run, graph.node(unit.key), unit)
        .then(async (outcome) => {
          // Cancelled while running: recorded already, and a late result is discarded.
          if (!inFlight.delete(unit) || !settle(unit)) return;
          if (outcome.status === 'materialized') {
            for (const event of outcome.events) run.versions.update(event);
            summary.materialized.push(unit.label);
          } else if (outcome.status === 'failed') {
            summary.failed.push(unit.label);
            reasons[unit.label] = outcome.error.message;
            await skipDownstream(unit, `upstream ${unit.label} failed`);
          } else if (outcome.status === 'blocked') {
            for (const event of outcome.usable) run.versions.update(event);
            // A range step can pass on some partitions: those count, and only readers of the
            // blocked ones are skipped.
            const blocked = new Set(outcome.blocked);
            const label = (key: string) =>
              unit.partitions === undefined ? unit.key : `${unit.key}[${key}]`;
            for (const event of outcome.usable) summary.materialized.push(label(event.partition));
            for (const key of outcome.blocked) {
              summary.failed.push(label(key));
              reasons[label(key)] = outcome.reason;
            }
            await skipDownstream(
              unit,
              `check ${outcome.checks[0]} on ${unit.label} failed`,
              outcome.usable.length === 0
                ? undefined
                : (child) => readsAnyOf(run, child, unit, blocked),
            );
          } else {
            summary.cancelled.push(unit.label);
            await run.record(
              run.unitEvents(unit, (fields) => ({ type: 'step:cancelled', ...fields })),
            );
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
      const cancelled = [...inFlight].filter((unit) => settle(unit));
      inFlight.clear();
      summary.cancelled.push(...cancelled.map((unit) => unit.label));
      run
        .record(
          cancelled.flatMap((unit) =>
            run.unitEvents(unit, (fields): WeirEvent => ({ type: 'step:cancelled', ...fields })),
          ),
        )
        .then(pump)
        .catch(fail);
    };
    run.signal.addEventListener('abort', onAbort, { once: true });
    pump();
  });
}

/** Whether `child` reads any of the partitions `keys` of `parent`'s unit. */
function readsAnyOf(
  run: RunContext,
  child: StepUnit,
  parent: StepUnit,
  keys: ReadonlySet<string>,
): boolean {
  const up = parent.space;
  if (up === undefined) return true;
  const down = child.space ?? UNPARTITIONED_SPACE;
  const mapping = run.graph.mappingOf(child.key, parent.key, up, down);
  const reads = mapping.upstreamFor(child.partitions ?? PartitionSet.all(1), down, up).partitions;
  for (const i of reads.indices()) if (keys.has(up.keyAt(i))) return true;
  return false;
}
