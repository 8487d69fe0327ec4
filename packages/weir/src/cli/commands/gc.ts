/**
 * @module cli/commands/gc
 * `weir gc`: removes artefacts nothing needs, by a retention policy; `--dry-run` says what
 * would go and how many bytes.
 */
import { parseDuration } from '../../definitions/index.js';
import { EnvironmentError } from '../../errors.js';
import { collectGarbage, DEFAULT_RETENTION, type GcReport } from '../../execution/index.js';
import type { RetentionPolicy } from '../../storage/index.js';
import { type Command, type OptionValue, stringOption } from '../command.js';
import { formatBytes, formatDuration, json } from '../format.js';

const USAGE = 'weir gc [--dry-run] [--keep-days N] [--keep-last K] [--grace DURATION] [--json]';

export const gcCommand: Command = {
  name: 'gc',
  summary:
    'Remove artefacts nothing needs: unreferenced ones, and history past the retention policy',
  usage: USAGE,
  help: `Never removed: the current and the usable materialization of every asset partition, the
versions current materializations read (so weir verify --reproduce can replay them), and
anything a run in flight may read or is recording. Events are never deleted: weir history
and weir why say "artefact collected by gc" for what was removed.
options:
  --dry-run         list what would be removed and how many bytes, remove nothing
  --keep-days N     keep every materialization younger than N days (default ${DEFAULT_RETENTION.keepDays})
  --keep-last K     keep the newest K materializations of each asset partition (default ${DEFAULT_RETENTION.keepLast})
  --grace DURATION  keep artefacts written or stored again within this time, such as one a
                    running materialize has not recorded yet (default ${formatDuration(DEFAULT_RETENTION.graceMs)})
`,
  options: {
    'dry-run': { type: 'boolean' },
    'keep-days': { type: 'string' },
    'keep-last': { type: 'string' },
    grace: { type: 'string' },
  },
  async run(ctx) {
    const policy = policyOf(ctx.values);
    const dryRun = Boolean(ctx.values['dry-run']);
    const instance = dryRun
      ? await ctx.instance()
      : await ctx.writableInstance('weir gc removes artefacts and records it');
    const report = await collectGarbage({ instance, policy, dryRun });
    if (ctx.values.json) {
      ctx.output.out(json(report));
      return 0;
    }
    ctx.output.out(render(report));
    return 0;
  },
};

function policyOf(values: Record<string, OptionValue>): Partial<RetentionPolicy> {
  const policy: Partial<RetentionPolicy> = {};
  const days = count(values['keep-days'], 'keep-days');
  const last = count(values['keep-last'], 'keep-last');
  const grace = stringOption(values.grace);
  if (days !== undefined) policy.keepDays = days;
  if (last !== undefined) policy.keepLast = last;
  if (grace !== undefined) {
    try {
      policy.graceMs = parseDuration(grace);
    } catch (error) {
      throw new EnvironmentError('E_USAGE', `--grace: ${(error as Error).message}`, {
        hint: `usage: ${USAGE}`,
      });
    }
  }
  return policy;
}

function count(value: OptionValue, option: string): number | undefined {
  const text = stringOption(value);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(n)) {
    throw new EnvironmentError('E_USAGE', `--${option} takes a number ≥ 0, got '${text}'`, {
      hint: `usage: ${USAGE}`,
    });
  }
  return n;
}

function render(report: GcReport): string {
  const { policy } = report;
  const lines = [
    `Retention: every current and usable version, the versions they read, the last ${policy.keepLast} of each asset partition, anything younger than ${policy.keepDays} days; unrecorded artefacts after ${formatDuration(policy.graceMs)}.`,
  ];
  if (report.collected.length === 0) {
    lines.push(
      `Nothing to remove: ${report.kept.artefacts} artefacts (${formatBytes(report.kept.bytes)}) are kept.`,
    );
    return `${lines.join('\n')}\n`;
  }
  const unreferenced = report.collected.filter((c) => c.reason === 'unreferenced').length;
  const verb = report.dryRun ? 'Would remove' : 'Removed';
  lines.push(
    `${verb} ${report.collected.length} artefacts (${formatBytes(report.bytes)}): ${report.collected.length - unreferenced} of old history, ${unreferenced} that no event refers to. Kept ${report.kept.artefacts} (${formatBytes(report.kept.bytes)}).`,
  );
  if (report.dryRun) {
    for (const c of report.collected.slice(0, 20))
      lines.push(`  ${c.location}  ${formatBytes(c.bytes)}  ${c.reason}`);
    if (report.collected.length > 20)
      lines.push(`  … and ${report.collected.length - 20} more (--json lists them all)`);
  }
  return `${lines.join('\n')}\n`;
}
