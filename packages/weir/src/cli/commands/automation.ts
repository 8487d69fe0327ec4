/**
 * @module cli/commands/automation
 * `weir automation`: the project's sensors, schedules, sources observed on a cadence and
 * asset conditions, with their last tick or evaluation, outcome, cursor and next tick, and
 * which are paused; `weir automation pause|resume NAME` (an event each, so every daemon of
 * the instance sees it at its next pass).
 */
import { automationEntries, checkAutomationName, setPaused } from '../../daemon/index.js';
import { EnvironmentError } from '../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { formatTime, json, localZone, paint, table } from '../format.js';

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
  const entries = automationEntries(
    project,
    await instance.eventLog.automationRecords(),
    Date.now(),
  );
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

async function pauseOrResume(
  ctx: CommandContext,
  action: 'pause' | 'resume',
  name: string,
): Promise<number> {
  const { project } = await ctx.project();
  checkAutomationName(project, name);
  const instance = await ctx.writableInstance(`weir automation ${action} records it`);
  const changed = await setPaused(instance, name, action === 'pause');
  if (!changed) {
    ctx.output.out(`${name} is already ${action === 'pause' ? 'paused' : 'active'}\n`);
    return 0;
  }
  ctx.output.out(`${name} ${action === 'pause' ? 'paused' : 'resumed'}\n`);
  return 0;
}
