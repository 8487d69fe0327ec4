/**
 * @module cli/commands/experiments
 * `weir experiments`: an asset's materializations side by side, one column each (oldest on
 * the left), one row per field: when, run, duration, data and code version, which code parts
 * changed since the column before, checks that blocked it, then every metadata entry. A
 * training run that records its hyperparameters and scores as metadata is an experiment; this
 * is the comparison table.
 */
import type { JsonValue } from '../../definitions/index.js';
import { EnvironmentError } from '../../errors.js';
import { assetHistory, graphOf, resolveSpaces, unknownPartition } from '../../execution/index.js';
import type { AssetGraph } from '../../graph/index.js';
import { shortVersion } from '../../hash.js';
import type { EventLog, MaterializationEvent } from '../../storage/index.js';
import { describeCodeChanges } from '../../versioning/index.js';
import { type Command, positiveInteger, requirePositional, stringOption } from '../command.js';
import { formatClock, formatDuration, json, localZone, printable, table } from '../format.js';

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
    const limit = positiveInteger(ctx.values.limit, 'limit') ?? 6;
    const { project } = await ctx.project();
    const graph = graphOf(project);
    const partition = stringOption(ctx.values.partition);
    const instance = await ctx.instance();
    await checkTarget(graph, instance.eventLog, key, partition);
    const runs = (
      await assetHistory(instance, key, {
        graph,
        limit,
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
      ctx.output.out(
        `${partition === undefined ? key : `${key}[${partition}]`} has no materializations yet.\n`,
      );
      return 0;
    }
    const rows = comparisonRows(
      runs,
      partition === undefined && graph.node(key).partitions !== undefined,
    );
    const shown = ctx.values.changed ? rows.filter((r) => r.differs) : rows;
    const legend = runs.length > 1 ? '* differs between materializations\n' : '';
    ctx.output.out(
      `${table([
        ['', ...runs.map((_, i) => `#${i + 1}`)],
        ...shown.map((r) => [
          `${r.differs ? '* ' : '  '}${printable(r.label, 60)}`,
          ...r.cells.map((c) => printable(c)),
        ]),
      ])}\n${legend}`,
    );
    return 0;
  },
};

/** A materialized asset, and a partition it has: else an error that says what to do. */
async function checkTarget(
  graph: AssetGraph,
  eventLog: EventLog,
  key: string,
  partition: string | undefined,
): Promise<void> {
  const node = graph.node(key);
  if (node.kind !== 'asset') {
    throw new EnvironmentError(
      'E_NOT_FOUND',
      `'${key}' is a source asset: it is observed, not materialized`,
      {
        hint: `its observations: weir history ${key}`,
      },
    );
  }
  if (partition === undefined) return;
  if (node.partitions === undefined) {
    throw new EnvironmentError('E_NOT_FOUND', `asset '${key}' is not partitioned`, {
      hint: `drop --partition: weir experiments ${key}`,
    });
  }
  const space = (await resolveSpaces(graph, eventLog, [key], Date.now())).get(key)!;
  if (space.indexOf(partition) < 0) throw unknownPartition(key, partition, space);
}

interface ComparisonRow {
  label: string;
  cells: string[];
  differs: boolean;
}

/** A row of cells, marked when `compared` (the exact values; null: not compared) differ. */
function row(label: string, cells: string[], compared: readonly string[] | null): ComparisonRow {
  return { label, cells, differs: compared !== null && new Set(compared).size > 1 };
}

/** A row of notes (what changed, blocking checks): marked when any column has one. */
function notes(label: string, cells: string[]): ComparisonRow {
  return { label, cells, differs: cells.some((c) => c !== '') };
}

/**
 * The rows of the comparison: fixed fields, what changed since the column before (of the
 * same partition), then every metadata entry any run has.
 */
export function comparisonRows(
  runs: readonly MaterializationEvent[],
  showPartition: boolean,
): ComparisonRow[] {
  const flat = runs.map((e) => flatten(e.materialization.metadata));
  const labels = [...new Set(flat.flatMap((m) => [...m.keys()]))];
  const previous = runs.map((e, i) =>
    runs.slice(0, i).findLast((p) => (p.partition ?? '') === (e.partition ?? '')),
  );
  const since = (describe: (a: MaterializationEvent, b: MaterializationEvent) => string) =>
    runs.map((e, i) => (previous[i] === undefined ? '' : describe(previous[i]!, e)));
  const blocked = runs.map((e) => (e.materialization.blockedBy ?? []).join(', '));
  const versions = (e: MaterializationEvent) => e.materialization;
  const fixed = [
    row(
      `when (${localZone()})`,
      runs.map((e) => formatClock(e.timestamp)),
      null,
    ),
    row(
      'run',
      runs.map((e) => e.runId),
      null,
    ),
    ...(showPartition
      ? [
          row(
            'partition',
            runs.map((e) => e.partition ?? ''),
            null,
          ),
        ]
      : []),
    row(
      'took',
      runs.map((e) => formatDuration(versions(e).endedAt - versions(e).startedAt)),
      null,
    ),
    row(
      'data version',
      runs.map((e) => shortVersion(versions(e).dataVersion)),
      runs.map((e) => versions(e).dataVersion),
    ),
    row(
      'code version',
      runs.map((e) => versions(e).codeVersion),
      runs.map((e) => versions(e).codeVersion),
    ),
    notes('code changed', since(changedParts)),
    notes('inputs changed', since(changedInputs)),
    ...(blocked.some((b) => b !== '') ? [notes('blocked by', blocked)] : []),
  ];
  // A metadata entry named like a row above (`run`, `took`) is shown as `["run"]`.
  const taken = new Set(fixed.map((r) => r.label));
  const shownLabel = (label: string) => (taken.has(label) ? `[${JSON.stringify(label)}]` : label);
  return [
    ...fixed,
    // Shown rounded, compared exactly (as JSON): 0.712341 and 0.712349 differ.
    ...labels.map((label) => {
      const entries = flat.map((m) => m.get(label));
      return row(
        shownLabel(label),
        entries.map((e) => (e === undefined ? '' : shown(e))),
        entries.map((e) => (e === undefined ? '' : JSON.stringify(e))),
      );
    }),
  ];
}

/** The inputs whose data version differs from the materialization before. */
function changedInputs(before: MaterializationEvent, after: MaterializationEvent): string {
  const a = before.materialization.inputs;
  const b = after.materialization.inputs;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => a[k]?.dataVersion !== b[k]?.dataVersion).join(', ');
}

/** What changed in the code since the materialization before, in `weir why`'s words. */
function changedParts(before: MaterializationEvent, after: MaterializationEvent): string {
  const a = before.materialization;
  const b = after.materialization;
  const lines = describeCodeChanges(a.codeParts, b.codeParts);
  if (lines.length > 0) return lines.map((l) => l.replace(/^code changed: /, '')).join('; ');
  return a.codeVersion === b.codeVersion ? '' : 'code version';
}

/**
 * Metadata as `label → value`: nested objects flattened to `a.b`; a key that is not a plain
 * name (it holds a dot, a space…) written `a["b.c"]`, so no two entries share a label.
 */
function flatten(metadata: Readonly<Record<string, JsonValue>>): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  const visit = (label: string, value: JsonValue) => {
    const nested = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (!nested || Object.keys(value).length === 0) {
      out.set(label, value);
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(`${label}${segment(k)}`, v);
  };
  for (const [k, v] of Object.entries(metadata)) visit(segment(k).replace(/^\./, ''), v);
  return out;
}

function segment(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Numbers to 4 significant digits (no trailing zeros), integers exact; a list as its length and last entry (a per-epoch curve). */
function shown(value: JsonValue): string {
  // Counts are shown exactly (a safe integer); other numbers rounded (compared exactly anyway).
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  }
  // A string that reads as a number, a list or an object is quoted, so "1" and 1 look different.
  if (typeof value === 'string')
    return /^\s*(-?[\d.]|[[{"]|true$|false$|null$)/.test(value) ? JSON.stringify(value) : value;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.length}] … ${shown(value[value.length - 1] as JsonValue)}`;
  }
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function experimentOf(e: MaterializationEvent) {
  const m = e.materialization;
  return {
    runId: e.runId,
    ...(e.partition === undefined || e.partition === '' ? {} : { partition: e.partition }),
    timestamp: e.timestamp,
    durationMs: m.endedAt - m.startedAt,
    dataVersion: m.dataVersion,
    codeVersion: m.codeVersion,
    ...(m.codeParts === undefined ? {} : { codeParts: m.codeParts }),
    ...(m.blockedBy?.length ? { blockedBy: m.blockedBy } : {}),
    metadata: m.metadata,
  };
}
