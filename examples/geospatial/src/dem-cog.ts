/**
 * `geo/dem_cog`: each DEM as a Cloud Optimized GeoTIFF (512-pixel tiles, overviews, DEFLATE with
 * the horizontal predictor), every pixel, the nodata value, the CRS and the georeferencing as in
 * the input; what GIS tools stream over HTTP and what the terrain steps read.
 */
import { writeCog } from '@weir/geo';
import { asset } from 'weir';
import { cogChecks, ELEVATION_RANGE, MAX_NODATA_FRACTION } from './checks.js';
import { demFileOf, RASTER_STEP } from './paths.js';
import { readDem } from './read-dem.js';
import { demFile } from './sources.js';
import { rasterSummary } from './summary.js';

export const demCog = asset({
  key: 'geo/dem_cog',
  ...RASTER_STEP,
  description: 'Each DEM as a Cloud Optimized GeoTIFF, pixel for pixel',
  ins: { dem: demFile },
  checks: cogChecks({
    range: ELEVATION_RANGE,
    label: 'Elevations (m)',
    maxNodata: MAX_NODATA_FRACTION,
  }),
  materialize: async (ctx) => {
    const dem = await readDem(demFileOf(ctx.partition.key));
    const written = await writeCog(dem, ctx.outputPath);
    ctx.addMetadata({ ...rasterSummary(dem), levels: written.levels.length, bytes: written.bytes });
  },
});
