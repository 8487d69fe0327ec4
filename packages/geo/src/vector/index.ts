/**
 * @module vector
 * Reading polygons (issue 19): shapefiles (`readShapefile`) and GeoJSON (`readGeoJson`) as features
 * whose geometry `zonalStatistics` takes, with their attributes and CRS.
 */
export * from './geojson.js';
export * from './shapefile.js';
export * from './types.js';
export { crsFromWkt } from './wkt.js';
