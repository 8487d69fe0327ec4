/**
 * @module definitions/schedule
 * `schedule()`: launch a selection at each tick of a cron in a time zone, with a rule for
 * ticks missed while the daemon was down; and the pure helpers the daemon needs: the ticks
 * in a window, the ticks due after a gap, and the partitions of a tick.
 */
import { DefinitionError } from '../errors.js';
import { cronProblem, cronTicks, latestCronTick } from './_cron.js';
import { automationNameProblem, rejectUnknown } from './_spec.js';
import { optionKeys } from './option-keys.js';
import { type PartitionsDefinition, resolvePartitionSpace } from './partitions/index.js';
import { type Selector, selectionText } from './selector.js';

/**
 * What a tick materializes of partitioned assets: `'previous-window'`, the newest time window
 * that has ended at the tick (yesterday, for a daily asset and a tick at 00:05), or the keys
 * a function returns for the tick. Undefined: every stale partition, as `weir materialize` does.
 */
export type SchedulePartition = 'previous-window' | ((tick: Date) => string | readonly string[]);

/**
 * Ticks missed while the daemon was down: `'latest'` (default) runs the newest one once,
 * `'all'` runs each, `'none'` runs none of them.
 */
export type CatchUp = 'latest' | 'all' | 'none';

export interface ScheduleSpec {
  /** Unique among the project's sensors and schedules. */
  name: string;
  description?: string;
  /** Five fields: minute hour day month weekday. */
  cron: string;
  /** IANA name; default `UTC`. */
  timezone?: string;
  /** Selection text (`'gauges/*'`) or the assets themselves. */
  selection: Selector;
  partition?: SchedulePartition;
  catchUp?: CatchUp;
}

export interface ScheduleDefinition {
  readonly kind: 'schedule';
  readonly name: string;
  readonly description: string | undefined;
  readonly cron: string;
  readonly timezone: string;
  /** Selection text, as `weir materialize` takes it. */
  readonly selection: string;
  readonly partition: SchedulePartition | undefined;
  readonly catchUp: CatchUp;
}

const SPEC_KEYS = optionKeys<ScheduleSpec>({
  name: true,
  description: true,
  cron: true,
  timezone: true,
  selection: true,
  partition: true,
  catchUp: true,
});
const CATCH_UP: readonly CatchUp[] = ['latest', 'all', 'none'];

/**
 * Declares a schedule. Ticks follow the cron in its time zone across DST changes: a local
 * time the change to summer time skips fires at the first instant after the gap, one the
 * change back repeats fires once (unless the hour field is `*`).
 *
 * @example
 * const nightly = schedule({
 *   name: 'nightly_peaks',
 *   cron: '5 0 * * *',
 *   timezone: 'Europe/Berlin',
 *   selection: [dailyPeaks],
 *   partition: 'previous-window',
 * });
 */
export function schedule(spec: ScheduleSpec): ScheduleDefinition {
  if (typeof spec !== 'object' || spec === null) {
    throw new DefinitionError('E_DEFINITION', 'schedule() needs { name, cron, selection }');
  }
  const nameProblem = automationNameProblem(spec.name);
  if (nameProblem !== undefined) {
    throw new DefinitionError('E_DEFINITION', `schedule: ${nameProblem}`);
  }
  const owner = `schedule '${spec.name}'`;
  rejectUnknown(spec, SPEC_KEYS, owner);
  const timezone = spec.timezone ?? 'UTC';
  const problem = cronProblem(spec.cron, timezone);
  if (problem !== undefined) throw new DefinitionError('E_DEFINITION', `${owner}: ${problem}`);
  const catchUp = spec.catchUp ?? 'latest';
  if (!CATCH_UP.includes(catchUp)) {
    throw new DefinitionError('E_DEFINITION', `${owner} has catchUp ${JSON.stringify(catchUp)}`, {
      hint: "use 'latest' (default), 'all' or 'none'",
    });
  }
  const partition = spec.partition;
  if (
    partition !== undefined &&
    partition !== 'previous-window' &&
    typeof partition !== 'function'
  ) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} has partition ${JSON.stringify(partition)}`,
      {
        hint: "use 'previous-window' or a function (tick: Date) => key or keys",
      },
    );
  }
  return {
    kind: 'schedule',
    name: spec.name,
    description: spec.description,
    cron: spec.cron,
    timezone,
    selection: selectionText(spec.selection, owner),
    partition,
    catchUp,
  };
}

export function isSchedule(value: unknown): value is ScheduleDefinition {
  return (value as { kind?: unknown } | null)?.kind === 'schedule';
}

/**
 * The schedule's ticks `t` with `from < t ≤ to`, ascending (at most `limit`).
 *
 * @example
 * scheduleTicks(nightly, new Date('2026-03-28T00:00Z'), new Date('2026-03-31T00:00Z'));
 */
export function scheduleTicks(
  schedule: Pick<ScheduleDefinition, 'cron' | 'timezone'>,
  from: Date,
  to: Date,
  limit?: number,
): Date[] {
  return cronTicks(schedule.cron, schedule.timezone, from.getTime(), to.getTime(), limit).map(
    (tick) => new Date(tick),
  );
}

/** The newest tick at or before `at`, or undefined before the first. */
export function latestScheduleTick(
  schedule: Pick<ScheduleDefinition, 'cron' | 'timezone'>,
  at: Date,
): Date | undefined {
  const tick = latestCronTick(schedule.cron, schedule.timezone, at.getTime());
  return tick === undefined ? undefined : new Date(tick);
}

/** The first tick after `after`, for "next tick" displays. */
export function nextScheduleTick(
  schedule: Pick<ScheduleDefinition, 'cron' | 'timezone'>,
  after: Date,
): Date | undefined {
  const [tick] = cronTicks(schedule.cron, schedule.timezone, after.getTime(), Infinity, 1);
  return tick === undefined ? undefined : new Date(tick);
}

/**
 * The ticks to launch now, given the last tick handled (`undefined`: none yet, which counts
 * only ticks from `now - grace`) and the catch-up rule. A tick within `grace` of `now`
 * (default one minute) is on time, not missed, so `'none'` still runs it.
 *
 * @example
 * dueTicks(nightly, lastHandled, now); // [] | [tick] | every missed tick with catchUp 'all'
 */
export function dueTicks(
  schedule: Pick<ScheduleDefinition, 'cron' | 'timezone' | 'catchUp'>,
  lastHandled: Date | undefined,
  now: Date,
  graceMs = 60_000,
): Date[] {
  const from = lastHandled ?? new Date(now.getTime() - graceMs);
  if (schedule.catchUp === 'all') return scheduleTicks(schedule, from, now);
  const latest = latestScheduleTick(schedule, now);
  if (latest === undefined || latest.getTime() <= from.getTime()) return [];
  if (schedule.catchUp === 'none' && now.getTime() - latest.getTime() > graceMs) return [];
  return [latest];
}

/**
 * The partition keys a tick materializes of an asset partitioned by `definition`: undefined
 * when the schedule names none (or the asset is unpartitioned). `'previous-window'` needs
 * time windows: the newest window ended at the tick, none when no window has ended yet.
 */
export function partitionsForTick(
  schedule: Pick<ScheduleDefinition, 'name' | 'partition'>,
  tick: Date,
  definition: PartitionsDefinition | undefined,
): string[] | undefined {
  const rule = schedule.partition;
  if (rule === undefined || definition === undefined) return undefined;
  if (rule !== 'previous-window') {
    const keys = rule(tick);
    return typeof keys === 'string' ? [keys] : [...keys];
  }
  if (definition.kind !== 'time-window') {
    throw new DefinitionError(
      'E_DEFINITION',
      `schedule '${schedule.name}' asks for the previous window of an asset with ${definition.description}`,
      {
        hint: "'previous-window' needs time-window partitions; give a function for other partitions",
      },
    );
  }
  const space = resolvePartitionSpace(definition, { now: tick.getTime(), dynamicKeys: () => [] });
  return space.size === 0 ? [] : [space.keyAt(space.size - 1)];
}
