/**
 * @module cli/commands/verify
 * `weir verify`: artefacts against their hashes, `--reproduce` for a reproducibility proof,
 * `--repair` to rewrite what a reproduction gives back exactly.
 */
import {
  type ArtefactCheck,
  type ReproductionCheck,
  type VerifyReport,
  verify,
} from '../../execution/index.js';
import { shortVersion } from '../../hash.js';
import { PARTITION_OPTIONS, partitionLabel, partitionRequest } from '../_partitions.js';
import type { Command, CommandContext } from '../command.js';
import { json, logPrinter, type Output, paint, table, withClock } from '../format.js';

const USAGE =
  'weir verify [SELECTION] [--all] [--reproduce] [--repair] [--partition KEY… | --from A --to B] [--json]';

export const verifyCommand: Command = {
  name: 'verify',
  summary:
    'Check artefacts against their hashes; --reproduce re-runs each from its recorded inputs and compares',
  usage: USAGE,
  help: `options:
  --all        every materialization in history, not only the current ones (artefacts that
               weir gc collected are reported as collected, not as missing)
  --reproduce  re-materialize each current materialization from its recorded inputs and code
               version into a scratch folder and compare data versions: a reproducibility
               proof. Names what is not deterministic and what differed, and what cannot be
               reproduced here (its code changed, a source it reads moved on). Records nothing.
  --repair     rewrite missing or corrupt artefacts whose content a reproduction gives back
               exactly (recorded as artefact:repaired events); needs a writable instance
  --partition KEY, --from A --to B   only these partitions of partitioned assets
Exit code 0 when every artefact checked is intact (or repaired) and every reproduction
matched, 1 otherwise.
`,
  options: {
    all: { type: 'boolean' },
    reproduce: { type: 'boolean' },
    repair: { type: 'boolean' },
    ...PARTITION_OPTIONS,
  },
  async run(ctx) {
    const { project } = await ctx.project();
    const partitions = partitionRequest(ctx, USAGE);
    const repair = Boolean(ctx.values.repair);
    const instance = repair
      ? await ctx.writableInstance('weir verify --repair rewrites artefacts')
      : await ctx.instance();
    const report = await verify(project, {
      instance,
      ...(ctx.positionals.length === 0 ? {} : { selection: ctx.positionals.join(',') }),
      ...(partitions === undefined ? {} : { partitions }),
      all: Boolean(ctx.values.all),
      reproduce: Boolean(ctx.values.reproduce),
      repair,
      signal: ctx.signal,
      ...(ctx.values.verbose ? { onLog: logPrinter(ctx.output) } : {}),
      ...withClock(),
    });
    const ok = passed(report);
    if (ctx.values.json) {
      ctx.output.out(json({ ok, ...report }));
      return ok ? 0 : 1;
    }
    render(ctx, report);
    return ok ? 0 : 1;
  },
};

/** Every artefact intact (or collected on purpose) and every reproduction matched. */
export function passed(report: VerifyReport): boolean {
  return (
    report.artefacts.every((a) => a.status === 'intact' || a.status === 'collected') &&
    report.reproductions.every((r) => r.status === 'reproduced')
  );
}

function render(ctx: CommandContext, report: VerifyReport): void {
  const { output } = ctx;
  if (report.artefacts.length === 0) {
    output.out('Nothing materialized in this selection yet.\n');
    return;
  }
  const problems = report.artefacts.filter((a) => a.status !== 'intact' || a.repair);
  if (problems.length > 0) {
    const rows = problems.map((a) => [
      partitionLabel(a.assetKey, a.partition),
      a.location,
      statusCell(output, a),
      a.current ? 'current' : `history (event ${a.materializationId})`,
    ]);
    output.out(`${table([['ASSET', 'ARTEFACT', 'STATUS', 'MATERIALIZATION'], ...rows])}\n\n`);
  }
  output.out(
    `${tally(
      report.artefacts.map((a) => a.status),
      'artefact',
      'checked',
    )}\n`,
  );
  if (report.reproductions.length > 0) renderReproductions(output, report.reproductions);
  const broken = report.artefacts.find(
    (a) => (a.status === 'corrupt' || a.status === 'missing') && a.repair === undefined,
  );
  if (broken !== undefined) {
    const target =
      broken.partition === ''
        ? broken.assetKey
        : `${broken.assetKey} --partition ${broken.partition}`;
    output.err(
      `${paint(output, 'gray', 'hint')}: weir verify ${target} --repair rebuilds it from its recorded inputs; weir materialize ${target} --force makes a new version\n`,
    );
  }
}

function statusCell(output: Output, a: ArtefactCheck): string {
  if (a.repair?.repaired) return paint(output, 'green', 'repaired');
  const shown = paint(output, a.status === 'collected' ? 'gray' : 'red', a.status);
  return a.repair === undefined ? shown : `${shown} (not repaired: ${a.repair.reason})`;
}

function renderReproductions(output: Output, checks: readonly ReproductionCheck[]): void {
  const lines: string[] = [''];
  for (const r of checks) {
    if (r.status === 'reproduced') continue;
    const label = partitionLabel(r.assetKey, r.partition);
    if (r.status === 'differs') {
      lines.push(
        `${paint(output, 'red', 'not deterministic')}  ${label}: recorded ${shortVersion(r.recorded.dataVersion)}, reproduced ${shortVersion(r.reproduced?.dataVersion)}`,
      );
      for (const difference of r.differences ?? []) lines.push(`    ${difference}`);
    } else {
      const verdict = r.status === 'failed' ? 'failed to re-run' : 'cannot reproduce';
      lines.push(`${paint(output, 'yellow', verdict)}  ${label}: ${r.reason}`);
    }
  }
  lines.push(
    tally(
      checks.map((r) => r.status),
      'materialization',
      're-run',
    ),
  );
  output.out(`${lines.join('\n')}\n`);
}

/** `12 artefacts checked: 11 intact, 1 corrupt`. */
function tally(statuses: readonly string[], noun: string, verb: string): string {
  const what = `${noun}${statuses.length === 1 ? '' : 's'} ${verb}`;
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${status.replace('-', ' ')}`);
  return `${statuses.length} ${what}: ${parts.join(', ')}`;
}
