// gdaldem as the terrain tests' reference: writes a grid as a raw band behind a VRT (type,
// geotransform, nodata and CRS exactly as given), runs gdaldem on it with ENVI output, and reads
// the cells back. Suites skip, saying why, when gdaldem or gdal_translate is absent.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ElevationArray, Grid } from '../src/index.js';

function present(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // gdaldem 3.6 prints its usage and exits 1 for --version; only a missing binary counts.
    return (error as { code?: string }).code !== 'ENOENT';
  }
}

/** True when gdaldem or gdal_translate is not installed. */
export const noGdaldem = !(present('gdaldem') && present('gdal_translate'));

/** A suite title that says why it is skipped when gdaldem is absent. */
export function gdaldemTitle(name: string): string {
  return noGdaldem ? `${name} (skipped: GDAL not installed; apt-get install -y gdal-bin)` : name;
}

const run = promisify(execFile);

const VRT_TYPES: ReadonlyArray<readonly [new (n: number) => ElevationArray, string]> = [
  [Float32Array, 'Float32'],
  [Float64Array, 'Float64'],
  [Int16Array, 'Int16'],
  [Int32Array, 'Int32'],
  [Uint8Array, 'Byte'],
  [Uint16Array, 'UInt16'],
];

/** A gdaldem output band. */
export interface GdaldemOutput {
  readonly values: Float32Array | Uint8Array;
  /** The nodata the output declares (ENVI `data ignore value`), or undefined. */
  readonly nodata: number | undefined;
}

/** Where a test's inputs and gdaldem's outputs go; `dispose()` removes it. */
export class GdalScratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'weir-terrain-'));
  #n = 0;

  /**
   * A VRT over `grid`'s cells: its array type, nodata (`'nan'` for NaN) and geotransform — the
   * six numbers given, else north-up from `cellSize` (1 × 1 without).
   */
  input(grid: Grid, geotransform?: readonly number[], srs?: string): string {
    const id = `in${this.#n++}`;
    const type = VRT_TYPES.find(([ctor]) => grid.values instanceof ctor)?.[1];
    if (type === undefined) throw new TypeError('unsupported array type');
    const v = grid.values;
    writeFileSync(
      join(this.dir, `${id}.raw`),
      new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
    );
    const gt = geotransform ?? [0, grid.cellSize?.x ?? 1, 0, 0, 0, -(grid.cellSize?.y ?? 1)];
    const nodata =
      grid.nodata === undefined
        ? ''
        : `<NoDataValue>${Number.isNaN(grid.nodata) ? 'nan' : String(grid.nodata)}</NoDataValue>`;
    const size = v.BYTES_PER_ELEMENT;
    writeFileSync(
      join(this.dir, `${id}.vrt`),
      `<VRTDataset rasterXSize="${grid.width}" rasterYSize="${grid.height}">` +
        (srs ? `<SRS>${srs}</SRS>` : '') +
        `<GeoTransform>${gt.map((x) => x.toPrecision(17)).join(', ')}</GeoTransform>` +
        `<VRTRasterBand dataType="${type}" band="1" subClass="VRTRawRasterBand">${nodata}` +
        `<SourceFilename relativetoVRT="1">${id}.raw</SourceFilename><ImageOffset>0</ImageOffset>` +
        `<PixelOffset>${size}</PixelOffset><LineOffset>${size * grid.width}</LineOffset>` +
        '<ByteOrder>LSB</ByteOrder></VRTRasterBand></VRTDataset>',
    );
    return join(this.dir, `${id}.vrt`);
  }

  /** `gdaldem MODE input out -of ENVI ARGS…`, read back. */
  async gdaldem(
    mode: 'slope' | 'aspect' | 'hillshade',
    input: string,
    args: readonly string[] = [],
  ): Promise<GdaldemOutput> {
    const out = join(this.dir, `out${this.#n++}`);
    await run('gdaldem', [mode, input, out, '-of', 'ENVI', '-q', ...args], {
      env: { ...process.env, GDAL_PAM_ENABLED: 'NO' },
    });
    const band = readEnvi(out);
    rmSync(out, { force: true });
    rmSync(`${out}.hdr`, { force: true });
    return { values: band.values as Float32Array | Uint8Array, nodata: band.nodata };
  }

  /** A raster file's first band as a `Grid` with its geotransform (via `gdal_translate -of ENVI`). */
  read(path: string, type?: 'Float32' | 'Float64'): { grid: Grid; geotransform: number[] } {
    const out = join(this.dir, `read${this.#n++}`);
    execFileSync(
      'gdal_translate',
      ['-q', '-of', 'ENVI', ...(type ? ['-ot', type] : []), path, out],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, GDAL_PAM_ENABLED: 'NO' },
      },
    );
    const band = readEnvi(out);
    rmSync(out, { force: true });
    rmSync(`${out}.hdr`, { force: true });
    const info = JSON.parse(execFileSync('gdalinfo', ['-json', path], { encoding: 'utf8' })) as {
      geoTransform?: number[];
    };
    return {
      grid: {
        width: band.width,
        height: band.height,
        values: band.values,
        ...(band.nodata === undefined ? {} : { nodata: band.nodata }),
      },
      geotransform: info.geoTransform ?? [0, 1, 0, 0, 0, 1],
    };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const ENVI_ARRAYS: Record<number, (b: ArrayBuffer) => ElevationArray> = {
  1: (b) => new Uint8Array(b),
  2: (b) => new Int16Array(b),
  3: (b) => new Int32Array(b),
  4: (b) => new Float32Array(b),
  5: (b) => new Float64Array(b),
  12: (b) => new Uint16Array(b),
};

function readEnvi(path: string): {
  width: number;
  height: number;
  values: ElevationArray;
  nodata: number | undefined;
} {
  const hdr = readFileSync(`${path}.hdr`, 'utf8');
  const field = (name: string) => new RegExp(`^${name}\\s*=\\s*(.+)$`, 'm').exec(hdr)?.[1]?.trim();
  const bytes = readFileSync(path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const make = ENVI_ARRAYS[Number(field('data type'))];
  if (make === undefined) throw new Error(`unexpected ENVI data type ${field('data type')}`);
  const ignore = field('data ignore value');
  const width = Number(field('samples'));
  const height = Number(field('lines'));
  return {
    width,
    height,
    // GDAL's ENVI writer pads a 1-byte file to 2 bytes.
    values: make(buffer).subarray(0, width * height),
    nodata: ignore === undefined ? undefined : Number(ignore),
  };
}
