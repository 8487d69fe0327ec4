/**
 * @module @weir/geo
 * Raster and vector kernels for geospatial assets, over typed arrays.
 */
export * from './cog/index.js';
export * from './grid.js';
export * from './hydrology/index.js';
export * from './raster.js';
export * from './read/index.js';
export * from './terrain/index.js';
export * from './vector/index.js';
export * from './vectorize/index.js';
export * from './zonal/index.js';
