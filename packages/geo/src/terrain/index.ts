/**
 * @module terrain
 * Terrain derivatives equal to `gdaldem`'s (GDAL 3.6): slope, aspect and hillshade over a `Grid`
 * or `GeoRaster`, with its algorithms, options, edge and nodata rules, whole or strip by strip;
 * and a latitude-corrected slope for geographic rasters, which gdaldem does not have.
 *
 * ```ts
 * const degrees = slope(dem, { algorithm: 'horn', scale: 111120 });
 * const facing = aspect(dem, { zeroForFlat: true });
 * const relief = hillshade(dem, { azimuth: 315, altitude: 45, zFactor: 2 });
 * const stream = slopeStream({ width, height, nodata, transform }); // strips in, strips out
 * ```
 */
export { type AspectOptions, aspect, aspectStream } from './aspect.js';
export {
  type GeographicSlopeOptions,
  metresPerDegreeAt,
  slopeGeographic,
  slopeGeographicStream,
} from './geographic.js';
export {
  HILLSHADE_NODATA,
  type HillshadeOptions,
  type HillshadeVariant,
  hillshade,
  hillshadeStream,
} from './hillshade.js';
export type { TerrainAlgorithm, TerrainLayout, TerrainOptions } from './options.js';
export { SLOPE_NODATA, type SlopeOptions, slope, slopeStream } from './slope.js';
export type { ElevationArray } from './source.js';
export { streamRows, TerrainStream } from './stream.js';
