/**
 * What must be true of every raster the pipeline publishes: the CRS it should have, not mostly
 * nodata, values that are physically possible, and a file that is a valid Cloud Optimized GeoTIFF
 * (tiled, overviews, IFDs before the data), so GIS tools can stream it.
 */
import { type GeoRaster, readGeoTiffFile, validateCog } from '@weir/geo';
import { check, type FileArtefact } from 'weir';
import { rasterSummary } from './summary.js';

/** Every DEM of the example is in WGS 84 longitude/latitude. */
export const EXPECTED_EPSG = 4326;
/** The most of a DEM that may be nodata: Luxembourg's outline leaves 45% of its box empty. */
export const MAX_NODATA_FRACTION = 0.5;
/** The lowest and highest ground on Earth, in metres: the Dead Sea shore and Everest. */
export const ELEVATION_RANGE = [-430, 8849] as const;

// The checks of one artefact read it once, whichever check runs first.
const reads = new Map<string, Promise<GeoRaster>>();
function raster(file: FileArtefact): Promise<GeoRaster> {
  let read = reads.get(file.path);
  if (read === undefined) {
    read = readGeoTiffFile(file.path);
    reads.clear();
    reads.set(file.path, read);
  }
  return read;
}

/**
 * The checks of a published raster: a valid COG in the expected CRS; with `range`, values inside
 * it; with `maxNodata`, at most that share of nodata (for inputs: a derivative's nodata follows
 * its DEM's, and a flat sea has no aspect).
 */
export function cogChecks(options: {
  range?: readonly [number, number];
  label?: string;
  maxNodata?: number;
}) {
  const checks = [
    check<FileArtefact>({
      name: 'valid_cog',
      description: 'A valid Cloud Optimized GeoTIFF: tiled, with overviews, IFDs before the data',
      evaluate: (_ctx, file) => {
        const { errors, warnings } = validateCog(file.path);
        return { passed: errors.length === 0, message: [...errors, ...warnings].join('; ') };
      },
    }),
    check<FileArtefact>({
      name: 'crs',
      description: `In EPSG:${EXPECTED_EPSG} (WGS 84)`,
      evaluate: async (_ctx, file) => {
        const epsg = (await raster(file)).crs?.epsg;
        return epsg === EXPECTED_EPSG
          ? true
          : { passed: false, message: `EPSG:${epsg ?? 'none'}, expected EPSG:${EXPECTED_EPSG}` };
      },
    }),
  ];
  const { range, maxNodata } = options;
  if (maxNodata !== undefined) {
    checks.push(
      check<FileArtefact>({
        name: 'nodata_fraction',
        description: `At most ${maxNodata * 100}% nodata`,
        evaluate: async (_ctx, file) => {
          const { nodataFraction } = rasterSummary(await raster(file));
          return {
            passed: nodataFraction <= maxNodata,
            message: `${(nodataFraction * 100).toFixed(2)}% nodata`,
            metadata: { nodataFraction },
          };
        },
      }),
    );
  }
  if (range === undefined) return checks;
  const [lo, hi] = range;
  return [
    ...checks,
    check<FileArtefact>({
      name: 'physical_range',
      description: `${options.label ?? 'Values'} between ${lo} and ${hi}`,
      evaluate: async (_ctx, file) => {
        const { min, max } = rasterSummary(await raster(file));
        const passed = min === null || max === null || (min >= lo && max <= hi);
        return { passed, message: `from ${min} to ${max}`, metadata: { min, max } };
      },
    }),
  ];
}
