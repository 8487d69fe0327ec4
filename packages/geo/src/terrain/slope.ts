/**
 * @module terrain/slope
 * Slope as `gdaldem slope` (GDAL 3.6) computes it: the gradient of Horn's or Zevenbergen &
 * Thorne's window divided by the cell size and by `scale` (gdaldem `-s`, vertical units per
 * horizontal unit), in degrees (`atan`) or percent (`100 ×` the rise over run). Float32 cells,
 * nodata −9999 where gdaldem writes it (see `terrain/gradient` for the edge and nodata rules).
 * Equal to gdaldem's output cell for cell (float32 equality), as the tests check.
 */

import type { Grid } from '../grid.js';
import type { GeoRaster } from '../raster.js';
import { atan } from './atan.js';
import {
  algorithmOf,
  checkKeys,
  flagOf,
  numberOf,
  resolutionOf,
  type TerrainLayout,
  type TerrainOptions,
} from './options.js';
import { resultGrid } from './result.js';
import { type TerrainProduct, TerrainStream } from './stream.js';

/** The nodata gdaldem writes in slope and aspect outputs. */
export const SLOPE_NODATA = -9999;

const RAD_TO_DEG = 180 / Math.PI;

export interface SlopeOptions extends TerrainOptions {
  /** `'degrees'` (default) or `'percent'` (gdaldem `-p`). */
  readonly units?: 'degrees' | 'percent';
  /**
   * gdaldem `-s`: vertical units per horizontal unit (111120 for metres over degrees, 370400 for
   * feet over degrees); default 1. For a geographic raster see also `slopeGeographic`.
   */
  readonly scale?: number;
}

const KEYS = ['algorithm', 'computeEdges', 'units', 'scale'] as const;

/** Checked slope options, for the plain and the geographic slope. */
export interface SlopeSetup {
  readonly algorithm: 'horn' | 'zevenbergen-thorne';
  readonly computeEdges: boolean;
  readonly percent: boolean;
  readonly scale: number;
}

export function slopeSetup(
  options: SlopeOptions,
  what: string,
  keys: readonly string[] = KEYS,
): SlopeSetup {
  checkKeys(options, keys, what);
  const units = options.units ?? 'degrees';
  if (units !== 'degrees' && units !== 'percent') {
    throw new RangeError(`${what}: units must be 'degrees' or 'percent', got ${String(units)}`);
  }
  return {
    algorithm: algorithmOf(options, what),
    computeEdges: flagOf(options.computeEdges, 'computeEdges', what),
    percent: units === 'percent',
    scale: numberOf(options.scale, 1, 'scale', what, true),
  };
}

/**
 * The slope product; `cellSize(row)` gives the row's `[ew, ns]` that the raw gradients are divided
 * by, and `weight` the window weight × scale the root is divided by (8 for Horn, 2 for Z&T). The
 * divisions, not multiplications by reciprocals, are GDAL's: the two round differently in the last
 * float64 bit, which float32 rounding keeps now and then (found at 3.6e-26 by the property test).
 */
export function slopeProduct(
  percent: boolean,
  weight: number,
  cellSize: (row: number) => readonly [number, number],
): TerrainProduct<Float32Array> {
  return {
    nodata: SLOPE_NODATA,
    allocate: (n) => new Float32Array(n),
    writeRow(g, row, out, offset) {
      const [ew, ns] = cellSize(row);
      const { gx, gy, valid } = g;
      const n = valid.length;
      for (let j = 0; j < n; j++) {
        if (valid[j] === 0) {
          out[offset + j] = SLOPE_NODATA;
          continue;
        }
        const dx = gx[j]! / ew;
        const dy = gy[j]! / ns;
        const t = Math.sqrt(dx * dx + dy * dy) / weight;
        out[offset + j] = percent ? 100 * t : atan(t) * RAD_TO_DEG;
      }
    },
  };
}

/** The weight gdaldem divides a window's raw gradient by: 8 for Horn, 2 for Z&T. */
export function windowWeight(algorithm: 'horn' | 'zevenbergen-thorne'): number {
  return algorithm === 'horn' ? 8 : 2;
}

/** A slope fed strip by strip (see `TerrainStream`); the layout gives size, nodata and cell size. */
export function slopeStream(
  layout: TerrainLayout,
  options: SlopeOptions = {},
): TerrainStream<Float32Array> {
  return createSlopeStream(layout, options, 'slopeStream');
}

function createSlopeStream(
  layout: TerrainLayout,
  options: SlopeOptions,
  what: string,
): TerrainStream<Float32Array> {
  const s = slopeSetup(options, what);
  const { ew, ns } = resolutionOf(layout, what);
  const cellSize = [ew, ns] as const;
  return new TerrainStream(
    layout,
    s.algorithm,
    s.computeEdges,
    slopeProduct(s.percent, windowWeight(s.algorithm) * s.scale, () => cellSize),
    what,
  );
}

/** The slope of a DEM, as `gdaldem slope` computes it (see the module). */
export function slope(grid: GeoRaster, options?: SlopeOptions): GeoRaster<Float32Array>;
export function slope(grid: Grid, options?: SlopeOptions): Grid<Float32Array>;
export function slope(grid: Grid | GeoRaster, options: SlopeOptions = {}): Grid<Float32Array> {
  const stream = createSlopeStream(grid, options, 'slope');
  return resultGrid(grid, stream.whole(grid.values), stream.nodata);
}
