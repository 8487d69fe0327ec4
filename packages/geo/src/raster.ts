/**
 * @module raster
 * A georeferenced grid: a `Grid` plus where it lies on the Earth. The contract between the
 * readers (GeoTIFF, SRTM `.hgt`), the writers (Cloud Optimized GeoTIFF) and the kernels that
 * need map coordinates (terrain with a geographic CRS, zonal statistics).
 *
 * The transform is always GDAL's corner convention ("PixelIsArea"): `(originX, originY)` is the
 * outer corner of cell (0, 0). A file that declares `PixelIsPoint` is read as GDAL reads it by
 * default (the origin moved half a cell up and left) and keeps `rasterType: 'point'`, so a writer
 * can declare it again with the tiepoint GDAL would write: nothing moves by half a cell on a
 * round trip.
 */
import type { Grid } from './grid.js';
import type { GeoTransform } from './zonal/transform.js';

/** The sample types of a band, each held in its typed array (`uint8` → `Uint8Array`, …). */
export type SampleType = 'uint8' | 'int16' | 'uint16' | 'int32' | 'float32' | 'float64';

/** A coordinate reference system as a file declares it. */
export interface Crs {
  /** The EPSG code, where the file names one (GeoKeys 3072 / 2048, or a WKT AUTHORITY). */
  readonly epsg?: number | undefined;
  /** The WKT, where one is known (a `.prj`, GDAL metadata). */
  readonly wkt?: string | undefined;
  /** Whether the CRS is geographic (degrees); terrain kernels need a scale then. */
  readonly geographic?: boolean | undefined;
}

/** One georeferenced band (see the module for the conventions). */
export interface GeoRaster<
  T extends Float32Array | Float64Array | Int16Array | Int32Array | Uint8Array | Uint16Array =
    | Float32Array
    | Float64Array
    | Int16Array
    | Int32Array
    | Uint8Array
    | Uint16Array,
> extends Grid<T> {
  /** Pixel to map, corner convention (GDAL's geotransform). */
  readonly transform: GeoTransform;
  readonly crs?: Crs | undefined;
  /** How the file declared its raster space; the transform is corner-based either way. */
  readonly rasterType?: 'area' | 'point' | undefined;
}
