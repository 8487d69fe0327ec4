/**
 * @module execution/_scheduler
 * Drives a run: claims ready units (their leases) and hands them to the executor, at most
 * `concurrency` at once, and settles each as it ends. A unit another process holds, or whose
 * pool is full, waits aside without taking a slot, then is claimed again (a pool's slots are
 * taken with the unit's leases, so the limit holds across processes). A failed unit skips the units that read
 * it and nothing else. On abort, units in flight are recorded as cancelled at once (user code
 * that ignores the signal is not waited for, and its late result is discarded) and no unit
 * starts after. On an error (storage, a listener, an executor that throws), no unit starts
 * either, and the units in flight are waited for before it is thrown, so nothing of the run
 * is recorded after it.
 */
import { PartitionSet, UNPARTITIONED_SPACE } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import { readsLastGood } from '../graph/index.js';
import type { AssetRecord } from '../storage/index.js';
import { type Claim, claimUnit, waitForRelease } from './_claim.js';
import { readsUnchanged } from './_inputs.js';
import { lastGoodWithNothing } from './_last-good.js';
import { waitForSlots } from './_pool-wait.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';
import type { VersionEvent } from './_version-book.js';
import type { Executor, StepOutcome } from './executor.js';
import type { Plan } from './planner.js';
import { ReadyQueue } from './ready-queue.js';
import type { SettledUnit, UnitOutcome } from './run-summary.js';

export interface ScheduleOptions {
  executor: Executor;
  concurrency: number;
  plan: Pick<Plan, 'conditional' | 'partitions'>;
  /** The index records the run started from (what each unit's current materialization read). */
  records: ReadonlyMap<string, AssetRecord>;
  /** Run units whether stale or not (after another process holding one releases it). */
  force: boolean;
  /** Where settled units are appended (kept when the schedule throws); a new list by default. */
  settled?: SettledUnit[];
}

/**
 * Runs `units` (in topological order) and returns how each settled, in the order they did
 * (appended to `options.settled`, which holds what settled before an error if it throws).
 */
export async function schedule(
  run: RunContext,
  units: readonly StepUnit[],
  options: ScheduleOptions,
): Promise<SettledUnit[]> {
  const queue = new ReadyQueue(units);
  const conditional = new Set(options.plan.conditional);
  const settled = options.settled ?? [];
  /** Units whose executor has not returned: cancelled at once on abort. */
  const running = new Set<StepUnit>();
  /** Units recording their outcome: waited for, even on abort. */
  const finishing = new Set<Promise<void>>();
  /** Units waiting for another process to release them: no slot taken, cancelled on abort. */
  const parked = new Set<StepUnit>();
  let failure: { error: unknown } | undefined;
  let aborted = false;
  let wake = () => {};
  /** Resolved (and replaced) when a unit of a pool settles here: its slots are free. */
  let free = () => {};
  let freed = new Promise<void>((resolve) => {
    free = resolve;
  });
  const slotsFreed = () => {
    const resolve = free;
    freed = new Promise<void>((next) => {
      free = next;
    });
    resolve();
  };
  const fail = (error: unknown) => {
    failure ??= { error };
  };

  const settle = async (unit: StepUnit, outcome: UnitOutcome) => {
    if (!queue.settle(unit)) return;
    settled.push({ key: unit.key, keys: unit.keys, outcome });
    if (outcome.status === 'materialized' || outcome.status === 'concurrent') {
      for (const event of outcome.events) run.versions.update(event);
    } else if (outcome.status === 'failed') {
      await skipReaders(unit, `upstream ${unit.label} failed`, (child) => stopsFor(child, unit));
    } else if (outcome.status === 'blocked') {
      for (const event of outcome.usable) run.versions.update(event);
      // A range unit can pass on some partitions: only readers of the blocked ones are skipped.
      const blocked = new Set(outcome.blocked);
      await skipReaders(
        unit,
        `check ${outcome.checks[0]} on ${unit.label} failed`,
        (child) =>
          stopsFor(child, unit) &&
          (outcome.usable.length === 0 || readsAnyOf(run, child, unit, blocked)),
      );
    } else if (outcome.status === 'skipped') {
      await run.record(
        run.unitEvents(unit, (fields) => ({
          type: 'step:skipped',
          ...fields,
          reason: outcome.reason,
          blockedBy: [],
        })),
      );
      await skipReaders(unit, `upstream ${unit.label} could not run`);
    } else if (outcome.status === 'cancelled') {
      const reason = outcome.reason === undefined ? {} : { reason: outcome.reason };
      await run.record(
        run.unitEvents(unit, (fields) => ({ type: 'step:cancelled', ...fields, ...reason })),
      );
    }
  };
  // A reader of last good versions goes on without a partition that failed in the run.
  const stopsFor = (child: StepUnit, unit: StepUnit) =>
    !readsLastGood(run.graph, child.key, unit.key);
  const skipReaders = async (
    unit: StepUnit,
    reason: string,
    reads?: (child: StepUnit) => boolean,
  ) => {
    const skipped = queue.skipReaders(unit, reads);
    for (const child of skipped) {
      settled.push({ key: child.key, keys: child.keys, outcome: { status: 'skipped', reason } });
    }
    await run.record(
      skipped.flatMap((child) =>
        run.unitEvents(child, (fields) => ({
          type: 'step:skipped',
          ...fields,
          reason,
          blockedBy: [unit.key],
        })),
      ),
    );
  };
  // Partitions of a range unit another run did meanwhile (the unit was narrowed to the rest).
  const concurrent = (unit: StepUnit, events: readonly VersionEvent[]) => {
    for (const event of events) run.versions.update(event);
    const keys = events.map((event) => event.partition);
    settled.push({ key: unit.key, keys, outcome: { status: 'concurrent', events: [...events] } });
  };
  const launch = (unit: StepUnit) => {
    running.add(unit);
    execute(run, unit, options, conditional, concurrent)
      .then(
        (outcome) => {
          // Cancelled while running: recorded already, and a late result is discarded.
          if (!running.delete(unit)) return;
          if (outcome.status === 'held') return park(unit, outcome.leases);
          if (outcome.status === 'pool-full') return parkForSlots(unit, outcome.holders);
          const done = settle(unit, outcome)
            .catch(fail)
            .finally(() => {
              finishing.delete(done);
              if (run.poolOf(unit.key) !== undefined) slotsFreed();
            });
          finishing.add(done);
          return done;
        },
        (error) => {
          running.delete(unit);
          fail(error);
        },
      )
      .finally(() => wake());
  };
  const park = (unit: StepUnit, leases: Extract<Claim, { status: 'held' }>['leases']) => {
    parked.add(unit);
    // Said, or a run waiting on a long step looks hung.
    const holders = [...new Map(leases.map((lease) => [lease.runId, lease])).values()];
    run.onLog(unit.key, {
      level: 'warn',
      message: `${unit.label} waits for ${holders.map((h) => `run ${h.runId} (pid ${h.pid} on ${h.host})`).join(', ')}, which is materializing it; it goes on when that run lets it go`,
      timestamp: Date.now(),
    });
    waitForRelease(run, unit, leases)
      .then(() => {
        if (parked.delete(unit)) queue.requeue(unit);
      }, fail)
      .finally(() => wake());
  };
  const parkForSlots = (
    unit: StepUnit,
    holders: Extract<Claim, { status: 'pool-full' }>['holders'],
  ) => {
    parked.add(unit);
    waitForSlots(run, holders, freed)
      .then(() => {
        if (parked.delete(unit)) queue.requeue(unit);
      }, fail)
      .finally(() => wake());
  };
  const cancelRunning = async () => {
    const cancelled = [...running];
    running.clear();
    for (const unit of cancelled) queue.settle(unit);
    for (const unit of cancelled) {
      settled.push({ key: unit.key, keys: unit.keys, outcome: { status: 'cancelled' } });
    }
    await run.record(
      cancelled.flatMap((unit) =>
        run.unitEvents(unit, (fields) => ({ type: 'step:cancelled', ...fields })),
      ),
    );
  };

  // Handled on the next turn: an abort fired while a step was recording its outcome (from a
  // listener, say) lets that step settle as what it was, instead of as cancelled too.
  const onAbort = () =>
    setTimeout(() => {
      aborted = true;
      wake();
    }, 0);
  run.signal.addEventListener('abort', onAbort, { once: true });
  try {
    let cancelledRunning = false;
    for (;;) {
      if (failure !== undefined && running.size === 0 && finishing.size === 0) {
        throw failure.error;
      }
      if (aborted && !cancelledRunning) {
        cancelledRunning = true;
        await cancelRunning();
        continue;
      }
      // The signal itself, not the deferred flag: no unit starts once it has aborted, even
      // before the abort is handled (or when it aborted before the run began).
      while (failure === undefined && !run.signal.aborted && running.size < options.concurrency) {
        const unit = queue.take();
        if (unit === undefined) break;
        launch(unit);
      }
      if (running.size === 0 && finishing.size === 0 && (aborted || parked.size === 0)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    run.signal.removeEventListener('abort', onAbort);
  }
  if (run.signal.aborted) {
    for (const unit of queue.settleAll()) {
      settled.push({ key: unit.key, keys: unit.keys, outcome: { status: 'cancelled' } });
    }
  }
  return settled;
}

/**
 * Runs one unit: a conditional one only if something it reads changed, and only once its
 * leases are claimed.
 */
async function execute(
  run: RunContext,
  unit: StepUnit,
  options: ScheduleOptions,
  conditional: ReadonlySet<string>,
  concurrent: (unit: StepUnit, events: readonly VersionEvent[]) => void,
): Promise<UnitOutcome | Extract<Claim, { status: 'held' | 'pool-full' }>> {
  if (isConditional(unit, options.plan, conditional)) {
    const recorded = await recordedInputs(run, unit, options.records);
    if (await readsUnchanged(run, run.graph.node(unit.key), unit, recorded)) {
      return { status: 'unchanged' };
    }
  }
  const empty = await lastGoodWithNothing(run, unit);
  if (empty !== undefined) {
    return {
      status: 'skipped',
      reason: `upstream ${empty} has no good version of any partition it reads`,
    };
  }
  const claim = await claimUnit(run, unit, options.force);
  if (claim.status === 'done-elsewhere') return { status: 'concurrent', events: claim.events };
  if (claim.concurrent.length > 0) concurrent(unit, claim.concurrent);
  if (claim.status === 'replaced-upstream') return { status: 'skipped', reason: claim.reason };
  if (claim.status === 'held' || claim.status === 'pool-full') return claim;
  const outcome = await options.executor.execute(unit, run);
  if (!STEP_STATUSES.has((outcome as { status?: unknown } | undefined)?.status)) {
    // A unit whose outcome is not understood would settle as nothing at all.
    throw new EnvironmentError(
      'E_USAGE',
      `executor '${options.executor.name}' returned ${JSON.stringify(outcome)} for ${unit.label}, not a step outcome`,
      {
        hint: "an executor returns { status: 'materialized' | 'blocked' | 'failed' | 'cancelled', … }",
      },
    );
  }
  return outcome;
}

const STEP_STATUSES: ReadonlySet<unknown> = new Set<StepOutcome['status']>([
  'materialized',
  'blocked',
  'failed',
  'cancelled',
]);

/** Planned only because an upstream unit runs: it need not run if that came out unchanged. */
function isConditional(
  unit: StepUnit,
  plan: ScheduleOptions['plan'],
  conditional: ReadonlySet<string>,
): boolean {
  if (unit.partitions === undefined) return conditional.has(unit.key);
  if (unit.keys.length !== 1) return false;
  const [index] = unit.partitions.indices();
  return plan.partitions.get(unit.key)?.conditional.has(index!) ?? false;
}

/** The inputs the unit's current materialization read. */
async function recordedInputs(
  run: RunContext,
  unit: StepUnit,
  records: ReadonlyMap<string, AssetRecord>,
) {
  if (unit.partitions === undefined) {
    return records.get(unit.key)?.materialization?.materialization.inputs;
  }
  await run.versions.load(unit.key, unit.keys);
  const current = run.versions.event(unit.key, unit.keys[0]);
  return current?.type === 'asset:materialized' ? current.materialization.inputs : undefined;
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
