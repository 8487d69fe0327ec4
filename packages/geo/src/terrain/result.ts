/**
 * @module terrain/result
 * The grid a derivative returns: its cells, gdaldem's output nodata, and the input's size,
 * cell size and georeferencing.
 */
import type { Grid } from '../grid.js';
import type { GeoRaster } from '../raster.js';

/** `values` as a grid shaped and georeferenced like `input`, with `nodata` when there is one. */
export function resultGrid<T extends Float32Array | Uint8Array>(
  input: Grid | GeoRaster,
  values: T,
  nodata: number | undefined,
): Grid<T> | GeoRaster<T> {
  const { width, height, cellSize } = input;
  const transform = 'transform' in input ? input.transform : undefined;
  const crs = 'crs' in input ? input.crs : undefined;
  return {
    width,
    height,
    values,
    ...(nodata === undefined ? {} : { nodata }),
    ...(cellSize === undefined ? {} : { cellSize }),
    ...(transform === undefined ? {} : { transform }),
    ...(crs === undefined ? {} : { crs }),
  };
}
