// GDAL's own tools, the reference the geospatial tests compare with (.ci/run installs Debian's
// gdal-bin and python3-gdal). Without them the comparison suites are skipped, saying why.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

export const COG_VALIDATOR =
  '/usr/share/doc/python3-gdal/examples/validate_cloud_optimized_geotiff.py';

/** Whether `command` runs and prints GDAL's version (gdaldem exits 1 even after printing it). */
function found(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'pipe' });
    return true;
  } catch (error) {
    return /GDAL \d/.test(String((error as { stdout?: unknown }).stdout ?? ''));
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

// ---- Added for the COG writer's tests (packages/geo/test/cog*.test.ts) ----

/** GDAL's environment for the tests: never write `.aux.xml` files beside the inputs. */
const QUIET_ENV = { ...process.env, GDAL_PAM_ENABLED: 'NO', CPL_LOG: '/dev/null' };

/** Runs a GDAL command with `GDAL_PAM_ENABLED=NO`, returning its stdout. */
export function gdalQuiet(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: QUIET_ENV });
}

/**
 * True when what the COG writer's tests compare with is absent: gdalinfo, gdal_translate, GDAL's
 * Python bindings and its COG validator.
 */
export const noGdalForCog = noGdalForReading || !existsSync(COG_VALIDATOR);

/** A suite title that says why it is skipped when `noGdalForCog`. */
export function gdalCogTitle(name: string): string {
  return noGdalForCog
    ? `${name} (skipped: GDAL, its Python bindings or its COG validator not installed; apt-get install -y gdal-bin python3-gdal)`
    : name;
}

/** GDAL's COG validator with `--full-check=yes`: its output and whether it says the file is valid. */
export function validateCogFile(path: string): { valid: boolean; output: string } {
  try {
    const output = execFileSync(GDAL_PYTHON, [COG_VALIDATOR, '--full-check=yes', path], {
      encoding: 'utf8',
      env: QUIET_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { valid: output.includes('is a valid cloud optimized GeoTIFF'), output: output.trim() };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { valid: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() };
  }
}

const ENVI_TYPES: Record<number, string> = {
  1: 'uint8',
  2: 'int16',
  3: 'int32',
  4: 'float32',
  5: 'float64',
  12: 'uint16',
};

/** A band as GDAL reads it (an overview with `overview`), through `gdal_translate -of ENVI`. */
export function gdalPixels(
  path: string,
  dir: string,
  overview?: number,
): {
  width: number;
  height: number;
  type: string;
  values: Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array | Float64Array;
} {
  const out = `${dir}/gdal-pixels-${process.pid}-${Math.random().toString(36).slice(2)}.bil`;
  const args = [
    '-q',
    '-of',
    'ENVI',
    ...(overview === undefined ? [] : ['-oo', `OVERVIEW_LEVEL=${overview}`]),
    path,
    out,
  ];
  gdalQuiet('gdal_translate', args);
  const hdr = readFileSync(out.replace(/\.bil$/, '.hdr'), 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}\\s*=\\s*(\\d+)`, 'm').exec(hdr)?.[1]);
  const type = ENVI_TYPES[field('data type')] ?? `ENVI type ${field('data type')}`;
  const bytes = readFileSync(out);
  const width = field('samples');
  const height = field('lines');
  const size = { uint8: 1, int16: 2, uint16: 2, int32: 4, float32: 4, float64: 8 }[type] ?? 1;
  // GDAL's ENVI writer pads a one-byte file to two: keep the samples only.
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + width * height * size);
  const values =
    type === 'uint8'
      ? new Uint8Array(buffer)
      : type === 'int16'
        ? new Int16Array(buffer)
        : type === 'uint16'
          ? new Uint16Array(buffer)
          : type === 'int32'
            ? new Int32Array(buffer)
            : type === 'float32'
              ? new Float32Array(buffer)
              : new Float64Array(buffer);
  for (const f of [out, out.replace(/\.bil$/, '.hdr'), `${out}.aux.xml`])
    rmSync(f, { force: true });
  return { width, height, type, values };
}
