/**
 * @module cli/commands/doctor
 * `weir doctor`: checks the event log file (`PRAGMA integrity_check`), and with `--recover`
 * copies every readable event into a new log, keeping the damaged file and saying what was lost.
 */
import { accessSync, constants } from 'node:fs';
import { relative } from 'node:path';
import { EnvironmentError } from '../../errors.js';
import { checkEventLog, recoverEventLog } from '../../instance/index.js';
import type { RecoveryReport } from '../../storage/index.js';
import type { Command, CommandContext } from '../command.js';
import { json, paint } from '../format.js';

const USAGE = 'weir doctor [--recover] [--json]';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check the event log for damage, and recover what is readable into a new log',
  usage: USAGE,
  help: `options:
  --recover   copy every event that can still be read (with its id) into a new event log,
              rebuild its indexes from those events, and keep the damaged file beside it as
              events.db.damaged-TIME; says which events were lost. Stop other weir processes
              on this instance first.
Artefacts are checked by weir verify.
`,
  options: { recover: { type: 'boolean' } },
  async run(ctx) {
    const { instanceDir } = await ctx.project();
    if (ctx.values.recover) return recover(ctx, instanceDir);
    const health = checkEventLog(instanceDir);
    if (ctx.values.json) {
      ctx.output.out(json(health));
      return health.healthy ? 0 : 1;
    }
    const shown = relative(ctx.cwd, health.path) || health.path;
    if (health.healthy) {
      ctx.output.out(
        `event log ${shown}: ${paint(ctx.output, 'green', 'healthy')} (${health.events} events)\n`,
      );
      ctx.output.out('artefacts: weir verify checks them against their hashes\n');
      return 0;
    }
    ctx.output.out(`event log ${shown}: ${paint(ctx.output, 'red', 'damaged')}\n`);
    for (const problem of health.problems) ctx.output.out(`  ${problem}\n`);
    if (health.events !== undefined) ctx.output.out(`  ${health.events} events can be counted\n`);
    ctx.output.err(
      `${paint(ctx.output, 'gray', 'hint')}: weir doctor --recover copies every readable event into a new log and keeps this file beside it\n`,
    );
    return 1;
  },
};

async function recover(ctx: CommandContext, instanceDir: string): Promise<number> {
  try {
    accessSync(instanceDir, constants.W_OK);
  } catch {
    throw new EnvironmentError(
      'E_READ_ONLY',
      `the instance ${instanceDir} is read-only here, and recovery writes a new event log`,
      {
        hint: `run it where the instance is writable (as its owner, or after chmod -R u+w ${instanceDir}); weir doctor without --recover reads it as it is`,
      },
    );
  }
  const report = await recoverEventLog(instanceDir);
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
  if (report.lost.length === 0) {
    if (report.missingPages === undefined) lines.push('No event was lost.');
  } else {
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
    'Next: weir status shows what the lost events leave stale or missing, weir materialize redoes it, and weir verify checks the artefacts.',
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
