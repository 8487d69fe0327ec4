/**
 * @module vector/types
 * What the vector readers return: polygon features in the geometry type `zonalStatistics` takes,
 * their attributes, the layer's CRS, and the features left out (with `nonPolygon: 'skip'`).
 */
import type { Crs } from '../raster.js';
import type { PolygonalGeometry } from '../zonal/rasterize.js';

/** One polygon feature: GeoJSON-like, its geometry ready for `zonalStatistics`. */
export interface PolygonFeature {
  /** The GeoJSON feature's `id`; a shapefile record's 0-based index (GDAL's FID). */
  readonly id?: string | number;
  readonly properties: Record<string, unknown>;
  readonly geometry: PolygonalGeometry;
}

/** A feature left out, and why (only with `nonPolygon: 'skip'`). */
export interface SkippedFeature {
  /** Its 0-based position in the file. */
  readonly index: number;
  readonly id?: string | number;
  readonly reason: string;
}

/** A layer of polygon features. */
export interface PolygonLayer {
  readonly features: PolygonFeature[];
  readonly crs?: Crs;
  /** The features left out under `nonPolygon: 'skip'` (empty otherwise). */
  readonly skipped: SkippedFeature[];
}

export interface ReadVectorOptions {
  /**
   * What a feature whose geometry is not a polygon (a point, a line, a null geometry) does:
   * `'error'` (the default) throws naming it; `'skip'` leaves it out and lists it in `skipped`.
   */
  readonly nonPolygon?: 'error' | 'skip';
}
