/**
 * @module hydrology
 * Hydrology on a DEM as pure functions over `Grid`s: depression filling (Priority-Flood),
 * D8 flow directions (ESRI codes), flow accumulation, catchments and streams. A typical chain:
 *
 * ```ts
 * const dirs = flowDirection(fillDepressions(dem, { epsilon: true }));
 * const acc = flowAccumulation(dirs);
 * const basin = catchment(dirs, snapPourPoint(acc, gauge, 3));
 * const network = streams(acc, 1000);
 * ```
 */
export * from './accumulation.js';
export * from './basins.js';
export * from './catchment.js';
export {
  D8_CODES,
  D8_DCOL,
  D8_DROW,
  dataMask,
  directionIndex,
  downstream,
  flowDirection,
  NO_FLOW,
  NODATA_DIRECTION,
} from './d8.js';
export * from './fill.js';
