/**
 * @module io/camels
 * Readers for CAMELS-US files: USGS daily streamflow with its qualifiers, and Daymet
 * basin-mean forcings with their header of latitude, elevation and area. Daily values are
 * stamped at 00:00 UTC of their day, so discharge and forcings share one axis.
 */
import { InputError } from '../errors.js';
import { Cause, Flag } from '../flags.js';
import type { Frame, Series } from '../series.js';
import { createSeries } from '../series.js';
import { daysFromCivil } from '../time/civil.js';
import { linesOf, parseNumberCell, splitWhitespace } from './_text.js';

const DAY_MS = 86_400_000;
/** CAMELS' code for a missing discharge value. */
export const CAMELS_MISSING = -999;

/** Discharge of one basin: a series in cubic feet per second, plus the basin id. */
export interface CamelsStreamflow {
  readonly basin: string;
  readonly discharge: Series;
  /** How many points carry each USGS qualifier (`A`, `A:e`, …). */
  readonly qualifiers: Readonly<Record<string, number>>;
}

function dayStamp(
  fields: string[],
  columns: number[],
  at: number,
  file: string,
  line: number,
): number {
  const [y, m, d] = [0, 1, 2].map((k) => Number(fields[at + k]));
  if (
    !Number.isInteger(y) ||
    !Number.isInteger(m) ||
    !Number.isInteger(d) ||
    m! < 1 ||
    m! > 12 ||
    d! < 1 ||
    d! > 31
  ) {
    throw new InputError(
      { file, line, column: columns[at]! },
      `unparseable date ${JSON.stringify(fields.slice(at, at + 3).join(' '))}`,
    );
  }
  return daysFromCivil(y!, m!, d!) * DAY_MS;
}

/**
 * Reads `<basin>_streamflow_qc.txt` (`basin year month day discharge qualifier`). `-999`
 * becomes a missing value (flag 9, cause `MISSING_VALUE`); qualifier `A:e` (estimated)
 * becomes a suspect flag with cause `QUALIFIER`; `A` (approved) stays not evaluated.
 *
 * @example
 * const { discharge } = readCamelsStreamflow('01022500 2000 01 01   255.00 A:e\n', { file: 'q.txt' });
 * discharge.flags[0]; // 3 (suspect)
 */
export function readCamelsStreamflow(text: string, options: { file: string }): CamelsStreamflow {
  const { file } = options;
  const time: number[] = [];
  const values: number[] = [];
  const flags: number[] = [];
  const causes: number[] = [];
  const qualifiers: Record<string, number> = {};
  let basin: string | undefined;
  for (const line of linesOf(text)) {
    const { fields, columns } = splitWhitespace(line.text);
    if (fields.length === 0) continue;
    if (fields.length !== 6) {
      throw new InputError(
        { file, line: line.number, column: columns[Math.min(fields.length, 5)] ?? 1 },
        `expected 6 fields (basin year month day discharge qualifier), found ${fields.length}`,
      );
    }
    if (basin === undefined) basin = fields[0]!;
    else if (fields[0] !== basin) {
      throw new InputError(
        { file, line: line.number, column: 1 },
        `basin ${fields[0]} differs from ${basin} on the first line`,
      );
    }
    time.push(dayStamp(fields, columns, 1, file, line.number));
    const q = parseNumberCell(fields[4]!, file, line.number, columns[4]!);
    const qualifier = fields[5]!;
    qualifiers[qualifier] = (qualifiers[qualifier] ?? 0) + 1;
    if (q === CAMELS_MISSING || Number.isNaN(q)) {
      values.push(Number.NaN);
      flags.push(Flag.MISSING);
      causes.push(Cause.MISSING_VALUE);
    } else if (qualifier === 'A') {
      values.push(q);
      flags.push(Flag.NOT_EVALUATED);
      causes.push(0);
    } else if (qualifier === 'A:e') {
      values.push(q);
      flags.push(Flag.SUSPECT);
      causes.push(Cause.QUALIFIER);
    } else {
      throw new InputError(
        { file, line: line.number, column: columns[5]! },
        `unknown USGS qualifier ${JSON.stringify(qualifier)} (expected A or A:e)`,
      );
    }
  }
  if (basin === undefined) throw new InputError({ file, line: 1 }, 'the file has no data');
  const discharge = createSeries('discharge', Float64Array.from(time), Float64Array.from(values), {
    flags: Uint8Array.from(flags),
    causes: Uint32Array.from(causes),
    unit: 'ft3/s',
  });
  return { basin, discharge, qualifiers };
}

/** Daymet forcings of one basin, with the header's site description. */
export interface DaymetForcing {
  readonly latitude: number;
  /** Elevation in metres. */
  readonly elevation: number;
  /** Area in square metres. */
  readonly area: number;
  /** Columns named as in the file's header, e.g. `prcp(mm/day)`, `tmax(C)`. */
  readonly frame: Frame;
}

/**
 * Reads `<basin>_lump_cida_forcing_leap.txt`: three header lines (latitude, elevation,
 * area), a column header starting `Year Mnth Day Hr`, then one row per day.
 *
 * @example
 * const f = readDaymetForcing(text, { file: '01022500_lump_cida_forcing_leap.txt' });
 * f.frame.columns.get('prcp(mm/day)');
 */
export function readDaymetForcing(text: string, options: { file: string }): DaymetForcing {
  const { file } = options;
  const lines = [...linesOf(text)];
  if (lines.length < 4) {
    throw new InputError(
      { file, line: lines.length + 1 },
      'expected three header lines (latitude, elevation, area) and a column header',
    );
  }
  const [latitude, elevation, area] = [0, 1, 2].map((k) => {
    const l = lines[k]!;
    const v = parseNumberCell(l.text, file, l.number, 1);
    if (Number.isNaN(v)) throw new InputError({ file, line: l.number, column: 1 }, 'missing value');
    return v;
  }) as [number, number, number];
  const headerLine = lines[3]!;
  const header = splitWhitespace(headerLine.text).fields;
  if (header.slice(0, 4).join(' ') !== 'Year Mnth Day Hr') {
    throw new InputError(
      { file, line: headerLine.number, column: 1 },
      `expected a column header starting "Year Mnth Day Hr", found ${JSON.stringify(headerLine.text.slice(0, 30))}`,
    );
  }
  const names = header.slice(4);
  const rows = lines.slice(4);
  const time = new Float64Array(rows.length);
  const cols = names.map(() => new Float64Array(rows.length));
  rows.forEach((line, r) => {
    const { fields, columns } = splitWhitespace(line.text);
    if (fields.length !== header.length) {
      throw new InputError(
        { file, line: line.number, column: line.text.length + 1 },
        `expected ${header.length} fields as in the header, found ${fields.length}`,
      );
    }
    time[r] = dayStamp(fields, columns, 0, file, line.number);
    for (let c = 0; c < names.length; c++) {
      cols[c]![r] = parseNumberCell(fields[c + 4]!, file, line.number, columns[c + 4]!);
    }
  });
  return {
    latitude,
    elevation,
    area,
    frame: { time, columns: new Map(names.map((n, c) => [n, cols[c]!])) },
  };
}
