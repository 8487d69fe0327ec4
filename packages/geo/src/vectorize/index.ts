/**
 * @module vectorize
 * Raster to vector: the polygons of a mask (catchments, classes) for GIS tools and zonal
 * statistics.
 */
export * from './polygonize.js';
