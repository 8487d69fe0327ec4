/**
 * @module cli/commands/automation
 * `weir automation`: the project's sensors, schedules, sources observed on a cadence and
 * asset conditions, with their last tick or evaluation, outcome, cursor and next tick, and
 * which are paused; `weir automation pause|resume NAME` (an event each, so every daemon of
 * the instance sees it at its next pass).
 */
import { nextScheduleTick, type ProjectDefinition } from '../../definitions/index.js';
import { didYouMean, EnvironmentError } from '../../errors.js';
import { graphOf } from '../../execution/index.js';
import type { AutomationRecords } from '../../storage/index.js';
import type { Command, CommandContext } from '../command.js';
import { formatTime, json, localZone, paint, table } from '../format.js';

interface Entry {
  kind: 'sensor' | 'schedule' | 'condition' | 'observe';
  name: string;
  paused: boolean;
  /** When it last ticked, was evaluated (and recorded) or observed (epoch ms). */
  lastAt?: number;
  outcome?: string;
  cursor?: string;
  /** Instead of `cursor`, when it is longer than MAX_CURSOR characters. */
  cursorLength?: number;
  nextAt?: number;
  detail: string;
}

export const automationCommand: Command = {
  name: 'automation',
  summary: 'List sensors, schedules and asset conditions; pause or resume one',
  usage: 'weir automation [list | pause NAME | resume NAME] [--json]',
  help: `NAME is a sensor's or schedule's name, the key of an asset with a condition, or of a source with observeEvery.
A paused one is skipped by the daemon until resumed; its cursor and memory are kept.
`,
  options: {},
  async run(ctx) {
    const [action = 'list', name, ...rest] = ctx.positionals;
    if (action === 'list') return list(ctx);
    if (action !== 'pause' && action !== 'resume') {
      throw new EnvironmentError('E_USAGE', `unknown action '${action}'`, {
        hint: 'weir automation [list | pause NAME | resume NAME]',
      });
    }
    if (name === undefined || rest.length > 0) {
      throw new EnvironmentError('E_USAGE', `weir automation ${action} takes one NAME`);
    }
    return pauseOrResume(ctx, action, name);
  },
};

async function list(ctx: CommandContext): Promise<number> {
  const { project } = await ctx.project();
  const instance = await ctx.instance();
  const entries = entriesOf(project, await instance.eventLog.automationRecords(), Date.now());
  if (ctx.values.json) {
    ctx.output.out(json(entries));
    return 0;
  }
  if (entries.length === 0) {
    ctx.output.out(
      'Nothing automated: the project declares no sensors, schedules, observeEvery or asset automation.\n',
    );
    return 0;
  }
  const when = (at: number | undefined) => (at === undefined ? '' : formatTime(at));
  const rows = entries.map((e) => [
    e.kind,
    e.name,
    e.paused ? paint(ctx.output, 'yellow', 'paused') : 'active',
    when(e.lastAt),
    e.outcome ?? '',
    e.paused ? '' : when(e.nextAt),
    e.detail,
  ]);
  const zone = localZone();
  ctx.output.out(
    `${table([['KIND', 'NAME', 'STATE', `LAST (${zone})`, 'OUTCOME', 'NEXT', 'DETAIL'], ...rows])}\n`,
  );
  return 0;
}

export function entriesOf(
  project: ProjectDefinition,
  records: AutomationRecords,
  now: number,
): Entry[] {
  const entries: Entry[] = [];
  for (const sensor of project.sensors) {
    const last = records.sensors.get(sensor.name);
    entries.push({
      kind: 'sensor',
      name: sensor.name,
      paused: records.paused.has(sensor.name),
      ...(last === undefined
        ? { nextAt: now }
        : {
            lastAt: last.timestamp,
            outcome: last.error ? `${last.outcome}: ${last.error.message}` : last.outcome,
            nextAt: Math.max(now, last.timestamp + sensor.intervalMs),
          }),
      // A folder sensor's cursor lists every file: shown whole only while it is small.
      ...(last?.cursor === undefined
        ? {}
        : last.cursor.length <= MAX_CURSOR
          ? { cursor: last.cursor }
          : { cursorLength: last.cursor.length }),
      detail: `every ${seconds(sensor.intervalMs)}${last?.cursor === undefined ? '' : `, cursor ${clip(last.cursor)}`}`,
    });
  }
  for (const schedule of project.schedules) {
    const last = records.schedules.get(schedule.name);
    const next = nextScheduleTick(schedule, new Date(now));
    entries.push({
      kind: 'schedule',
      name: schedule.name,
      paused: records.paused.has(schedule.name),
      ...(last === undefined
        ? {}
        : {
            lastAt: last.tick,
            outcome: last.error ? `failed: ${last.error.message}` : `${last.runIds.length} run(s)`,
          }),
      ...(next === undefined ? {} : { nextAt: next.getTime() }),
      detail: `${schedule.cron} ${schedule.timezone}, catch-up ${schedule.catchUp}`,
    });
  }
  const graph = graphOf(project);
  for (const key of graph.keys) {
    const definition = graph.node(key).definition;
    if (definition.kind === 'source' && definition.observeEveryMs !== undefined) {
      entries.push({
        kind: 'observe',
        name: key,
        paused: records.paused.has(key),
        detail: `observed every ${seconds(definition.observeEveryMs)} (recorded when its version changes)`,
      });
    }
    if (definition.kind !== 'asset' || definition.automation === undefined) continue;
    const last = records.conditions.get(key);
    entries.push({
      kind: 'condition',
      name: key,
      paused: records.paused.has(key),
      ...(last === undefined ? {} : { lastAt: last.timestamp, outcome: `requested ${last.count}` }),
      detail: definition.automation.name,
    });
  }
  return entries;
}

async function pauseOrResume(
  ctx: CommandContext,
  action: 'pause' | 'resume',
  name: string,
): Promise<number> {
  const { project } = await ctx.project();
  const names = entriesOf(project, emptyRecords(), Date.now()).map((e) => e.name);
  if (!names.includes(name)) {
    throw new EnvironmentError(
      'E_NOT_FOUND',
      `no sensor, schedule, asset condition or observed source '${name}'`,
      {
        hint: didYouMean(name, names) ?? `the project has: ${names.join(', ') || 'none'}`,
      },
    );
  }
  const instance = await ctx.writableInstance(`weir automation ${action} records it`);
  const paused = (await instance.eventLog.automationRecords()).paused.has(name);
  if (paused === (action === 'pause')) {
    ctx.output.out(`${name} is already ${paused ? 'paused' : 'active'}\n`);
    return 0;
  }
  await instance.eventLog.append([
    {
      type: action === 'pause' ? 'automation:paused' : 'automation:resumed',
      name,
      timestamp: Date.now(),
    },
  ]);
  ctx.output.out(`${name} ${action === 'pause' ? 'paused' : 'resumed'}\n`);
  return 0;
}

const emptyRecords = (): AutomationRecords => ({
  sensors: new Map(),
  schedules: new Map(),
  conditions: new Map(),
  paused: new Set(),
});

/** Cursors longer than this are listed by their length only. */
const MAX_CURSOR = 4_096;

const seconds = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);
const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}…` : text);
