import { assetStatus } from '../../execution/index.js';
import { type AssetState, summarize } from '../../versioning/index.js';
import type { Command } from '../command.js';
import {
  formatDuration,
  json,
  type Output,
  paint,
  STATUS_COLOR,
  table,
  withClock,
} from '../format.js';

export const statusCommand: Command = {
  name: 'status',
  summary:
    'Show each asset as fresh, stale, missing or failed, with the reason, checks and freshness',
  usage: 'weir status [SELECTION] [--no-observe] [--json]',
  options: { 'no-observe': { type: 'boolean' } },
  async run(ctx) {
    const { project } = await ctx.project();
    const states = await assetStatus(project, {
      instance: await ctx.instance(),
      ...(ctx.positionals[0] === undefined ? {} : { selection: ctx.positionals.join(',') }),
      observe: !ctx.values['no-observe'],
      ...withClock(),
    });
    if (ctx.values.json) {
      ctx.output.out(json(states.map(statusJson)));
      return 0;
    }
    const withFreshness = states.some((s) => s.freshness !== undefined);
    const rows = states.map((s) => [
      s.kind === 'source' ? paint(ctx.output, 'dim', s.key) : s.key,
      paint(ctx.output, STATUS_COLOR[s.status] ?? 'bold', s.status),
      ...(withFreshness ? [freshnessCell(s, ctx.output)] : []),
      summarize(s),
    ]);
    const header = ['ASSET', 'STATUS', ...(withFreshness ? ['FRESHNESS'] : []), 'REASON'];
    ctx.output.out(`${table([header, ...rows])}\n`);
    const counts = new Map<string, number>();
    for (const s of states) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    const overdue = states.filter((s) => s.freshness?.status === 'overdue').length;
    const warned = states.filter((s) => s.warnings.length > 0).length;
    const tally = [...counts].map(([status, n]) => `${n} ${status}`);
    if (overdue > 0) tally.push(`${overdue} overdue`);
    if (warned > 0) tally.push(`${warned} with warnings`);
    ctx.output.out(`\n${tally.join(', ')}\n`);
    return 0;
  },
};

function freshnessCell(state: AssetState, output: Output): string {
  const freshness = state.freshness;
  if (freshness === undefined) return '';
  if (freshness.status === 'overdue') {
    return paint(
      output,
      'red',
      freshness.overdueByMs > 0 ? `overdue by ${formatDuration(freshness.overdueByMs)}` : 'overdue',
    );
  }
  return freshness.status === 'fresh'
    ? paint(output, 'green', 'on time')
    : paint(output, 'gray', 'unknown');
}

function statusJson(s: AssetState) {
  const latest = s.record?.materialization;
  return {
    key: s.key,
    kind: s.kind,
    status: s.status,
    reason: summarize(s),
    causes: s.causes,
    warnings: s.warnings,
    freshness: s.freshness ?? null,
    checks: Object.values(s.record?.checks ?? {})
      .filter((event) => event.materializationId === latest?.id)
      .map((event) => event.check),
    dataVersion: s.dataVersion ?? null,
    codeVersion: s.codeVersion,
    materializedAt: latest?.timestamp ?? null,
    runId: latest?.runId ?? null,
  };
}
