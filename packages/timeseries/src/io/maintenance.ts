/**
 * @module io/maintenance
 * Reads a maintenance log: one known-bad interval per row, start then end (SaQC's
 * `hydro_maint.csv`: `Timestamp,maint`).
 */
import { InputError } from '../errors.js';
import type { ManualInterval } from '../qc/manual.js';
import { linesOf, splitDelimited } from './_text.js';
import { type TimestampOptions, timestampParser } from './timestamp.js';

/**
 * The intervals of a maintenance log, in file order. A row whose end precedes its start,
 * or with an unparseable timestamp, is an error naming file, line and column.
 *
 * @example
 * readMaintenanceLog('Timestamp,maint\n2016-01-10 11:15:00,2016-01-10 12:15:00\n', { file: 'm.csv' });
 */
export function readMaintenanceLog(
  text: string,
  options: { file: string; delimiter?: string } & TimestampOptions,
): ManualInterval[] {
  const { file } = options;
  const delimiter = options.delimiter ?? ',';
  const intervals: ManualInterval[] = [];
  const timestamps = timestampParser(options);
  let header = true;
  for (const line of linesOf(text)) {
    if (header) {
      header = false;
      continue;
    }
    const { fields, columns } = splitDelimited(line.text, delimiter);
    if (fields.length < 2) {
      throw new InputError(
        { file, line: line.number, column: line.text.length + 1 },
        'expected two fields: start and end of the interval',
      );
    }
    const [start, end] = [0, 1].map((k) => {
      const t = timestamps.parse(fields[k]!);
      if (Number.isNaN(t)) {
        throw new InputError(
          { file, line: line.number, column: columns[k]! },
          timestamps.explain(fields[k]!),
        );
      }
      return t;
    }) as [number, number];
    if (end < start) {
      throw new InputError(
        { file, line: line.number, column: columns[1]! },
        'the interval ends before it starts',
      );
    }
    intervals.push({ start, end });
  }
  return intervals;
}
