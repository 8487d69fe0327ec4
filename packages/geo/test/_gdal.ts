// GDAL's own tools, the reference the geospatial tests compare with (.ci/run installs Debian's
// gdal-bin and python3-gdal). Without them the comparison suites are skipped, saying why.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const COG_VALIDATOR =
  '/usr/share/doc/python3-gdal/examples/validate_cloud_optimized_geotiff.py';

function found(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when gdalinfo, gdal_translate, gdaldem and GDAL's COG validator are all here. */
export const noGdal = !(
  found('gdalinfo') &&
  found('gdal_translate') &&
  found('gdaldem') &&
  existsSync(COG_VALIDATOR)
);

/** A suite title that says why it is skipped when GDAL is absent. */
export function gdalTitle(name: string): string {
  return noGdal
    ? `${name} (skipped: GDAL not installed; apt-get install -y gdal-bin python3-gdal)`
    : name;
}

/** Runs a GDAL command, returning its stdout; throws with its stderr on failure. */
export function gdal(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** `gdalinfo -json` of a file (with `-checksum` when asked). */
export function gdalinfo(path: string, options: { checksum?: boolean } = {}): GdalInfo {
  const args = ['-json', ...(options.checksum ? ['-checksum'] : []), path];
  return JSON.parse(gdal('gdalinfo', args)) as GdalInfo;
}

/** The parts of `gdalinfo -json` the tests read. */
export interface GdalInfo {
  size: [number, number];
  geoTransform?: number[];
  coordinateSystem?: { wkt: string };
  metadata?: Record<string, Record<string, string>>;
  bands: Array<{
    band: number;
    type: string;
    noDataValue?: number | string;
    checksum?: number;
    block: [number, number];
    overviews?: Array<{ size: [number, number]; checksum?: number }>;
  }>;
}
