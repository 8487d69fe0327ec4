/**
 * @module io/wide-csv
 * Reads a wide CSV: a header, a timestamp column, then one numeric column per variable.
 * SaQC's `hydro_data.csv` and `tempSensorGroup.csv` have this shape, as does the input of
 * `weir-ts polish`.
 */
import { InputError } from '../errors.js';
import type { Frame } from '../series.js';
import { linesOf, parseNumberCell, splitDelimited } from './_text.js';
import { type TimestampOptions, timestampParser } from './timestamp.js';

/**
 * How to read a wide CSV. Timestamps without an offset are UTC unless
 * `utcOffsetMinutes` or `timezone` (an IANA zone, with `ambiguous` and `nonexistent`
 * policies for daylight saving time) says otherwise.
 */
export interface WideCsvOptions extends TimestampOptions {
  /** The file name used in error messages. */
  file: string;
  delimiter?: string;
  /** The timestamp column's header; default: the first column. */
  timeColumn?: string;
  /** Columns to read; default: all but the timestamp. Missing ones are an error. */
  columns?: readonly string[];
}

/**
 * Parses a wide CSV into a {@link Frame}. Rows keep file order (normalise afterwards).
 * Empty cells and `NaN` are missing values; any other non-number is an error naming file,
 * line and column, as are a row with the wrong number of fields and a bad timestamp.
 *
 * @example
 * const frame = readWideCsv('Timestamp,level\n2016-01-01 00:02:00,103.29\n', { file: 'x.csv' });
 * frame.columns.get('level'); // Float64Array [103.29]
 */
export function readWideCsv(text: string, options: WideCsvOptions): Frame {
  const { file } = options;
  const delimiter = options.delimiter ?? ',';
  const timestamps = timestampParser(options);
  const lines = linesOf(text);
  const first = lines.next();
  if (first.done) throw new InputError({ file, line: 1 }, 'the file is empty: expected a header');
  const header = splitDelimited(first.value.text, delimiter).fields.map((h) => h.trim());
  const timeIndex = options.timeColumn === undefined ? 0 : header.indexOf(options.timeColumn);
  if (timeIndex < 0) {
    throw new InputError(
      { file, line: first.value.number, column: 1 },
      `no timestamp column ${JSON.stringify(options.timeColumn)}; the header has ${header.join(', ')}`,
    );
  }
  const wanted = options.columns ?? header.filter((_, k) => k !== timeIndex);
  const indices = wanted.map((name) => {
    const k = header.indexOf(name);
    if (k < 0 || k === timeIndex) {
      throw new InputError(
        { file, line: first.value.number, column: 1 },
        `missing column ${JSON.stringify(name)}; the header has ${header.join(', ')}`,
      );
    }
    return k;
  });
  let capacity = Math.max(16, Math.ceil(text.length / Math.max(8, first.value.text.length)));
  let time = new Float64Array(capacity);
  let cols = wanted.map(() => new Float64Array(capacity));
  let n = 0;
  for (const line of lines) {
    const { fields, columns } = splitDelimited(line.text, delimiter);
    if (fields.length !== header.length) {
      throw new InputError(
        { file, line: line.number, column: line.text.length + 1 },
        `expected ${header.length} fields as in the header, found ${fields.length}`,
      );
    }
    if (n === capacity) {
      capacity *= 2;
      time = grow(time, capacity);
      cols = cols.map((c) => grow(c, capacity));
    }
    const t = timestamps.parse(fields[timeIndex]!);
    if (Number.isNaN(t)) {
      throw new InputError(
        { file, line: line.number, column: columns[timeIndex]! },
        timestamps.explain(fields[timeIndex]!),
      );
    }
    time[n] = t;
    for (let c = 0; c < indices.length; c++) {
      const k = indices[c]!;
      cols[c]![n] = parseNumberCell(fields[k]!, file, line.number, columns[k]!);
    }
    n++;
  }
  const columns = new Map<string, Float64Array>();
  wanted.forEach((name, c) => {
    columns.set(name, cols[c]!.slice(0, n));
  });
  return { time: time.slice(0, n), columns };
}

function grow(a: Float64Array<ArrayBuffer>, capacity: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}
