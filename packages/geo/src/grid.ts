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
  readonly nodata?: number | undefined;
  /** Cell size in map units, x and y (positive). */
  readonly cellSize?: { readonly x: number; readonly y: number } | undefined;
}

/**
 * The grid's nodata value as its cells store it: a Float32 grid holds `Math.fround(nodata)`
 * (`-3.40282347e38` from a header is float32's lowest value), as GDAL and numpy compare it.
 */
export function storedNodata(grid: Grid): number | undefined {
  const { nodata, values } = grid;
  return nodata !== undefined && values instanceof Float32Array ? Math.fround(nodata) : nodata;
}

/** Whether cell `i` of `grid` holds data. */
export function hasData(grid: Grid, i: number): boolean {
  const v = grid.values[i]!;
  const nodata = storedNodata(grid);
  return !Number.isNaN(v) && (nodata === undefined || v !== nodata);
}

/** The cell size, checked: both sides finite and positive (1 × 1 when not given). */
export function cellSizeOf(grid: Grid, what: string): { x: number; y: number } {
  const x = grid.cellSize?.x ?? 1;
  const y = grid.cellSize?.y ?? 1;
  if (!(Number.isFinite(x) && x > 0 && Number.isFinite(y) && y > 0)) {
    throw new RangeError(
      `${what}: cellSize must be positive and finite, got x ${x}, y ${y} (give the absolute pixel size, not GDAL's negative y)`,
    );
  }
  return { x, y };
}
