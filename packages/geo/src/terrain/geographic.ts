/**
 * @module terrain/geographic
 * Slope on a raster in degrees of longitude and latitude, corrected for latitude. gdaldem has no
 * such mode: its `-s 111120` treats a degree as 111,120 m both ways, so east-west distances are
 * overstated by 1/cos(latitude) (1.47× at 47°) and east-west gradients understated by as much.
 * `slopeGeographic` instead converts each row's pixel size to metres at the latitude of the row's
 * centre, on the WGS 84 ellipsoid (or a sphere when asked), then computes exactly as
 * `gdaldem slope` would on a projected raster with that row's pixel size in metres: each output
 * row equals gdaldem's slope of the same three rows with `-s 1` and that pixel size.
 *
 * Within one 3×3 window the three rows share the centre row's east-west size (the difference
 * across one pixel is far below the DEM's precision). Elevations must be in metres. Near a pole
 * the east-west size tends to 0 and the slope to 90°.
 */
import type { GeoRaster } from '../raster.js';
import { numberOf, resolutionOf, type TerrainLayout } from './options.js';
import { resultGrid } from './result.js';
import { type SlopeOptions, slopeProduct, slopeSetup, windowWeight } from './slope.js';
import { TerrainStream } from './stream.js';

export interface GeographicSlopeOptions extends Omit<SlopeOptions, 'scale'> {
  /**
   * Metres per degree of latitude on a sphere (111120 matches gdaldem's `-s 111120` on the
   * equator); default: the WGS 84 ellipsoid's radii of curvature at each row's latitude.
   */
  readonly metresPerDegree?: number;
}

const KEYS = ['algorithm', 'computeEdges', 'units', 'metresPerDegree'] as const;
const WGS84_A = 6378137;
const WGS84_F = 1 / 298.257223563;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);
const DEG_TO_RAD = Math.PI / 180;

/**
 * Metres per degree of longitude and of latitude at `latitude` (degrees): on the WGS 84
 * ellipsoid (prime-vertical and meridian radii of curvature), or on a sphere with
 * `metresPerDegree` metres per degree of latitude.
 */
export function metresPerDegreeAt(
  latitude: number,
  metresPerDegree?: number,
): { readonly east: number; readonly north: number } {
  const phi = latitude * DEG_TO_RAD;
  const cos = Math.cos(phi);
  if (metresPerDegree !== undefined) return { east: metresPerDegree * cos, north: metresPerDegree };
  const sin = Math.sin(phi);
  const w2 = 1 - WGS84_E2 * sin * sin;
  const n = WGS84_A / Math.sqrt(w2);
  const m = (WGS84_A * (1 - WGS84_E2)) / (w2 * Math.sqrt(w2));
  return { east: n * cos * DEG_TO_RAD, north: m * DEG_TO_RAD };
}

function createGeographicStream(
  layout: TerrainLayout,
  options: GeographicSlopeOptions,
  what: string,
): TerrainStream<Float32Array> {
  const s = slopeSetup(options, what, KEYS);
  const perDegree =
    options.metresPerDegree === undefined
      ? undefined
      : numberOf(options.metresPerDegree, 0, 'metresPerDegree', what, true);
  const t = layout.transform;
  if (t === undefined) {
    throw new TypeError(
      `${what}: needs the raster's transform (degrees of longitude and latitude)`,
    );
  }
  const { ew, ns } = resolutionOf(layout, what);
  const first = t.originY + 0.5 * ns;
  const last = t.originY + (layout.height - 0.5) * ns;
  if (layout.height > 0 && !(Math.abs(first) <= 90 && Math.abs(last) <= 90)) {
    throw new RangeError(
      `${what}: row latitudes run from ${first} to ${last}, beyond ±90: is the transform in degrees?`,
    );
  }
  const cellSize: [number, number] = [0, 0];
  const product = slopeProduct(s.percent, windowWeight(s.algorithm), (row) => {
    const { east, north } = metresPerDegreeAt(t.originY + (row + 0.5) * ns, perDegree);
    cellSize[0] = ew * east;
    cellSize[1] = ns * north;
    return cellSize;
  });
  return new TerrainStream(layout, s.algorithm, s.computeEdges, product, what);
}

/** A latitude-corrected slope fed strip by strip (see `TerrainStream`); the layout needs its transform. */
export function slopeGeographicStream(
  layout: TerrainLayout,
  options: GeographicSlopeOptions = {},
): TerrainStream<Float32Array> {
  return createGeographicStream(layout, options, 'slopeGeographicStream');
}

/**
 * The slope of a DEM in geographic coordinates (degrees), each row's pixel size converted to
 * metres at its latitude (see the module): not a gdaldem mode; gdaldem's nearest is `slope(dem,
 * { scale: 111120 })`, which ignores the convergence of meridians.
 */
export function slopeGeographic(
  raster: GeoRaster,
  options: GeographicSlopeOptions = {},
): GeoRaster<Float32Array> {
  if (raster.crs?.geographic === false) {
    throw new RangeError('slopeGeographic: the raster has a projected CRS; use slope()');
  }
  const stream = createGeographicStream(raster, options, 'slopeGeographic');
  return resultGrid(raster, stream.whole(raster.values), stream.nodata) as GeoRaster<Float32Array>;
}
