/**
 * @module data/synthetic
 * A basin from plain arrays (one value per day from a start date), for tests and small
 * fixtures: the windowing and the model can be exercised without CAMELS files.
 */
import type { Series } from '@weir/timeseries';
import { Flag, Validity } from '@weir/timeseries';
import type { BasinData } from './windows.js';
import { dayNumber } from './windows.js';

const DAY_MS = 86_400_000;

/** Daily values; `validity` defaults to observed where the value is a number, else invalid. */
export interface DailyColumn {
  readonly values: ArrayLike<number>;
  readonly validity?: ArrayLike<number>;
}

/** A daily series from day `first` (days since 1970-01-01); flags follow the validity codes. */
export function dailySeries(
  name: string,
  first: number,
  column: DailyColumn,
  unit?: string,
): Series {
  const n = column.values.length;
  if (column.validity !== undefined && column.validity.length !== n) {
    throw new RangeError(`${name}: ${column.validity.length} validity codes for ${n} values`);
  }
  const time = Float64Array.from({ length: n }, (_, i) => (first + i) * DAY_MS);
  const values = Float64Array.from(column.values);
  const validity = Uint8Array.from({ length: n }, (_, i) => {
    if (Number.isNaN(values[i]!)) return Validity.INVALID;
    return column.validity?.[i] ?? Validity.OBSERVED;
  });
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    flags[i] = Number.isNaN(values[i]!)
      ? Flag.MISSING
      : validity[i] === Validity.INVALID
        ? Flag.FAIL
        : Flag.NOT_EVALUATED;
  }
  return {
    name,
    time,
    values,
    flags,
    causes: new Uint32Array(n),
    validity,
    ...(unit === undefined ? {} : { unit }),
  };
}

/** A basin whose columns all start on `start` (`YYYY-MM-DD` or a day number). */
export function basinFromArrays(spec: {
  readonly id: string;
  readonly start: string | number;
  readonly discharge: DailyColumn;
  readonly forcings: Readonly<Record<string, DailyColumn>>;
  readonly attributes?: Readonly<Record<string, number>>;
}): BasinData {
  const first = typeof spec.start === 'number' ? spec.start : dayNumber(spec.start);
  const forcings: Record<string, Series> = {};
  for (const [name, column] of Object.entries(spec.forcings)) {
    forcings[name] = dailySeries(name, first, column);
  }
  return {
    id: spec.id,
    discharge: dailySeries('discharge', first, spec.discharge, 'mm/day'),
    forcings,
    ...(spec.attributes === undefined ? {} : { attributes: spec.attributes }),
  };
}

/** What {@link randomBasins} makes. */
export interface RandomBasinsSpec {
  readonly basins: number;
  /** First day of the data (days since 1970-01-01) and days of data per basin. */
  readonly first: number;
  readonly length: number;
  /** Probability of an invalid forcing / target value, and of an imputed one. */
  readonly pInvalid: number;
  readonly pImputed: number;
}

/**
 * Random basins (reproducible with a seeded `random`, e.g. `seededRandom(seed)`) with forcings `day` (days since `first`, to check window positions),
 * `rain` (non-negative) and `temp`, random validity codes (invalid ones sometimes `NaN`),
 * positive discharge, and attributes `size` and `height`.
 */
export function randomBasins(spec: RandomBasinsSpec, random: () => number): BasinData[] {
  const code = () => {
    const u = random();
    return u < spec.pInvalid
      ? Validity.INVALID
      : u < spec.pInvalid + spec.pImputed
        ? Validity.IMPUTED
        : Validity.OBSERVED;
  };
  const column = (value: (i: number) => number): DailyColumn => {
    const validity = Array.from({ length: spec.length }, code);
    const values = validity.map((c, i) =>
      c === Validity.INVALID && random() < 0.5 ? Number.NaN : value(i),
    );
    return { values, validity };
  };
  return Array.from({ length: spec.basins }, (_, b) =>
    basinFromArrays({
      id: `b${b}`,
      start: spec.first,
      discharge: column(() => 0.1 + 10 * random() ** 3),
      forcings: {
        day: column((i) => i),
        rain: column(() => (random() < 0.6 ? 0 : 30 * random())),
        temp: column(() => -10 + 40 * random()),
      },
      attributes: { size: 100 + 1000 * random(), height: 50 * b },
    }),
  );
}
