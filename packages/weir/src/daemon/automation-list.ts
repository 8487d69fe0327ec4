/**
 * @module daemon/automation-list
 * What the project automates (sensors, schedules, sources observed on a cadence, asset
 * conditions), each with its last tick or evaluation, outcome, cursor and next tick, and
 * whether it is paused; pausing and resuming one (an event each, so every daemon of the
 * instance sees it at its next pass). `weir automation` and the server show the same list.
 */
import { nextScheduleTick, type ProjectDefinition } from '../definitions/index.js';
import { didYouMean, EnvironmentError } from '../errors.js';
import { graphOf, type Instance } from '../execution/index.js';
import type { AutomationRecords } from '../storage/index.js';

/** One thing the project automates, as it stands. */
export interface AutomationEntry {
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

export function automationEntries(
  project: ProjectDefinition,
  records: AutomationRecords,
  now: number,
): AutomationEntry[] {
  const entries: AutomationEntry[] = [];
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

/** Throws a clear error unless `name` is something the project automates. */
export function checkAutomationName(project: ProjectDefinition, name: string): void {
  const names = automationEntries(project, emptyRecords(), Date.now()).map((e) => e.name);
  if (!names.includes(name)) {
    throw new EnvironmentError(
      'E_NOT_FOUND',
      `no sensor, schedule, asset condition or observed source '${name}'`,
      {
        hint: didYouMean(name, names) ?? `the project has: ${names.join(', ') || 'none'}`,
      },
    );
  }
}

/** Pauses or resumes `name` (checked with `checkAutomationName`); false when it already was. */
export async function setPaused(
  instance: Instance,
  name: string,
  paused: boolean,
): Promise<boolean> {
  const now = (await instance.eventLog.automationRecords()).paused.has(name);
  if (now === paused) return false;
  await instance.eventLog.append([
    { type: paused ? 'automation:paused' : 'automation:resumed', name, timestamp: Date.now() },
  ]);
  return true;
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
