/**
 * @module zonal/stats
 * Zonal statistics per polygon, computed from the cells (never from stored band statistics).
 *
 * For each polygon, the cells selected by the pixel rule (see `zonal/rasterize`) are visited row
 * by row over the polygon's bounding window only (clipped to the grid); a cell with no data
 * (`NaN`, or equal to `grid.nodata`) is excluded from the statistics and counted in `nodata`.
 * Mean and variance use Welford's update (stable for large counts and large offsets); the sum is
 * accumulated in double precision.
 */

import { type Grid, storedNodata } from '../grid.js';
import {
  checkSize,
  type PixelRule,
  type PolygonalGeometry,
  polygonWindow,
  preparePolygon,
  scanPolygon,
} from './rasterize.js';
import { type GeoTransformLike, toGeoTransform } from './transform.js';

/** A zone: an id of the caller's choosing and its polygon in the grid's map coordinates. */
export interface Zone<Id = string | number> {
  readonly id: Id;
  readonly geometry: PolygonalGeometry;
}

export interface ZonalOptions {
  /** Which cells are in a polygon; default `'centre-inside'`. */
  readonly rule?: PixelRule;
}

/**
 * Statistics of the cells of one zone. With no valid cell, `min`, `max`, `mean`, `std` and
 * `sampleStd` are `NaN` and `sum` is 0; with one, `sampleStd` is `NaN`.
 */
export interface ZonalResult<Id = string | number> {
  readonly id: Id;
  /** Cells with data. */
  readonly count: number;
  /** Cells selected but holding no data. */
  readonly nodata: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation (divisor `count`). */
  readonly std: number;
  /** Sample standard deviation (divisor `count − 1`). */
  readonly sampleStd: number;
  readonly sum: number;
}

/**
 * Statistics of `grid`'s cells in each polygon, in the order given. `transform` georeferences
 * the grid (a `GeoTransform` or GDAL's six numbers, no rotation). Zones may overlap; each is
 * computed independently.
 */
export function zonalStatistics<Id>(
  grid: Grid,
  transform: GeoTransformLike,
  polygons: ReadonlyArray<Zone<Id>>,
  options: ZonalOptions = {},
): ZonalResult<Id>[] {
  const { width, height, values } = grid;
  checkSize(width, height);
  if (values.length !== width * height) {
    throw new RangeError(
      `grid has ${values.length} values, expected width × height = ${width * height}`,
    );
  }
  const t = toGeoTransform(transform);
  const rule = options.rule ?? 'centre-inside';
  if (rule !== 'centre-inside' && rule !== 'all-touched') {
    throw new RangeError(
      `rule must be 'centre-inside' or 'all-touched', got ${JSON.stringify(rule)}`,
    );
  }
  const nd = storedNodata(grid) ?? Number.NaN;
  const ndIsNaN = Number.isNaN(nd);
  return polygons.map(({ id, geometry }) => {
    const p = preparePolygon(geometry, t);
    const win = polygonWindow(p, width, height);
    let count = 0;
    let missing = 0;
    let mean = 0;
    let m2 = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    scanPolygon(p, win, rule, (row, mask) => {
      const base = row * width + win.col0;
      for (let k = 0; k < mask.length; k++) {
        if (mask[k] === 0) continue;
        const v = values[base + k]!;
        if (Number.isNaN(v) || (!ndIsNaN && v === nd)) {
          missing++;
          continue;
        }
        count++;
        const d = v - mean;
        mean += d / count;
        m2 += d * (v - mean);
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    });
    if (count === 0) {
      return {
        id,
        count,
        nodata: missing,
        min: Number.NaN,
        max: Number.NaN,
        mean: Number.NaN,
        std: Number.NaN,
        sampleStd: Number.NaN,
        sum: 0,
      };
    }
    return {
      id,
      count,
      nodata: missing,
      min,
      max,
      mean,
      std: Math.sqrt(m2 / count),
      sampleStd: count > 1 ? Math.sqrt(m2 / (count - 1)) : Number.NaN,
      sum,
    };
  });
}
