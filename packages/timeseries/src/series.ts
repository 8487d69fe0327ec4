/**
 * @module series
 * The columnar data model. A {@link Series} is one variable: timestamps in UTC epoch
 * milliseconds, values, and per point a flag, a cause bit set and a validity code. A
 * {@link Frame} is several variables read from one file on one time axis.
 */
import { Flag, Validity } from './flags.js';

/** One variable of a time series, columnar and typed. All arrays have the same length. */
export interface Series {
  readonly name: string;
  /** UTC epoch milliseconds, strictly increasing once normalised. */
  readonly time: Float64Array;
  /** `NaN` where the value is unknown. */
  readonly values: Float64Array;
  /** One {@link Flag} per point; only ever raised by tests. */
  readonly flags: Uint8Array;
  /** A {@link Cause} bit set per point. */
  readonly causes: Uint32Array;
  /** One {@link Validity} code per point. */
  readonly validity: Uint8Array;
  readonly unit?: string;
}

/** Several variables on one time axis, as read from a wide file. */
export interface Frame {
  readonly time: Float64Array;
  readonly columns: ReadonlyMap<string, Float64Array>;
  /** Optional per-column flags and causes set by the reader (qualifiers, missing codes). */
  readonly flags?: ReadonlyMap<string, Uint8Array>;
  readonly causes?: ReadonlyMap<string, Uint32Array>;
}

/**
 * A new series over `time` and `values` (not copied): present values are flagged
 * not-evaluated and observed, `NaN` values missing and invalid.
 *
 * @example
 * const s = createSeries('level', new Float64Array([0, 900_000]), new Float64Array([1.2, NaN]));
 * s.flags; // Uint8Array [2, 9]
 */
export function createSeries(
  name: string,
  time: Float64Array,
  values: Float64Array,
  options: { flags?: Uint8Array; causes?: Uint32Array; unit?: string } = {},
): Series {
  const n = time.length;
  if (values.length !== n) {
    throw new RangeError(`series ${name}: ${values.length} values for ${n} timestamps`);
  }
  const flags = options.flags ?? new Uint8Array(n);
  const causes = options.causes ?? new Uint32Array(n);
  const validity = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const missing = Number.isNaN(values[i]!);
    if (options.flags === undefined) flags[i] = missing ? Flag.MISSING : Flag.NOT_EVALUATED;
    else if (missing && flags[i]! !== Flag.MISSING) flags[i] = Flag.MISSING;
    validity[i] = missing ? Validity.INVALID : Validity.OBSERVED;
  }
  return {
    name,
    time,
    values,
    flags,
    causes,
    validity,
    ...(options.unit === undefined ? {} : { unit: options.unit }),
  };
}

/** A deep copy, so an operation can keep its input intact. */
export function cloneSeries(s: Series, name: string = s.name): Series {
  return {
    name,
    time: s.time.slice(),
    values: s.values.slice(),
    flags: s.flags.slice(),
    causes: s.causes.slice(),
    validity: s.validity.slice(),
    ...(s.unit === undefined ? {} : { unit: s.unit }),
  };
}

/** The series of one column of a frame. Throws if the column does not exist. */
export function seriesOf(frame: Frame, column: string): Series {
  const values = frame.columns.get(column);
  if (values === undefined) {
    throw new RangeError(
      `no column ${JSON.stringify(column)}; columns are ${[...frame.columns.keys()].join(', ')}`,
    );
  }
  const flags = frame.flags?.get(column);
  const causes = frame.causes?.get(column);
  return createSeries(column, frame.time.slice(), values.slice(), {
    ...(flags === undefined ? {} : { flags: flags.slice() }),
    ...(causes === undefined ? {} : { causes: causes.slice() }),
  });
}

/**
 * Recomputes the validity channel from flags: values that are present and whose flag is
 * pass or not evaluated (or suspect, with `acceptSuspect`) are observed; everything else
 * is invalid. Imputed points keep their code.
 */
export function refreshValidity(s: Series, acceptSuspect = false): void {
  const worstAccepted = acceptSuspect ? Flag.SUSPECT : Flag.PASS;
  const { values, flags, validity } = s;
  for (let i = 0; i < values.length; i++) {
    if (validity[i] === Validity.IMPUTED) continue;
    const f = flags[i]!;
    const ok = (f === Flag.NOT_EVALUATED || f <= worstAccepted) && !Number.isNaN(values[i]!);
    validity[i] = ok ? Validity.OBSERVED : Validity.INVALID;
  }
}
