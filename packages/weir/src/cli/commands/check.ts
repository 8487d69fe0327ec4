/**
 * @module cli/commands/check
 * `weir check`: re-evaluates checks on the newest materializations and records freshness changes.
 */
import { checkAssets, recordFreshness } from '../../execution/index.js';
import { locatedChecks } from '../_location-checks.js';
import { PARTITION_OPTIONS, partitionLabel, partitionRequest } from '../_partitions.js';
import type { Command } from '../command.js';
import { json, paint, table, withClock } from '../format.js';

const USAGE = 'weir check [SELECTION] [--partition KEY… | --from A --to B] [--json]';

export const checkCommand: Command = {
  name: 'check',
  summary:
    'Re-evaluate the checks of a selection on the newest materializations, without recomputing',
  usage: USAGE,
  options: { ...PARTITION_OPTIONS },
  async run(ctx) {
    const loaded = await ctx.project();
    const { project } = loaded;
    const partitions = partitionRequest(ctx, USAGE);
    const instance = await ctx.writableInstance('weir check records its results');
    const selection =
      ctx.positionals[0] === undefined ? {} : { selection: ctx.positionals.join(',') };
    const results = await checkAssets(project, {
      instance,
      ...selection,
      ...(partitions === undefined ? {} : { partitions }),
      ...withClock(),
      ...(loaded.locations === undefined
        ? {}
        : { checkLocated: locatedChecks(loaded, await ctx.instanceConfig(), ctx.cwd) }),
    });
    // Ctrl-C or SIGTERM while checks ran (a location's process was stopped with it).
    if (ctx.signal.aborted) {
      ctx.output.err('cancelled: the checks evaluated before it are recorded\n');
      return 130;
    }
    // Freshness changes are history only when judged at the real time, not at WEIR_NOW.
    if (withClock().now === undefined) await recordFreshness(project, { instance, ...selection });
    const failedErrors = results.some(
      (r) => r.error !== undefined || r.checks.some((c) => !c.passed && c.severity === 'error'),
    );
    if (ctx.values.json) {
      ctx.output.out(json(results));
      return failedErrors ? 1 : 0;
    }
    const { output } = ctx;
    const rows: string[][] = [];
    for (const result of results) {
      if (result.error !== undefined) {
        rows.push([
          partitionLabel(result.assetKey, result.partition ?? ''),
          '',
          paint(output, 'red', 'not evaluated'),
          result.error.message,
        ]);
        continue;
      }
      if (result.materializationId === undefined) {
        rows.push([
          partitionLabel(result.assetKey, result.partition ?? ''),
          '',
          '',
          paint(output, 'gray', 'not materialized yet'),
        ]);
        continue;
      }
      for (const check of result.checks) {
        const verdict = check.passed
          ? paint(output, 'green', 'passed')
          : paint(
              output,
              check.severity === 'error' ? 'red' : 'yellow',
              check.severity === 'error' ? 'failed' : 'warning',
            );
        rows.push([
          partitionLabel(result.assetKey, result.partition ?? ''),
          check.name,
          `${verdict}${check.blocking ? '' : ' (non-blocking)'}`,
          check.message ?? '',
        ]);
      }
    }
    if (rows.length === 0) {
      output.out('No checks in this selection.\n');
      return 0;
    }
    output.out(`${table([['ASSET', 'CHECK', 'RESULT', 'MESSAGE'], ...rows])}\n`);
    const hint = results.find((r) => r.error?.hint !== undefined)?.error?.hint;
    if (hint !== undefined) output.err(`${paint(output, 'gray', 'hint')}: ${hint}\n`);
    return failedErrors ? 1 : 0;
  },
};
