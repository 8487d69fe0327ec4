/**
 * @module terrain/aspect
 * Aspect as `gdaldem aspect` (GDAL 3.6) computes it: the direction the slope faces, in degrees
 * clockwise from north (0 to 360, 0 for north), or with `trigonometric` counter-clockwise from
 * east. A flat cell (zero gradient) is nodata −9999, or 0 with `zeroForFlat`, which (as gdaldem)
 * also leaves the output without a declared nodata and writes 0 wherever it would write −9999.
 *
 * As gdaldem, aspect ignores the cell size (its sign too): it is the direction of the raw window
 * gradient, so on non-square pixels it is the direction in pixel space, and the raster is taken
 * as north-up. Float32 arithmetic as gdaldem's; equal to its output cell for cell.
 */

import type { Grid } from '../grid.js';
import type { GeoRaster } from '../raster.js';
import { atan2 } from './atan.js';
import {
  algorithmOf,
  checkKeys,
  flagOf,
  resolutionOf,
  type TerrainLayout,
  type TerrainOptions,
} from './options.js';
import { resultGrid } from './result.js';
import { SLOPE_NODATA } from './slope.js';
import { type TerrainProduct, TerrainStream } from './stream.js';

export interface AspectOptions extends TerrainOptions {
  /** gdaldem `-trigonometric`: counter-clockwise from east instead of clockwise from north. */
  readonly trigonometric?: boolean;
  /** gdaldem `-zero_for_flat`: 0 for flat cells, and no nodata declared (see the module). */
  readonly zeroForFlat?: boolean;
}

const KEYS = ['algorithm', 'computeEdges', 'trigonometric', 'zeroForFlat'] as const;
const fr = Math.fround;
const DEG_TO_RAD = Math.PI / 180;

function aspectProduct(trigonometric: boolean, zeroForFlat: boolean): TerrainProduct<Float32Array> {
  const fill = zeroForFlat ? 0 : SLOPE_NODATA;
  return {
    nodata: zeroForFlat ? undefined : SLOPE_NODATA,
    allocate: (n) => new Float32Array(n),
    writeRow(g, _row, out, offset) {
      const { gx, gy, valid } = g;
      const n = valid.length;
      for (let j = 0; j < n; j++) {
        const x = gx[j]!;
        const y = gy[j]!;
        if (valid[j] === 0 || (x === 0 && y === 0)) {
          out[offset + j] = fill;
          continue;
        }
        // gdaldem: atan2(dy, −dx) with dx = east − west = −x, in float32 from here on.
        let a = fr(atan2(y, x) / DEG_TO_RAD);
        if (!trigonometric) a = a > 90 ? fr(450 - a) : fr(90 - a);
        else if (a < 0) a = fr(a + 360);
        out[offset + j] = a === 360 ? 0 : a;
      }
    },
  };
}

function createAspectStream(
  layout: TerrainLayout,
  options: AspectOptions,
  what: string,
): TerrainStream<Float32Array> {
  checkKeys(options, KEYS, what);
  resolutionOf(layout, what); // unused, as by gdaldem, but a zero or non-finite size is an error
  const algorithm = algorithmOf(options, what);
  const computeEdges = flagOf(options.computeEdges, 'computeEdges', what);
  const trigonometric = flagOf(options.trigonometric, 'trigonometric', what);
  const zeroForFlat = flagOf(options.zeroForFlat, 'zeroForFlat', what);
  return new TerrainStream(
    layout,
    algorithm,
    computeEdges,
    aspectProduct(trigonometric, zeroForFlat),
    what,
  );
}

/** An aspect fed strip by strip (see `TerrainStream`). */
export function aspectStream(
  layout: TerrainLayout,
  options: AspectOptions = {},
): TerrainStream<Float32Array> {
  return createAspectStream(layout, options, 'aspectStream');
}

/** The aspect of a DEM, as `gdaldem aspect` computes it (see the module). */
export function aspect(grid: GeoRaster, options?: AspectOptions): GeoRaster<Float32Array>;
export function aspect(grid: Grid, options?: AspectOptions): Grid<Float32Array>;
export function aspect(grid: Grid | GeoRaster, options: AspectOptions = {}): Grid<Float32Array> {
  const stream = createAspectStream(grid, options, 'aspect');
  return resultGrid(grid, stream.whole(grid.values), stream.nodata);
}
