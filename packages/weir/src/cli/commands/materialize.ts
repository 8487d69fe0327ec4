import { materialize } from '../../execution/index.js';
import { type Command, positiveInteger } from '../command.js';
import { json, paint, STATUS_COLOR, stepError } from '../format.js';
import { Progress } from '../progress.js';

export const materializeCommand: Command = {
  name: 'materialize',
  summary: 'Materialize what is stale in a selection (everything by default)',
  usage: 'weir materialize [SELECTION] [--force] [--concurrency N] [--json]',
  options: { force: { type: 'boolean', short: 'f' }, concurrency: { type: 'string', short: 'c' } },
  async run(ctx) {
    const { project } = await ctx.project();
    const instance = await ctx.instance();
    const progress = ctx.values.json
      ? undefined
      : new Progress(ctx.output, Boolean(ctx.values.verbose));
    const concurrency = positiveInteger(ctx.values.concurrency, 'concurrency');
    const result = await materialize(project, {
      instance,
      ...(ctx.positionals[0] === undefined ? {} : { selection: ctx.positionals.join(',') }),
      force: Boolean(ctx.values.force),
      ...(concurrency === undefined ? {} : { concurrency }),
      signal: ctx.signal,
      ...(progress ? { onEvent: progress.onEvent, onLog: progress.onLog } : {}),
    });
    progress?.stop();
    const exitCode =
      result.status === 'success' || result.status === 'nothing-to-do'
        ? 0
        : result.status === 'cancelled'
          ? 130
          : 1;
    if (ctx.values.json) {
      ctx.output.out(json(result));
      return exitCode;
    }
    const { output } = ctx;
    for (const runId of result.recoveredRuns)
      output.err(`note: closed run ${runId}, whose process had died\n`);
    for (const { key, upstream } of result.plan.staleUpstream) {
      output.err(
        `note: ${key} not rerun: its upstream ${upstream.map((u) => `${u.key} (${u.status})`).join(', ')} is not selected; its inputs did not change (select +${key} to include the upstream)\n`,
      );
    }
    if (result.status === 'nothing-to-do') {
      const n = result.plan.upToDate.length;
      output.out(`Nothing to do: ${n} asset${n === 1 ? ' is' : 's are'} up to date.\n`);
      return 0;
    }
    const { summary } = result;
    const parts = [`${summary.materialized.length} materialized`];
    if (summary.unchanged.length)
      parts.push(`${summary.unchanged.length} unchanged (inputs came out the same)`);
    if (summary.failed.length) parts.push(`${summary.failed.length} failed`);
    if (summary.skipped.length) parts.push(`${summary.skipped.length} skipped`);
    if (summary.cancelled.length) parts.push(`${summary.cancelled.length} cancelled`);
    if (result.plan.upToDate.length) parts.push(`${result.plan.upToDate.length} up to date`);
    output.out(
      `Run ${result.runId} ${paint(output, STATUS_COLOR[result.status] ?? 'bold', result.status)}: ${parts.join(', ')}.\n`,
    );
    for (const key of summary.failed)
      output.out(
        `  ${paint(output, 'red', 'failed')}   ${key}: ${stepError(key, result.reasons[key] ?? '')}\n`,
      );
    for (const key of summary.skipped)
      output.out(`  ${paint(output, 'gray', 'skipped')}  ${key}: ${result.reasons[key]}\n`);
    if (summary.failed.length > 0) output.out(`See the logs with: weir logs ${result.runId}\n`);
    return exitCode;
  },
};
