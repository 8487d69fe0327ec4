/**
 * @module cog
 * Writing Cloud Optimized GeoTIFFs (issue 19): tiled, with internal overviews, DEFLATE or LZW
 * with predictors, nodata, EPSG CRS and exact georeferencing, in GDAL's COG layout; from an
 * in-memory raster or streamed from a source bigger than memory.
 */
export { CogWriteError } from './errors.js';
export type { CogLevel, CogOptions, CogResult, SampleArray, TileSource } from './types.js';
export { type CogValidation, validateCog } from './validate.js';
export { writeCogFromTiles } from './write.js';
export { writeCog } from './write-raster.js';
