/**
 * @module zonal
 * Zonal statistics per polygon (issue 19): geotransforms, polygon rasterization under the
 * centre-inside and all-touched rules, and per-zone count/min/max/mean/std/sum/nodata.
 */
export * from './rasterize.js';
export * from './stats.js';
export * from './transform.js';
