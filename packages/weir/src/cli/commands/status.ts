import { assetStatus } from '../../execution/index.js';
import { summarize } from '../../versioning/index.js';
import type { Command } from '../command.js';
import { json, paint, STATUS_COLOR, table } from '../format.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show each asset as fresh, stale, missing or failed, with the reason',
  usage: 'weir status [SELECTION] [--no-observe] [--json]',
  options: { 'no-observe': { type: 'boolean' } },
  async run(ctx) {
    const { project } = await ctx.project();
    const states = await assetStatus(project, {
      instance: await ctx.instance(),
      ...(ctx.positionals[0] === undefined ? {} : { selection: ctx.positionals.join(',') }),
      observe: !ctx.values['no-observe'],
    });
    if (ctx.values.json) {
      ctx.output.out(
        json(
          states.map((s) => ({
            key: s.key,
            kind: s.kind,
            status: s.status,
            reason: summarize(s),
            causes: s.causes,
            dataVersion: s.dataVersion ?? null,
            codeVersion: s.codeVersion,
            materializedAt: s.record?.materialization?.timestamp ?? null,
            runId: s.record?.materialization?.runId ?? null,
          })),
        ),
      );
    } else {
      const rows = states.map((s) => [
        s.kind === 'source' ? paint(ctx.output, 'dim', s.key) : s.key,
        paint(ctx.output, STATUS_COLOR[s.status] ?? 'bold', s.status),
        summarize(s),
      ]);
      ctx.output.out(`${table([['ASSET', 'STATUS', 'REASON'], ...rows])}\n`);
      const counts = new Map<string, number>();
      for (const s of states) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
      ctx.output.out(`\n${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}\n`);
    }
    return 0;
  },
};
