/**
 * @module terrain/source
 * How gdaldem (GDAL 3.6) reads the elevation band, which decides some of its results:
 *
 * - Byte, Int16 and UInt16 bands take an integer path: samples are read as 32-bit integers, the
 *   nodata value counts only when it is an integer in the band type's range, and it is compared
 *   exactly. An edge value extrapolated by `-compute_edges` that happens to equal the nodata value
 *   becomes nodata + 1 rather than being taken for nodata.
 * - Every other type (Int32, Float32, Float64) takes a float path: samples and the nodata value are
 *   rounded to float32, sums are float32 sums, and a sample is nodata when GDAL's `ARE_REAL_EQUAL`
 *   says so — within about two float32 ulps of the nodata value, not only equal to it.
 *
 * Here, as everywhere in this package, NaN is also no data (gdaldem lets a NaN cell make its
 * neighbours NaN unless the band's nodata is NaN).
 */

/** The arrays a DEM band may come in. */
export type ElevationArray =
  | Float32Array
  | Float64Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array;

/** Whether `v` is one of the {@link ElevationArray} types. */
export function isElevationArray(v: unknown): v is ElevationArray {
  return (
    v instanceof Float32Array ||
    v instanceof Float64Array ||
    v instanceof Int16Array ||
    v instanceof Int32Array ||
    v instanceof Uint8Array ||
    v instanceof Uint16Array
  );
}

/** The sample path gdaldem takes for a band (see the module). */
export type SamplePath = 'integer' | 'float';

/** The path gdaldem takes for samples held in `values`. */
export function samplePathOf(values: ArrayLike<number>): SamplePath {
  return values instanceof Uint8Array ||
    values instanceof Int16Array ||
    values instanceof Uint16Array
    ? 'integer'
    : 'float';
}

/** How samples are told apart from no data, as gdaldem tells them. */
export interface NodataRule {
  readonly path: SamplePath;
  /** The nodata value as gdaldem compares it (float32 on the float path), or undefined. */
  readonly value: number | undefined;
  /** Whether `v` (a float32 sample) is no data. */
  readonly test: (v: number) => boolean;
  /** Sets `mask[j]` to 1 where `values[j]` is no data, else 0. */
  readonly mark: (values: Float32Array, mask: Uint8Array) => void;
  /** Whether any of `values` is no data. */
  readonly any: (values: Float32Array) => boolean;
}

const EPSILON_F32 = 2 ** -23;
const FLOAT32_MAX = 3.4028234663852886e38;
const fr = Math.fround;

/** The nodata rule for samples in `values` with the band's `nodata`. */
export function nodataRule(values: ArrayLike<number>, nodata: number | undefined): NodataRule {
  const path = samplePathOf(values);
  if (path === 'integer') {
    const [lo, hi] =
      values instanceof Uint8Array
        ? [0, 255]
        : values instanceof Int16Array
          ? [-32768, 32767]
          : [0, 65535];
    const value =
      nodata !== undefined && Number.isInteger(nodata) && nodata >= lo && nodata <= hi
        ? nodata
        : undefined;
    if (value === undefined) return { path, value, ...NAN_ONLY };
    return {
      path,
      value,
      test: (v) => v === value || Number.isNaN(v),
      mark: (v, mask) => {
        for (let j = 0; j < v.length; j++) mask[j] = v[j] === value ? 1 : 0;
      },
      any: (v) => v.includes(value),
    };
  }
  if (nodata === undefined || Number.isNaN(nodata)) return { path, value: nodata, ...NAN_ONLY };
  const value = fr(nodata);
  // GDAL's ARE_REAL_EQUAL in float: a == b || |a − b| < FLT_EPSILON · |a + b| · 2.
  const test = (v: number) =>
    v === value ||
    Number.isNaN(v) ||
    fr(Math.abs(fr(v - value))) < fr(fr(EPSILON_F32 * fr(Math.abs(fr(v + value)))) * 2);
  // Only samples within a few ulps of the value, NaN, or so large that a + b overflows to
  // infinity (then GDAL's tolerance is infinite) need the exact test.
  const band = 8 * EPSILON_F32 * Math.abs(value);
  const lo = value - band;
  const hi = value + band;
  const big = (FLOAT32_MAX - Math.abs(value)) * (1 - 1e-6);
  return {
    path,
    value,
    test,
    mark: (v, mask) => {
      for (let j = 0; j < v.length; j++) {
        const x = v[j]!;
        mask[j] = ((x >= lo && x <= hi) || !(x < big && x > -big)) && test(x) ? 1 : 0;
      }
    },
    any: (v) => {
      for (let j = 0; j < v.length; j++) {
        const x = v[j]!;
        if (((x >= lo && x <= hi) || !(x < big && x > -big)) && test(x)) return true;
      }
      return false;
    },
  };
}

/** No nodata value, or NaN: only NaN is no data. */
const NAN_ONLY = {
  test: Number.isNaN,
  mark: (v: Float32Array, mask: Uint8Array) => {
    for (let j = 0; j < v.length; j++) mask[j] = Number.isNaN(v[j]!) ? 1 : 0;
  },
  any: (v: Float32Array) => {
    for (let j = 0; j < v.length; j++) if (Number.isNaN(v[j]!)) return true;
    return false;
  },
};

/**
 * The value gdaldem's `-compute_edges` puts beyond the edge: `2a − b`, extrapolated from the edge
 * cell `a` and the one inside it `b` (float32 arithmetic on the float path), or NaN (no data) when
 * either is no data.
 */
export function extrapolate(rule: NodataRule, a: number, b: number): number {
  if (rule.test(a) || rule.test(b)) return Number.NaN;
  if (rule.path === 'float') return fr(fr(2 * a) - b);
  const v = 2 * a - b;
  return v === rule.value ? v + 1 : v;
}
