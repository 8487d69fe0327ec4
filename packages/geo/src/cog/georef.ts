/**
 * @module cog/georef
 * The GeoTIFF tags of the full-resolution IFD: where the raster lies and in which CRS.
 *
 * - North-up rasters (positive pixel width, negative pixel height) get ModelPixelScale and
 *   ModelTiepoint, as GDAL writes them: pixel (0, 0) tied to the transform's origin, so nothing
 *   moves. Any other axis-aligned transform gets ModelTransformation.
 * - `rasterType: 'point'` declares PixelIsPoint and ties the centre of pixel (0, 0), as GDAL does
 *   (`origin + size / 2`); GDAL reading the file subtracts the half pixel again. Where that sum
 *   does not come back to the origin bit for bit, the tiepoint is moved by an ulp so that it does.
 * - The CRS is written by EPSG code: GeographicTypeGeoKey or ProjectedCSTypeGeoKey with
 *   GTModelTypeGeoKey. Geographic is `crs.geographic` when given, else read from the WKT's first
 *   keyword, else EPSG 4000–4999 (the EPSG block of geographic 2D CRSs).
 */
import type { Crs } from '../raster.js';
import type { GeoTransform } from '../zonal/transform.js';
import type { Tag } from './tiff.js';

const MODEL_PIXEL_SCALE = 33550;
const MODEL_TIEPOINT = 33922;
const MODEL_TRANSFORMATION = 34264;
const GEO_KEY_DIRECTORY = 34735;

const GT_MODEL_TYPE = 1024;
const GT_RASTER_TYPE = 1025;
const GEOGRAPHIC_TYPE = 2048;
const PROJECTED_CS_TYPE = 3072;

/** The georeferencing tags (throws on a CRS it cannot write). */
export function georeferencingTags(
  transform: GeoTransform,
  crs: Crs | undefined,
  rasterType: 'area' | 'point' | undefined,
): Tag[] {
  const { pixelWidth, pixelHeight } = transform;
  const point = rasterType === 'point';
  const x = point ? pointTie(transform.originX, pixelWidth) : transform.originX;
  const y = point ? pointTie(transform.originY, pixelHeight) : transform.originY;
  const tags: Tag[] =
    pixelWidth > 0 && pixelHeight < 0
      ? [
          { code: MODEL_PIXEL_SCALE, type: 'double', values: [pixelWidth, -pixelHeight, 0] },
          { code: MODEL_TIEPOINT, type: 'double', values: [0, 0, 0, x, y, 0] },
        ]
      : [
          {
            code: MODEL_TRANSFORMATION,
            type: 'double',
            values: [pixelWidth, 0, 0, x, 0, pixelHeight, 0, y, 0, 0, 0, 0, 0, 0, 0, 1],
          },
        ];
  const keys: number[][] = [];
  if (crs !== undefined) {
    const epsg = crsCode(crs);
    const geographic = isGeographic(crs, epsg);
    keys.push([GT_MODEL_TYPE, 0, 1, geographic ? 2 : 1]);
    keys.push([GT_RASTER_TYPE, 0, 1, point ? 2 : 1]);
    keys.push([geographic ? GEOGRAPHIC_TYPE : PROJECTED_CS_TYPE, 0, 1, epsg]);
  } else {
    keys.push([GT_RASTER_TYPE, 0, 1, point ? 2 : 1]);
  }
  tags.push({
    code: GEO_KEY_DIRECTORY,
    type: 'short',
    values: [1, 1, 0, keys.length, ...keys.flat()],
  });
  return tags;
}

function crsCode(crs: Crs): number {
  const { epsg } = crs;
  if (epsg === undefined) {
    throw new RangeError(
      'the CRS has no EPSG code: this writer stores a CRS by its EPSG code (GeoKeys); give crs.epsg, or leave crs out to write no CRS',
    );
  }
  if (!Number.isInteger(epsg) || epsg < 1 || epsg > 32766) {
    throw new RangeError(
      `crs.epsg must be an EPSG code from 1 to 32766 (a GeoKey is a 16-bit value below the user-defined 32767), got ${epsg}`,
    );
  }
  return epsg;
}

function isGeographic(crs: Crs, epsg: number): boolean {
  if (crs.geographic !== undefined) return crs.geographic;
  const keyword = crs.wkt
    ?.trimStart()
    .match(/^[A-Z_]+/i)?.[0]
    .toUpperCase();
  if (keyword !== undefined) return ['GEOGCS', 'GEOGCRS', 'GEOGRAPHICCRS'].includes(keyword);
  return epsg >= 4000 && epsg < 5000;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function ulpStep(x: number, steps: number): number {
  if (x === 0) return steps * Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = u64[0]! + BigInt(x > 0 ? steps : -steps);
  return f64[0]!;
}

/** GDAL's PixelIsPoint tiepoint for an origin, nudged so GDAL's reading gives the origin back. */
export function pointTie(origin: number, size: number): number {
  const half = size * 0.5;
  const tie = origin + half;
  if (tie - half === origin) return tie;
  for (const steps of [1, -1, 2, -2]) {
    const candidate = ulpStep(tie, steps);
    if (candidate - half === origin) return candidate;
  }
  return tie;
}
