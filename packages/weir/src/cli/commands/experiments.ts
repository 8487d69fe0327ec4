/**
 * @module cli/commands/experiments
 * `weir experiments`: an asset's materializations side by side, one column each (oldest on
 * the left), one row per field: when, run, duration, data and code version, which code parts
 * changed since the column before, then every metadata entry. A training run that records its
 * hyperparameters and scores as metadata is an experiment; this is the comparison table.
 */

import type { JsonValue } from '../../definitions/index.js';
import { EnvironmentError } from '../../errors.js';
import { assetHistory, graphOf } from '../../execution/index.js';
import { shortVersion } from '../../hash.js';
import type { MaterializationEvent } from '../../storage/index.js';
import { describeCodeChanges } from '../../versioning/index.js';
import { type Command, positiveInteger, requirePositional, stringOption } from '../command.js';
import { formatClock, formatDuration, json, localZone, table } from '../format.js';

const USAGE = 'weir experiments KEY [--partition P] [--limit N] [--changed] [--json]';

export const experimentsCommand: Command = {
  name: 'experiments',
  summary: "Compare an asset's materializations side by side: versions, code changes, metadata",
  usage: USAGE,
  help: `options:
  --partition P   only the materializations of partition P of a partitioned asset
  -n, --limit N   the newest N materializations (default 6)
  --changed       only the rows whose value differs between the columns
`,
  options: {
    partition: { type: 'string' },
    limit: { type: 'string', short: 'n' },
    changed: { type: 'boolean' },
  },
  async run(ctx) {
    const key = requirePositional(ctx, 'an asset key', USAGE);
    const { project } = await ctx.project();
    const graph = graphOf(project);
    const partition = stringOption(ctx.values.partition);
    if (partition !== undefined && graph.has(key) && graph.node(key).partitions === undefined) {
      throw new EnvironmentError('E_NOT_FOUND', `asset '${key}' is not partitioned`, {
        hint: `drop --partition: weir experiments ${key}`,
      });
    }
    const instance = await ctx.instance();
    const runs = (
      await assetHistory(instance, key, {
        graph,
        limit: positiveInteger(ctx.values.limit, 'limit') ?? 6,
        ...(partition === undefined ? {} : { partition }),
      })
    )
      .filter((e): e is MaterializationEvent => e.type === 'asset:materialized')
      .reverse();
    if (ctx.values.json) {
      ctx.output.out(json(runs.map(experimentOf)));
      return 0;
    }
    if (runs.length === 0) {
      ctx.output.out(`${key} has no materializations yet.\n`);
      return 0;
    }
    const rows = comparisonRows(
      runs,
      partition === undefined && graph.node(key).partitions !== undefined,
    );
    const shown = ctx.values.changed ? rows.filter((r) => r.differs) : rows;
    ctx.output.out(
      `${table([
        ['', ...runs.map((_, i) => `#${i + 1}`)],
        ...shown.map((r) => [`${r.differs ? '* ' : '  '}${r.label}`, ...r.cells]),
      ])}\n* differs between materializations\n`,
    );
    return 0;
  },
};

interface ComparisonRow {
  label: string;
  cells: string[];
  differs: boolean;
}

/** The rows of the comparison: fixed fields, then every metadata key any run has. */
export function comparisonRows(
  runs: readonly MaterializationEvent[],
  showPartition: boolean,
): ComparisonRow[] {
  const row = (label: string, cells: string[], compare = true): ComparisonRow => ({
    label,
    cells,
    differs: compare && new Set(cells).size > 1,
  });
  const flat = runs.map((e) => flatten(e.materialization.metadata));
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))];
  return [
    row(
      `when (${localZone()})`,
      runs.map((e) => formatClock(e.timestamp)),
      false,
    ),
    row(
      'run',
      runs.map((e) => e.runId),
      false,
    ),
    ...(showPartition
      ? [
          row(
            'partition',
            runs.map((e) => e.partition ?? ''),
          ),
        ]
      : []),
    row(
      'took',
      runs.map((e) => formatDuration(e.materialization.endedAt - e.materialization.startedAt)),
      false,
    ),
    row(
      'data version',
      runs.map((e) => shortVersion(e.materialization.dataVersion)),
    ),
    row(
      'code version',
      runs.map((e) => e.materialization.codeVersion),
    ),
    changesRow(runs.map((e, i) => (i === 0 ? '' : changedParts(runs[i - 1]!, e)))),
    ...keys.map((k) =>
      row(
        k,
        flat.map((m) => m.get(k) ?? ''),
      ),
    ),
  ];
}

/** The code changes between columns: marked (and kept by --changed) when there is any. */
function changesRow(cells: string[]): ComparisonRow {
  return { label: 'code changed', cells, differs: cells.some((c) => c !== '') };
}

/** What changed in the code since the materialization before, in `weir why`'s words. */
function changedParts(before: MaterializationEvent, after: MaterializationEvent): string {
  const a = before.materialization;
  const b = after.materialization;
  const lines = describeCodeChanges(a.codeParts, b.codeParts);
  if (lines.length > 0) return lines.map((l) => l.replace(/^code changed: /, '')).join('; ');
  return a.codeVersion === b.codeVersion ? '' : 'code version';
}

/** Metadata as `key → shown value`, nested objects as `a.b`, arrays summarised. */
function flatten(metadata: Readonly<Record<string, JsonValue>>): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (prefix: string, value: JsonValue) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) visit(prefix === '' ? k : `${prefix}.${k}`, v);
    } else {
      out.set(prefix, shown(value));
    }
  };
  for (const [k, v] of Object.entries(metadata)) visit(k, v);
  return out;
}

/** Numbers to 4 significant digits; a list as its length and last entry (a per-epoch curve). */
function shown(value: JsonValue): string {
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (Array.isArray(value)) {
    const last = value.at(-1);
    return value.length === 0
      ? '[]'
      : `[${value.length}] … ${last === undefined ? '' : shown(last as JsonValue)}`;
  }
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function experimentOf(e: MaterializationEvent) {
  const m = e.materialization;
  return {
    runId: e.runId,
    ...(e.partition === undefined ? {} : { partition: e.partition }),
    timestamp: e.timestamp,
    durationMs: m.endedAt - m.startedAt,
    dataVersion: m.dataVersion,
    codeVersion: m.codeVersion,
    ...(m.codeParts === undefined ? {} : { codeParts: m.codeParts }),
    metadata: m.metadata,
  };
}
