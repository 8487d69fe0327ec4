/**
 * @module cli/commands/doctor
 * `weir doctor`: says which instance is configured and where each part comes from, checks a
 * SQLite event log file (`PRAGMA integrity_check`) or that a PostgreSQL server and an S3
 * bucket can be reached, and with `--recover` copies every readable event of a SQLite log into
 * a new log, keeping the damaged file and saying what was lost.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { EnvironmentError } from '../../errors.js';
import {
  type ArtefactsConfig,
  artefactsLabel,
  checkLogAt,
  type EventLogConfig,
  eventLogLabel,
  type InstanceConfig,
  openConfiguredArtefacts,
  openConfiguredEventLog,
  type PartFailure,
  partFailure,
  recoverLogAt,
} from '../../instance/index.js';
import type { LogHealth, RecoveryReport } from '../../storage/index.js';
import type { Command, CommandContext } from '../command.js';
import { json, type Output, paint } from '../format.js';

const USAGE = 'weir doctor [--recover] [--json]';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Show the configured instance and check it: the event log, the artefact store',
  usage: USAGE,
  help: `Says which instance is configured (WEIR_DATABASE_URL, WEIR_ARTEFACTS, weir.instance.ts or the
project's instance field; docs/instance.md) and checks it: a SQLite event log for damage
(PRAGMA integrity_check), a PostgreSQL server and an S3 bucket for being reachable.
options:
  --recover   copy every event of a SQLite event log that can still be read (with its id) into
              a new event log, rebuild its indexes from those events, and keep the damaged file
              beside it as events.db.damaged-TIME; says which events were lost. Stop other weir
              processes on this instance first.
Artefacts are checked against their hashes by weir verify.
`,
  options: { recover: { type: 'boolean' } },
  async run(ctx) {
    const config = await ctx.instanceConfig();
    if (ctx.values.recover) return recover(ctx, config);
    const eventLog = await checkEventLog(config.eventLog, config);
    const artefacts = await checkArtefacts(config.artefacts, config);
    const healthy = eventLog.healthy && artefacts.error === undefined;
    if (ctx.values.json) {
      const { health, ...log } = eventLog;
      ctx.output.out(json({ ...health, ...log, healthy, instance: describe(config), artefacts }));
      return healthy ? 0 : 1;
    }
    const show = (path: string) => relative(ctx.cwd, path) || path;
    const out = ctx.output;
    out.out(
      `instance: ${config.embedded ? `${show(config.dir)} (embedded: SQLite and local files)` : 'configured'}\n`,
    );
    out.out(
      `  event log  ${label(config.eventLog, show)}  ${gray(out, `from ${config.eventLog.from}`)}\n`,
    );
    out.out(
      `  artefacts  ${label(config.artefacts, show)}  ${gray(out, `from ${config.artefacts.from}`)}\n`,
    );
    renderEventLog(out, eventLog, label(config.eventLog, show));
    renderArtefacts(out, artefacts, label(config.artefacts, show));
    return healthy ? 0 : 1;
  },
};

interface EventLogCheck {
  healthy: boolean;
  /** A SQLite file's integrity check. */
  health?: LogHealth;
  /** A server's newest event id, once reached. */
  lastEventId?: number;
  /** False for a SQLite log no run has created yet (nothing wrong: the first run creates it). */
  created?: false;
  error?: PartFailure;
}

interface ArtefactsCheck {
  /** Whether the store's server answered; undefined for a local folder (weir verify checks it). */
  reachable?: boolean;
  error?: PartFailure;
}

async function checkEventLog(log: EventLogConfig, config: InstanceConfig): Promise<EventLogCheck> {
  if (log.kind === 'sqlite') {
    if (!existsSync(log.path)) return { healthy: true, created: false };
    const health = checkLogAt(log.path);
    return { healthy: health.healthy, health };
  }
  try {
    const opened = await openConfiguredEventLog(config);
    try {
      return { healthy: true, lastEventId: await opened.lastEventId() };
    } finally {
      await opened.close();
    }
  } catch (error) {
    return { healthy: false, error: partFailure(error, 'event log') };
  }
}

async function checkArtefacts(
  store: ArtefactsConfig,
  config: InstanceConfig,
): Promise<ArtefactsCheck> {
  if (store.kind === 'local') return {};
  try {
    await (await openConfiguredArtefacts(config)).close();
    return { reachable: true };
  } catch (error) {
    const failure = partFailure(error, 'artefacts');
    return { reachable: failure.problem !== 'unreachable', error: failure };
  }
}

function renderEventLog(out: Output, check: EventLogCheck, shown: string): void {
  if (check.error !== undefined) {
    out.out(`event log ${shown}: ${paint(out, 'red', check.error.label)}\n`);
    renderProblem(out, check.error);
    return;
  }
  if (check.lastEventId !== undefined) {
    out.out(
      `event log ${shown}: ${paint(out, 'green', 'reachable')} (newest event ${check.lastEventId})\n`,
    );
    return;
  }
  if (check.created === false) {
    out.out(`event log ${shown}: not created yet (the first weir materialize creates it)\n`);
    return;
  }
  const health = check.health!;
  if (health.healthy) {
    out.out(`event log ${shown}: ${paint(out, 'green', 'healthy')} (${health.events} events)\n`);
    return;
  }
  out.out(`event log ${shown}: ${paint(out, 'red', 'damaged')}\n`);
  for (const line of health.problems) out.out(`  ${line}\n`);
  if (health.events !== undefined) out.out(`  ${health.events} events can be counted\n`);
  out.err(
    `${gray(out, 'hint')}: weir doctor --recover copies every readable event into a new log and keeps this file beside it\n`,
  );
}

function renderArtefacts(out: Output, check: ArtefactsCheck, shown: string): void {
  if (check.error !== undefined) {
    out.out(`artefacts ${shown}: ${paint(out, 'red', check.error.label)}\n`);
    renderProblem(out, check.error);
    return;
  }
  if (check.reachable) out.out(`artefacts ${shown}: ${paint(out, 'green', 'reachable')}\n`);
  out.out('artefacts: weir verify checks them against their hashes\n');
}

function renderProblem(out: Output, error: PartFailure): void {
  out.out(`  ${error.message}\n`);
  if (error.hint !== undefined) out.out(`  ${gray(out, 'hint')}: ${error.hint}\n`);
}

function label(part: EventLogConfig | ArtefactsConfig, show: (path: string) => string): string {
  if (part.kind === 'sqlite' || part.kind === 'local') return show(part.path);
  return part.kind === 'postgres' ? eventLogLabel(part) : artefactsLabel(part);
}

function describe(config: InstanceConfig): Record<string, unknown> {
  const { url: _url, ...eventLog } =
    config.eventLog.kind === 'postgres' ? config.eventLog : { ...config.eventLog, url: '' };
  return {
    dir: config.dir,
    embedded: config.embedded,
    eventLog: { ...eventLog, label: eventLogLabel(config.eventLog) },
    artefacts: { ...config.artefacts, label: artefactsLabel(config.artefacts) },
  };
}

const gray = (out: Output, text: string) => paint(out, 'gray', text);

async function recover(ctx: CommandContext, config: InstanceConfig): Promise<number> {
  const log = config.eventLog;
  if (log.kind !== 'sqlite') {
    throw new EnvironmentError(
      'E_USAGE',
      `weir doctor --recover rebuilds a SQLite event log, and this instance's is PostgreSQL (${eventLogLabel(log)}, from ${log.from})`,
      {
        hint: "PostgreSQL keeps its own integrity (pg_amcheck, backups); the log's index tables can be rebuilt from its events with PostgresEventLog.rebuildIndexes()",
      },
    );
  }
  const folder = dirname(log.path);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new EnvironmentError(
      'E_READ_ONLY',
      `the instance ${folder} is read-only here, and recovery writes a new event log`,
      {
        hint: `run it where the instance is writable (as its owner, or after chmod -R u+w ${folder}); weir doctor without --recover reads it as it is`,
      },
    );
  }
  const report = await recoverLogAt(log.path);
  if (ctx.values.json) {
    ctx.output.out(json(report));
    return 0;
  }
  ctx.output.out(renderRecovery(report, ctx.cwd));
  return 0;
}

function renderRecovery(report: RecoveryReport, cwd: string): string {
  const show = (path: string) => relative(cwd, path) || path;
  const lines = [
    `Recovered ${report.recovered} events into a new event log at ${show(report.path)}; its indexes were rebuilt from them.`,
    `The damaged file is kept as ${show(report.keptAs)}.`,
  ];
  if (report.missingPages !== undefined) {
    lines.push(
      `The file was cut short: ${report.missingPages} of its pages are gone, and events recorded in them may be lost without anything left that names them.`,
    );
  }
  const nothingLost = report.lost.length === 0 && report.missingPages === undefined;
  if (nothingLost) lines.push('No event was lost.');
  if (report.lost.length > 0) {
    lines.push(`Lost ${report.lost.length} events (${ranges(report.lost.map((e) => e.id))}):`);
    for (const event of report.lost.filter((e) => e.type !== undefined).slice(0, 20)) {
      lines.push(
        `  ${event.id}  ${event.type}  ${event.assetKey ?? ''}${event.runId ? `  run ${event.runId}` : ''}`,
      );
    }
    const runs = [...new Set(report.lost.flatMap((e) => (e.runId === undefined ? [] : [e.runId])))];
    if (runs.length > 0) lines.push(`Runs that lost events: ${runs.join(', ')}`);
  }
  lines.push(
    nothingLost
      ? 'Next: weir verify checks the artefacts.'
      : 'Next: weir status shows what the lost events leave stale or missing, weir materialize redoes it, and weir verify checks the artefacts.',
  );
  return `${lines.join('\n')}\n`;
}

/** `3, 10–14, 20` from sorted ids. */
function ranges(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(i === j ? `id ${ids[i]}` : `ids ${ids[i]}–${ids[j]}`);
    i = j + 1;
  }
  return parts.length > 5 ? `${parts.slice(0, 5).join(', ')}, …` : parts.join(', ');
}
