/**
 * @module read/georef
 * Where a GeoTIFF lies, computed as GDAL computes it (not as geotiff.js does, which ignores
 * PixelIsPoint):
 *
 * - ModelPixelScale + ModelTiepoint win over ModelTransformation; only the first tiepoint is
 *   used; the y pixel size is `-|ScaleY|` (GDAL's default reading of a negative ScaleY);
 * - otherwise the 4 × 4 ModelTransformation gives the six numbers; a rotation or shear is refused;
 * - several tiepoints without a scale are ground control points, refused (warp first);
 * - PixelIsPoint (GTRasterTypeGeoKey 1025 = 2) moves the origin half a cell up and left,
 *   `gt0 -= gt1·0.5 + gt2·0.5`, `gt3 -= gt4·0.5 + gt5·0.5`, exactly as GDAL does by default, so
 *   the transform is always corner-based.
 *
 * The CRS is the EPSG code in ProjectedCSTypeGeoKey (3072) or GeographicTypeGeoKey (2048);
 * 32767 ("user-defined") gives no code.
 */
import type { Crs } from '../raster.js';
import { type GeoTransform, geoTransformFromGdal } from '../zonal/transform.js';
import { GeoReadError } from './error.js';
import type { GeoKeys, TiffDirectory } from './tiff.js';

const USER_DEFINED = 32767;
const MODEL_PROJECTED = 1;
const MODEL_GEOGRAPHIC = 2;
const RASTER_PIXEL_IS_POINT = 2;

/** The corner-based transform of a GeoTIFF's image and how the file declared its raster space. */
export function georeference(
  dir: TiffDirectory,
  file: string,
): { transform: GeoTransform; rasterType: 'area' | 'point' } {
  const gt = sixNumbers(dir, file);
  const rasterType = dir.geoKeys.rasterType === RASTER_PIXEL_IS_POINT ? 'point' : 'area';
  if (rasterType === 'point') {
    gt[0] -= gt[1] * 0.5 + gt[2] * 0.5;
    gt[3] -= gt[4] * 0.5 + gt[5] * 0.5;
  }
  try {
    return { transform: geoTransformFromGdal(gt), rasterType };
  } catch (error) {
    throw new GeoReadError(file, (error as Error).message, { cause: error });
  }
}

type Six = [number, number, number, number, number, number];

function sixNumbers(dir: TiffDirectory, file: string): Six {
  const scale = dir.modelPixelScale;
  const tie = dir.modelTiepoint;
  if (scale && scale.length >= 2 && scale[0] !== 0 && scale[1] !== 0 && tie && tie.length >= 6) {
    const gt: Six = [0, scale[0]!, 0, 0, 0, -Math.abs(scale[1]!)];
    gt[0] = tie[3]! - tie[0]! * gt[1];
    gt[3] = tie[4]! - tie[1]! * gt[5];
    return gt;
  }
  const m = dir.modelTransformation;
  if (m && m.length === 16) {
    if (m[1] !== 0 || m[4] !== 0) {
      throw new GeoReadError(
        file,
        `its ModelTransformation is rotated or sheared (terms ${m[1]}, ${m[4]}): only north-up (axis-aligned) rasters are read; warp it with gdalwarp first`,
      );
    }
    return [m[3]!, m[0]!, m[1]!, m[7]!, m[4]!, m[5]!];
  }
  if (tie && tie.length >= 6) {
    throw new GeoReadError(
      file,
      `it is georeferenced by ${Math.floor(tie.length / 6)} ground control points (tiepoints without a pixel scale), which are not read; warp it to a geotransform with gdalwarp first`,
    );
  }
  throw new GeoReadError(
    file,
    'it has no georeferencing (no ModelPixelScale + ModelTiepoint, nor ModelTransformation tag)',
  );
}

/** The CRS the GeoKeys declare, if any. */
export function crsOf(keys: GeoKeys): Crs | undefined {
  const projected =
    keys.modelType === MODEL_PROJECTED ||
    (keys.modelType === undefined && keys.projectedType !== undefined);
  const geographic =
    keys.modelType === MODEL_GEOGRAPHIC ||
    (keys.modelType === undefined && !projected && keys.geographicType !== undefined);
  const code = projected ? keys.projectedType : geographic ? keys.geographicType : undefined;
  const epsg = code !== undefined && code > 0 && code !== USER_DEFINED ? code : undefined;
  if (!projected && !geographic) return undefined;
  return epsg === undefined ? { geographic } : { epsg, geographic };
}
