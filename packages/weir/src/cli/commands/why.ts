import { explain, type WhyReport } from '../../execution/index.js';
import { shortVersion } from '../../hash.js';
import type { AssetState, StaleCause } from '../../versioning/index.js';
import { type Command, requirePositional } from '../command.js';
import {
  formatBytes,
  formatDuration,
  formatTime,
  json,
  type Output,
  paint,
  STATUS_COLOR,
  withClock,
} from '../format.js';

const USAGE = 'weir why KEY [--json]';

export const whyCommand: Command = {
  name: 'why',
  summary: 'Explain an asset: the full chain of causes of its status, and its provenance',
  usage: USAGE,
  options: {},
  async run(ctx) {
    const key = requirePositional(ctx, 'an asset key', USAGE);
    const { project } = await ctx.project();
    const report = await explain(project, key, {
      instance: await ctx.instance(),
      ...withClock(),
    });
    ctx.output.out(ctx.values.json ? json(report) : renderWhy(report, ctx.output));
    return 0;
  },
};

export function renderWhy(report: WhyReport, output: Output): string {
  const { state } = report;
  const lines = [
    `${paint(output, 'bold', report.key)} is ${paint(output, STATUS_COLOR[state.status] ?? 'bold', state.status)}`,
  ];
  if (state.status === 'fresh') {
    lines.push(
      state.kind === 'source'
        ? '  its latest observation is current'
        : '  its code and every input are the versions its current materialization used',
    );
  }
  const seen = new Set<string>();
  const explainCauses = (current: AssetState, depth: number) => {
    const indent = '  '.repeat(depth);
    for (const cause of current.causes) {
      lines.push(`${indent}${paint(output, 'yellow', '•')} ${describeCause(cause)}`);
      const upstream = 'dependency' in cause ? report.upstream[cause.dependency] : undefined;
      if (upstream && upstream.status !== 'fresh' && !seen.has(upstream.key)) {
        seen.add(upstream.key);
        lines.push(`${indent}  ${upstream.key} is ${upstream.status} because:`);
        explainCauses(upstream, depth + 2);
      }
    }
  };
  explainCauses(state, 1);
  for (const warning of state.warnings) lines.push(`  ${paint(output, 'yellow', '!')} ${warning}`);
  if (state.freshness !== undefined) {
    const f = state.freshness;
    lines.push(
      `  freshness: ${f.status === 'overdue' ? paint(output, 'red', 'overdue') : f.status}, ${f.reason}`,
    );
  }
  lines.push('', ...renderProvenance(report, output), ...renderChecks(report, output));
  return `${lines.join('\n')}\n`;
}

function describeCause(cause: StaleCause): string {
  switch (cause.category) {
    case 'data': {
      if (cause.to === undefined && cause.from !== undefined)
        return `input ${cause.dependency} was removed from the definition`;
      const by = cause.movedBy
        ? cause.movedBy.type === 'materialization'
          ? ` (materialized by run ${cause.movedBy.runId} at ${formatTime(cause.movedBy.timestamp)})`
          : ` (observed at ${formatTime(cause.movedBy.timestamp)})`
        : '';
      return cause.from === undefined
        ? `new input ${cause.dependency}, now at ${shortVersion(cause.to)}${by}`
        : `input ${cause.dependency} moved from ${shortVersion(cause.from)} to ${shortVersion(cause.to)}${by}`;
    }
    case 'code':
      return `code version changed: ${cause.from} → ${cause.to}`;
    case 'failed':
      return `${cause.reason} (see: weir logs ${cause.runId})`;
    default:
      return cause.reason;
  }
}

function renderChecks(report: WhyReport, output: Output): string[] {
  const latest = report.state.record?.materialization;
  const checks = Object.values(report.state.record?.checks ?? {}).filter(
    (e) => e.materializationId === latest?.id,
  );
  if (checks.length === 0) return [];
  return [
    `checks on the newest materialization (event ${latest!.id}):`,
    ...checks.map(({ check }) => {
      const verdict = check.passed
        ? paint(output, 'green', 'passed')
        : paint(output, check.severity === 'error' ? 'red' : 'yellow', 'failed');
      return `  ${check.name}  ${verdict}${check.blocking ? ' (blocking)' : ''}${check.message ? `  ${check.message}` : ''}`;
    }),
  ];
}

function renderProvenance(report: WhyReport, output: Output): string[] {
  const event = report.current;
  if (event === undefined) return [paint(output, 'gray', 'no materialization yet')];
  if (event.type === 'asset:observed') {
    return [
      `current observation (event ${event.id}, ${formatTime(event.timestamp)}):`,
      `  data version  ${event.observation.dataVersion}`,
    ];
  }
  const m = event.materialization;
  const inputs = Object.entries(m.inputs);
  return [
    `current materialization (event ${event.id}, run ${event.runId}, ${formatTime(event.timestamp)}):`,
    `  data version  ${m.dataVersion}`,
    `  code version  ${m.codeVersion}${m.codeVersion === report.state.codeVersion ? '' : `  (now ${report.state.codeVersion})`}`,
    `  inputs${inputs.length === 0 ? '        (none)' : ''}`,
    ...inputs.map(
      ([key, input]) => `    ${key}  ${shortVersion(input.dataVersion)}  (event ${input.eventId})`,
    ),
    `  config hash   ${m.configHash}`,
    `  artefact      ${m.artefact.format}, ${formatBytes(m.artefact.size)}, ${m.artefact.location}`,
    `  produced on   ${m.host} by weir ${m.weirVersion} in ${formatDuration(m.endedAt - m.startedAt)}`,
    ...(Object.keys(m.metadata).length > 0
      ? [`  metadata      ${JSON.stringify(m.metadata)}`]
      : []),
  ];
}
