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

/** The Python with GDAL's bindings (Debian's python3-gdal), for exact figures gdalinfo rounds. */
export const GDAL_PYTHON = '/usr/bin/python3';

/** True when GDAL's Python bindings are not importable by `GDAL_PYTHON`. */
export const noGdalPython = (() => {
  try {
    execFileSync(GDAL_PYTHON, ['-c', 'from osgeo import gdal'], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
})();

/** What GDAL (its Python bindings) says of a raster, every number to the last bit. */
export interface GdalFacts {
  size: [number, number];
  bands: number;
  /** `GetGeoTransform()`, or null when the dataset has none. */
  geoTransform: number[] | null;
  /** Band 1's nodata, as `repr` prints it (`'nan'`, `'-32768.0'`), or null. */
  nodata: string | null;
  epsg: number | null;
  geographic: boolean;
  areaOrPoint: string | null;
  /** Band 1's data type name (`'Int16'`, `'Float32'`, …). */
  type: string;
}

const FACTS = `
import json, sys
from osgeo import gdal, osr
gdal.UseExceptions()
ds = gdal.Open(sys.argv[1])
b = ds.GetRasterBand(1)
gt = ds.GetGeoTransform(can_return_null=True)
srs = ds.GetSpatialRef()
code = srs.GetAuthorityCode(None) if srs is not None else None
nd = b.GetNoDataValue()
print(json.dumps({
  'size': [ds.RasterXSize, ds.RasterYSize], 'bands': ds.RasterCount,
  'geoTransform': list(gt) if gt is not None else None,
  'nodata': None if nd is None else repr(nd),
  'epsg': int(code) if code is not None else None,
  'geographic': bool(srs is not None and srs.IsGeographic()),
  'areaOrPoint': ds.GetMetadataItem('AREA_OR_POINT'),
  'type': gdal.GetDataTypeName(b.DataType)}))
`;

/** `GdalFacts` of a file (run through `GDAL_PYTHON`). */
export function gdalFacts(path: string): GdalFacts {
  return JSON.parse(
    execFileSync(GDAL_PYTHON, ['-c', FACTS, path], { encoding: 'utf8' }),
  ) as GdalFacts;
}

/**
 * True when what the reader tests compare with is absent: gdalinfo, gdal_translate and GDAL's
 * Python bindings. (`noGdal` also needs gdaldem, whose `--version` exits 1 in GDAL 3.6.)
 */
export const noGdalForReading = !(found('gdalinfo') && found('gdal_translate')) || noGdalPython;

/** A suite title that says why it is skipped when `noGdalForReading`. */
export function gdalReadTitle(name: string): string {
  return noGdalForReading
    ? `${name} (skipped: GDAL or its Python bindings not installed; apt-get install -y gdal-bin python3-gdal)`
    : name;
}
