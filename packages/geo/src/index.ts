/**
 * @module @weir/geo
 * Raster and vector kernels for geospatial assets, over typed arrays.
 */
export * from './grid.js';
export * from './hydrology/index.js';
export * from './raster.js';
export * from './zonal/index.js';
