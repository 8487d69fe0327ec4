/**
 * @module read
 * Reading rasters (issue 19): GeoTIFF bands and windows (`readGeoTiff`), SRTM `.hgt` tiles
 * (`readHgt`), georeferenced as GDAL georeferences them.
 */
export * from './error.js';
export * from './geotiff.js';
export * from './hgt.js';
export * from './nodata.js';
export type { PixelWindow } from './window.js';
