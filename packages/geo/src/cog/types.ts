/**
 * @module cog/types
 * The public shapes of the Cloud Optimized GeoTIFF writer: sample types, the streaming source,
 * the options and what a write reports.
 */
import type { Crs, SampleType } from '../raster.js';

export type { SampleType };

import type { GeoTransformLike } from '../zonal/transform.js';

/** The typed arrays that hold those samples. */
export type SampleArray =
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * A raster read window by window, for rasters bigger than memory. The writer calls `readWindow`
 * with full-width windows one tile row high (`readWindow(0, row, width, h)`), top to bottom, once
 * each; it returns `w × h` samples row-major, in the typed array of `type`. It may be async. The
 * writer is done with an array when it asks for the next window, so a source may reuse it.
 */
export interface TileSource {
  readonly width: number;
  readonly height: number;
  readonly type: SampleType;
  /** The value of a cell with no data; NaN also means no data in float rasters. */
  readonly nodata?: number | undefined;
  /** Pixel to map, corner convention (GDAL's geotransform), as `GeoRaster.transform`. */
  readonly transform: GeoTransformLike;
  readonly crs?: Crs | undefined;
  /** Declared raster space; `'point'` is written as GDAL writes PixelIsPoint. */
  readonly rasterType?: 'area' | 'point' | undefined;
  readWindow(
    col: number,
    row: number,
    width: number,
    height: number,
  ): SampleArray | Promise<SampleArray>;
}

/** Options of `writeCog` and `writeCogFromTiles`. */
export interface CogOptions {
  /** Tile width and height in pixels, a multiple of 16 (TIFF's rule); 512 as GDAL's COG driver. */
  readonly tileSize?: number;
  /** `'deflate'` (default), `'lzw'` or `'none'`. */
  readonly compression?: 'deflate' | 'lzw' | 'none';
  /** DEFLATE level, 1 (fastest) to 9 (smallest); 6 as GDAL's default ZLEVEL. */
  readonly level?: number;
  /** Horizontal differencing (predictor 2) for integers, floating-point (3) for floats; default on. */
  readonly predictor?: boolean;
  /** Internal overviews, halving until one fits in a tile (GDAL's rule); default on. */
  readonly overviews?: boolean;
  /** How overviews are made: area-weighted `'average'` of the data cells (default) or `'nearest'`. */
  readonly resampling?: 'average' | 'nearest';
  /** `'auto'` (default): BigTIFF only when the file would pass 4 GiB; `'always'`; `'never'` (an error then). */
  readonly bigTiff?: 'auto' | 'always' | 'never';
  /**
   * DEFLATE jobs in flight on Node's thread pool (which runs up to `UV_THREADPOOL_SIZE`, 4 by
   * default, at once); 1 compresses on the calling thread. Default: twice the CPUs.
   */
  readonly concurrency?: number;
  /** fsync the file and its folder before and after the rename (default true): durable once resolved. */
  readonly fsync?: boolean;
}

/** One level of the written pyramid (level 0 is full resolution). */
export interface CogLevel {
  readonly width: number;
  readonly height: number;
  readonly tiles: number;
  /** Compressed bytes of the level's tiles (without the 8 bytes of leader and trailer each). */
  readonly bytes: number;
}

/** What a write produced. */
export interface CogResult {
  readonly path: string;
  /** Size of the file in bytes. */
  readonly bytes: number;
  readonly bigTiff: boolean;
  readonly levels: readonly CogLevel[];
}
