/**
 * @module arrow
 * Conversion between series and Apache Arrow tables, so a pipeline step can store a
 * polished series as Arrow IPC or Parquet and read it back bit for bit. Layout: `time`
 * (timestamp[ms, UTC]) and, per variable `v`, columns `v` (float64), `v.flag` (uint8),
 * `v.cause` (uint32) and `v.validity` (uint8). All series must share one time axis.
 * Key-value metadata (such as the polish report) travels in the schema.
 */
import {
  type Data,
  Float64,
  makeData,
  makeVector,
  Schema,
  Table,
  TimestampMillisecond,
  tableFromIPC,
  tableToIPC,
  Uint8,
  Uint32,
  type Vector,
} from 'apache-arrow';
import { TimeseriesError } from './errors.js';
import type { Series } from './series.js';

const FLAG = '.flag';
const CAUSE = '.cause';
const VALIDITY = '.validity';

/** Schema metadata under which `weir-ts polish` records its report, as JSON. */
export const POLISH_REPORT_KEY = 'weir:polish-report';

/**
 * An Arrow table of series that share one time axis, with `metadata` in its schema.
 *
 * @example
 * const table = seriesToTable([level, waterTemp], { [POLISH_REPORT_KEY]: JSON.stringify(report) });
 */
export function seriesToTable(
  series: readonly Series[],
  metadata: Readonly<Record<string, string>> = {},
): Table {
  const first = series[0];
  if (first === undefined) throw new TimeseriesError('E_ARGUMENT', 'seriesToTable: no series');
  const n = first.time.length;
  const ms = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const t = first.time[i]!;
    if (!Number.isInteger(t)) {
      throw new TimeseriesError(
        'E_ARGUMENT',
        `seriesToTable: timestamp ${i} (${t}) is not whole milliseconds`,
      );
    }
    ms[i] = BigInt(t);
  }
  const columns: Record<string, Vector> = {
    time: makeVector(makeData({ type: new TimestampMillisecond('UTC'), length: n, data: ms })),
  };
  for (const s of series) {
    if (s.time.length !== n || s.time.some((t, i) => t !== first.time[i])) {
      throw new TimeseriesError(
        'E_ARGUMENT',
        `seriesToTable: ${s.name} is not on the time axis of ${first.name}`,
      );
    }
    columns[s.name] = makeVector(makeData({ type: new Float64(), length: n, data: s.values }));
    columns[s.name + FLAG] = makeVector(makeData({ type: new Uint8(), length: n, data: s.flags }));
    columns[s.name + CAUSE] = makeVector(
      makeData({ type: new Uint32(), length: n, data: s.causes }),
    );
    columns[s.name + VALIDITY] = makeVector(
      makeData({ type: new Uint8(), length: n, data: s.validity }),
    );
  }
  const table = new Table(columns);
  const entries = Object.entries(metadata);
  if (entries.length === 0) return table;
  return new Table(new Schema(table.schema.fields, new Map(entries)), table.batches);
}

function concatChunks<T extends Float64Array | Uint8Array | Uint32Array | BigInt64Array>(
  chunks: readonly Data[],
  make: (n: number) => T,
): T {
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const out = make(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c.values.subarray(0, c.length) as never, at);
    at += c.length;
  }
  return out;
}

/**
 * The series of a table written by {@link seriesToTable}.
 *
 * @example
 * const [level] = seriesFromTable(tableFromIPC(bytes));
 */
export function seriesFromTable(table: Table): Series[] {
  const timeCol = table.getChild('time');
  if (timeCol === null)
    throw new TimeseriesError('E_ARGUMENT', 'seriesFromTable: the table has no time column');
  const raw = concatChunks(timeCol.data, (n) => new BigInt64Array(n));
  const time = Float64Array.from(raw, (v) => Number(v));
  const names = table.schema.fields
    .map((f) => f.name)
    .filter((name) => table.getChild(name + FLAG) !== null);
  return names.map((name) => {
    const col = (suffix: string): Vector => {
      const c = table.getChild(name + suffix);
      if (c === null)
        throw new TimeseriesError('E_ARGUMENT', `seriesFromTable: missing column ${name + suffix}`);
      return c;
    };
    return {
      name,
      time: time.slice(),
      values: concatChunks(col('').data, (n) => new Float64Array(n)),
      flags: concatChunks(col(FLAG).data, (n) => new Uint8Array(n)),
      causes: concatChunks(col(CAUSE).data, (n) => new Uint32Array(n)),
      validity: concatChunks(col(VALIDITY).data, (n) => new Uint8Array(n)),
    };
  });
}

/** Arrow IPC (file format) bytes of series on one time axis, with schema metadata. */
export function seriesToArrowIPC(
  series: readonly Series[],
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  return tableToIPC(seriesToTable(series, metadata), 'file');
}

/** The schema metadata of Arrow IPC bytes (file or stream format). */
export function metadataFromArrowIPC(bytes: Uint8Array): Map<string, string> {
  return tableFromIPC(bytes).schema.metadata;
}

/** Series from Arrow IPC bytes (file or stream format). */
export function seriesFromArrowIPC(bytes: Uint8Array): Series[] {
  return seriesFromTable(tableFromIPC(bytes));
}
