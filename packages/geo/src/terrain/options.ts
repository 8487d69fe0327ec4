/**
 * @module terrain/options
 * The options the terrain derivatives share (gdaldem's `-alg` and `-compute_edges`), the shape of
 * a raster without its cells, and the checks that turn a bad option into a clear error.
 */
import type { GeoTransform } from '../zonal/transform.js';

/** gdaldem's `-alg`: Horn's 3×3 weighted differences (default) or Zevenbergen & Thorne's. */
export type TerrainAlgorithm = 'horn' | 'zevenbergen-thorne';

/** Options every terrain derivative takes. */
export interface TerrainOptions {
  /** How the gradient is estimated; default `'horn'` (gdaldem `-alg ZevenbergenThorne`). */
  readonly algorithm?: TerrainAlgorithm;
  /**
   * gdaldem `-compute_edges`: compute the border cells (values beyond the edge extrapolated as
   * `2·edge − inside`) and cells beside no data (a no-data neighbour takes the centre's value).
   * Without it those cells are no data. Default false.
   */
  readonly computeEdges?: boolean;
}

/**
 * A raster's shape without its cells: what a streaming derivative needs before the rows arrive.
 * A `Grid` or `GeoRaster` is one. The cell size comes from `transform` when there is one (its signs
 * kept, as gdaldem keeps the geotransform's), else from `cellSize` (taken as north-up), else 1 × 1.
 */
export interface TerrainLayout {
  readonly width: number;
  readonly height: number;
  readonly nodata?: number | undefined;
  readonly cellSize?: { readonly x: number; readonly y: number } | undefined;
  readonly transform?: GeoTransform | undefined;
}

/** East-west and north-south pixel size as gdaldem uses them: GDAL's gt[1] and gt[5] (signed). */
export interface Resolution {
  readonly ew: number;
  readonly ns: number;
}

/** The layout's pixel size (see {@link TerrainLayout}); throws on a zero or non-finite size. */
export function resolutionOf(layout: TerrainLayout, what: string): Resolution {
  const t = layout.transform;
  const ew = t ? t.pixelWidth : (layout.cellSize?.x ?? 1);
  const ns = t ? t.pixelHeight : -(layout.cellSize?.y ?? 1);
  const ok = t ? ew !== 0 && ns !== 0 : ew > 0 && ns < 0;
  if (!(ok && Number.isFinite(ew) && Number.isFinite(ns))) {
    throw new RangeError(
      t
        ? `${what}: the transform's pixel size must be finite and non-zero, got ${ew} × ${ns}`
        : `${what}: cellSize must be positive and finite, got x ${ew}, y ${-ns} (give the absolute pixel size, not GDAL's negative y)`,
    );
  }
  return { ew, ns };
}

/** Checks the layout's size; throws a `RangeError` naming `what`. */
export function checkLayout(layout: TerrainLayout, what: string): void {
  const { width, height } = layout;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`${what}: width and height must be non-negative integers`);
  }
}

/** Throws when `options` has a key not in `known` (a misspelt option would be ignored silently). */
export function checkKeys(options: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${what}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
}

/** The algorithm option, checked. */
export function algorithmOf(options: TerrainOptions, what: string): TerrainAlgorithm {
  const a = options.algorithm ?? 'horn';
  if (a !== 'horn' && a !== 'zevenbergen-thorne') {
    throw new RangeError(
      `${what}: algorithm must be 'horn' or 'zevenbergen-thorne', got ${String(a)}`,
    );
  }
  return a;
}

/** A boolean option, checked (default false). */
export function flagOf(value: unknown, name: string, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${what}: ${name} must be a boolean, got ${String(value)}`);
  }
  return value;
}

/** A finite number option, checked; `positive` also refuses zero and negatives. */
export function numberOf(
  value: unknown,
  fallback: number,
  name: string,
  what: string,
  positive = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) {
    throw new RangeError(
      `${what}: ${name} must be a ${positive ? 'positive ' : ''}finite number, got ${String(value)}`,
    );
  }
  return value;
}
