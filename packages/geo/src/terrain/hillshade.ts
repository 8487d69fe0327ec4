/**
 * @module terrain/hillshade
 * Shaded relief as `gdaldem hillshade` (GDAL 3.6) computes it: Byte cells 1–255, 0 for no data
 * (the output's nodata), in four variants as gdaldem has them —
 *
 * - `'standard'`: the cosine of the angle between the surface normal and a light at `azimuth`
 *   (degrees clockwise from north, default 315) and `altitude` (degrees above the horizon, default
 *   45), as `1 + 254 · cos`, 1 in shadow;
 * - `'combined'` (`-combined`): that angle weighted by the slope, so flat ground is white;
 * - `'multidirectional'` (`-multidirectional`): lights at 225°, 270°, 315° and 360°, each weighted
 *   by the cell's aspect (USGS, Mark 1992), with `altitude`; no azimuth;
 * - `'igor'` (`-igor`): Igor Tanasov's slope-and-aspect shading, lighter where the slope is gentle
 *   or faces the light; no altitude, and 0 (the nodata value) is a possible shade, as in gdaldem.
 *
 * The gradient is divided by the cell size with its sign (the transform's gt[5] is negative on a
 * north-up raster; a grid with only `cellSize` is taken as north-up) and multiplied by
 * `zFactor / scale`. Floats become bytes as GDAL converts them: `⌊float32(v) + 0.5⌋`, clamped.
 *
 * Tolerance: gdaldem divides by `√(1 + slope²)` with an SSE reciprocal-square-root estimate and
 * one Newton step, a hair below the exact quotient (relative 0 to 1.6·10⁻⁷, hardware-dependent);
 * here the division is exact. A cell whose shade lies within that hair above a .5 rounding
 * boundary can come out 1 higher than gdaldem's; every other cell is equal (see the README for
 * the counts measured).
 */

import type { Grid } from '../grid.js';
import type { GeoRaster } from '../raster.js';
import { atan, atan2 } from './atan.js';
import type { Gradients } from './gradient.js';
import {
  algorithmOf,
  checkKeys,
  flagOf,
  numberOf,
  resolutionOf,
  type TerrainLayout,
  type TerrainOptions,
} from './options.js';
import { resultGrid } from './result.js';
import { windowWeight } from './slope.js';
import { type TerrainProduct, TerrainStream } from './stream.js';

/** The nodata of a hillshade (gdaldem writes 0). */
export const HILLSHADE_NODATA = 0;

/** gdaldem's hillshade variants (see the module). */
export type HillshadeVariant = 'standard' | 'combined' | 'multidirectional' | 'igor';

export interface HillshadeOptions extends TerrainOptions {
  /** Default `'standard'`. */
  readonly variant?: HillshadeVariant;
  /** Degrees clockwise from north the light comes from (gdaldem `-az`); default 315. */
  readonly azimuth?: number;
  /** Degrees above the horizon (gdaldem `-alt`); default 45. */
  readonly altitude?: number;
  /** Vertical exaggeration (gdaldem `-z`); default 1. */
  readonly zFactor?: number;
  /** Vertical units per horizontal unit (gdaldem `-s`); default 1. */
  readonly scale?: number;
}

const KEYS = [
  'algorithm',
  'computeEdges',
  'variant',
  'azimuth',
  'altitude',
  'zFactor',
  'scale',
] as const;
const VARIANTS: readonly HillshadeVariant[] = ['standard', 'combined', 'multidirectional', 'igor'];
const DEG_TO_RAD = Math.PI / 180;
const fr = Math.fround;

/** A shade as GDAL stores a float in a Byte band: ⌊float32(v) + 0.5⌋ in float32, clamped. */
function toByte(v: number): number {
  const s = fr(fr(v) + 0.5);
  return s >= 255 ? 255 : s >= 1 ? s | 0 : 0;
}

/** One cell's shade (before the Byte conversion) from its scaled gradient `x`, `y`. */
type Shade = (x: number, y: number, g: Gradients, j: number) => number;

interface ShadeSetup {
  readonly variant: HillshadeVariant;
  readonly azimuth: number;
  readonly altitude: number;
  /** zFactor / (window weight × scale). */
  readonly z: number;
}

function standardShade({ azimuth, altitude, z }: ShadeSetup): Shade {
  const az = azimuth * DEG_TO_RAD;
  const alt = altitude * DEG_TO_RAD;
  const sinAlt254 = 254 * Math.sin(alt);
  const cosAltZ = Math.cos(alt) * z;
  const cosAz254 = 254 * Math.cos(az) * cosAltZ;
  const sinAz254 = 254 * Math.sin(az) * cosAltZ;
  const z2 = z * z;
  return (x, y) => {
    const c = (sinAlt254 - (y * cosAz254 - x * sinAz254)) / Math.sqrt(1 + z2 * (x * x + y * y));
    return c <= 0 ? 1 : 1 + c;
  };
}

function combinedShade({ azimuth, altitude, z }: ShadeSetup): Shade {
  const az = azimuth * DEG_TO_RAD;
  const alt = altitude * DEG_TO_RAD;
  const sinAlt = Math.sin(alt);
  const cosAltZ = Math.cos(alt) * z;
  const cosAz = Math.cos(az) * cosAltZ;
  const sinAz = Math.sin(az) * cosAltZ;
  const z2 = z * z;
  const quarterPiSquared = (Math.PI * Math.PI) / 4;
  return (x, y) => {
    const slope = (x * x + y * y) * z2;
    const cos = (sinAlt - (y * cosAz - x * sinAz)) / Math.sqrt(1 + slope);
    // Rounding can take a cosine a hair past ±1, where acos is NaN; gdaldem's estimate stays inside.
    const angle = Math.acos(Math.min(1, Math.max(-1, cos)));
    const c = 1 - (angle * atan(Math.sqrt(slope))) / quarterPiSquared;
    return c <= 0 ? 1 : 1 + 254 * c;
  };
}

function multidirectionalShade({ altitude, z }: ShadeSetup): Shade {
  const alt = altitude * DEG_TO_RAD;
  const sinAlt = Math.sin(alt);
  const cosAlt = Math.cos(alt);
  const cosAltHalfRoot2 = cosAlt * Math.SQRT1_2;
  const flat = 1 + 254 * sinAlt;
  return (gx, gy) => {
    const x = gx * z;
    const y = gy * z;
    const xx = x * x + y * y;
    if (xx === 0) return flat;
    // The standard shade from 225°, 270°, 315° and 360°, each floored at 0 …
    const s225 = Math.max(0, sinAlt + (y - x) * cosAltHalfRoot2);
    const s270 = Math.max(0, sinAlt - x * cosAlt);
    const s315 = Math.max(0, sinAlt - (x + y) * cosAltHalfRoot2);
    const s360 = Math.max(0, sinAlt - y * cosAlt);
    // … weighted by cos²(aspect − azimuth); the weights add up to 2·xx, hence 127.
    const w225 = 0.5 * xx - x * y;
    const w315 = xx - w225;
    const sum = w225 * s225 + x * x * s270 + w315 * s315 + y * y * s360;
    return 1 + (127 * (sum / xx)) / Math.sqrt(1 + xx);
  };
}

function igorShade({ azimuth, z }: ShadeSetup): Shade {
  const light = normalizeAngle(Math.PI * 1.5 - azimuth * DEG_TO_RAD);
  return (x, y, g, j) => {
    const slopeDegrees = atan(Math.sqrt(x * x + y * y) * z) / DEG_TO_RAD;
    // gdaldem: atan2(dy, −dx) of the raw window gradient (dx = east − west), as for the aspect.
    let diff = Math.abs(normalizeAngle(atan2(g.gy[j]!, g.gx[j]!)) - light);
    if (diff > Math.PI) diff = 2 * Math.PI - diff;
    return 255 * (1 - (slopeDegrees / 90) * (1 - diff / Math.PI));
  };
}

function normalizeAngle(a: number): number {
  const r = a % (2 * Math.PI);
  return r < 0 ? 2 * Math.PI + r : r;
}

const SHADES: Record<HillshadeVariant, (s: ShadeSetup) => Shade> = {
  standard: standardShade,
  combined: combinedShade,
  multidirectional: multidirectionalShade,
  igor: igorShade,
};

function hillshadeProduct(shade: Shade, invEw: number, invNs: number): TerrainProduct<Uint8Array> {
  return {
    nodata: HILLSHADE_NODATA,
    allocate: (n) => new Uint8Array(n),
    writeRow(g, _row, out, offset) {
      const { gx, gy, valid } = g;
      const n = valid.length;
      for (let j = 0; j < n; j++) {
        out[offset + j] =
          valid[j] === 0 ? HILLSHADE_NODATA : toByte(shade(gx[j]! * invEw, gy[j]! * invNs, g, j));
      }
    },
  };
}

function createHillshadeStream(
  layout: TerrainLayout,
  options: HillshadeOptions,
  what: string,
): TerrainStream<Uint8Array> {
  checkKeys(options, KEYS, what);
  const algorithm = algorithmOf(options, what);
  const computeEdges = flagOf(options.computeEdges, 'computeEdges', what);
  const variant = options.variant ?? 'standard';
  if (!VARIANTS.includes(variant)) {
    throw new RangeError(
      `${what}: variant must be one of ${VARIANTS.join(', ')}, got ${String(variant)}`,
    );
  }
  if (variant === 'multidirectional' && options.azimuth !== undefined) {
    throw new RangeError(
      `${what}: the multidirectional variant takes no azimuth (as gdaldem: -multidirectional and -az cannot be used together)`,
    );
  }
  if (variant === 'igor' && options.altitude !== undefined) {
    throw new RangeError(
      `${what}: the igor variant takes no altitude (as gdaldem: -igor and -alt cannot be used together)`,
    );
  }
  const scale = numberOf(options.scale, 1, 'scale', what, true);
  const zFactor = numberOf(options.zFactor, 1, 'zFactor', what);
  const setup: ShadeSetup = {
    variant,
    azimuth: numberOf(options.azimuth, 315, 'azimuth', what),
    altitude: numberOf(options.altitude, 45, 'altitude', what),
    z: zFactor / (windowWeight(algorithm) * scale),
  };
  const { ew, ns } = resolutionOf(layout, what);
  const product = hillshadeProduct(SHADES[variant](setup), 1 / ew, 1 / ns);
  // gdaldem's standard Horn hillshade runs a vectorised path whose sums are float64.
  const float64 = variant === 'standard' && algorithm === 'horn';
  return new TerrainStream(layout, algorithm, computeEdges, product, what, float64);
}

/** A hillshade fed strip by strip (see `TerrainStream`). */
export function hillshadeStream(
  layout: TerrainLayout,
  options: HillshadeOptions = {},
): TerrainStream<Uint8Array> {
  return createHillshadeStream(layout, options, 'hillshadeStream');
}

/** The shaded relief of a DEM, as `gdaldem hillshade` computes it (see the module). */
export function hillshade(grid: GeoRaster, options?: HillshadeOptions): GeoRaster<Uint8Array>;
export function hillshade(grid: Grid, options?: HillshadeOptions): Grid<Uint8Array>;
export function hillshade(
  grid: Grid | GeoRaster,
  options: HillshadeOptions = {},
): Grid<Uint8Array> {
  const stream = createHillshadeStream(grid, options, 'hillshade');
  return resultGrid(grid, stream.whole(grid.values), stream.nodata);
}
