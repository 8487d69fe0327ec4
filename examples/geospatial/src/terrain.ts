/**
 * `geo/slope`, `geo/aspect` and `geo/hillshade`: terrain derivatives of each DEM COG, computed as
 * `gdaldem` computes them (Horn's method) and published as COGs. The DEMs are in degrees of
 * longitude and latitude: slope uses the latitude-corrected metres per degree (gdaldem's
 * `-s 111120` would stretch east-west distances by 1/cos(latitude)); hillshade uses gdaldem's
 * `-s 111120` as GIS users expect of a shaded relief.
 */
import { aspect, hillshade, readGeoTiffFile, slopeGeographic, writeCog } from '@weir/geo';
import { asset } from 'weir';
import { cogChecks } from './checks.js';
import { demCog } from './dem-cog.js';
import { RASTER_STEP } from './paths.js';
import { rasterSummary } from './summary.js';

/** gdaldem's scale for a DEM in degrees with elevations in metres. */
const METRES_PER_DEGREE = 111120;

export const slopeCog = asset({
  key: 'geo/slope',
  ...RASTER_STEP,
  description: 'Slope in degrees (Horn), latitude-corrected for the geographic DEMs',
  ins: { dem: demCog },
  checks: cogChecks({ range: [0, 90], label: 'Slopes (degrees)' }),
  materialize: async (ctx, { dem }) => {
    const out = slopeGeographic(await readGeoTiffFile(dem.path), { units: 'degrees' });
    await writeCog(out, ctx.outputPath);
    ctx.addMetadata(rasterSummary(out));
  },
});

export const aspectCog = asset({
  key: 'geo/aspect',
  ...RASTER_STEP,
  description: 'Aspect in degrees clockwise from north (Horn), as gdaldem aspect',
  ins: { dem: demCog },
  checks: cogChecks({ range: [0, 360], label: 'Aspects (degrees)' }),
  materialize: async (ctx, { dem }) => {
    const out = aspect(await readGeoTiffFile(dem.path));
    await writeCog(out, ctx.outputPath);
    ctx.addMetadata(rasterSummary(out));
  },
});

export const hillshadeCog = asset({
  key: 'geo/hillshade',
  ...RASTER_STEP,
  description: 'Shaded relief (sun from the north-west at 45°), as gdaldem hillshade -s 111120',
  ins: { dem: demCog },
  checks: cogChecks({}),
  materialize: async (ctx, { dem }) => {
    const out = hillshade(await readGeoTiffFile(dem.path), { scale: METRES_PER_DEGREE });
    await writeCog(out, ctx.outputPath);
    ctx.addMetadata(rasterSummary(out));
  },
});
