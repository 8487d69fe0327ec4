/**
 * @module grid
 * A raster band in memory: row-major values, its size, the value that means "no data", and the
 * cell size in map units (for slopes and areas). The contract between the kernels of this
 * package; readers and writers (GeoTIFF, COG) produce and consume it.
 */

/** One band, row-major (`values[row * width + col]`). */
export interface Grid<
  T extends Float32Array | Float64Array | Int16Array | Int32Array | Uint8Array | Uint16Array =
    | Float32Array
    | Float64Array
    | Int16Array
    | Int32Array
    | Uint8Array
    | Uint16Array,
> {
  readonly width: number;
  readonly height: number;
  readonly values: T;
  /** The value of a cell with no data; NaN also means no data in float grids. */
  readonly nodata?: number;
  /** Cell size in map units, x and y (positive). */
  readonly cellSize?: { readonly x: number; readonly y: number };
}

/** Whether cell `i` of `grid` holds data. */
export function hasData(grid: Grid, i: number): boolean {
  const v = grid.values[i]!;
  return !Number.isNaN(v) && (grid.nodata === undefined || v !== grid.nodata);
}
