/**
 * @module read/geotiff
 * `readGeoTiff`: one band of a GeoTIFF (or a window of it) as a `GeoRaster`. Pixels are decoded by
 * geotiff.js (striped or tiled; none, LZW, DEFLATE or PackBits; predictors 1, 2, 3); the
 * georeferencing, nodata and CRS are read here, as GDAL reads them (see `read/georef`).
 */
import { readFile } from 'node:fs/promises';
import type { GeoRaster } from '../raster.js';
import { GeoReadError, messageOf } from './error.js';
import { crsOf, georeference } from './georef.js';
import { parseGdalNodata } from './nodata.js';
import { SAMPLE_TYPES, type SampleType, sampleType } from './sample-type.js';
import { openTiff, type TiffDirectory } from './tiff.js';
import { checkWindow, type PixelWindow, windowTransform } from './window.js';

export interface ReadGeoTiffOptions {
  /** The band to read, 1-based as in GDAL; default 1. */
  readonly band?: number;
  /** Read only these cells; the raster's transform then describes the window. */
  readonly window?: PixelWindow;
  /** The name errors give the bytes (`readGeoTiffFile` gives the path); default `'GeoTIFF'`. */
  readonly name?: string;
  /**
   * The most memory the band (or window) may take, in bytes; default 2 GiB. A header declaring
   * more is refused before anything is allocated or decoded.
   */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 2 ** 31;

/** A GeoTIFF band with the sample type it was stored as. */
export type GeoTiffRaster = GeoRaster & { readonly sampleType: SampleType };

const COMPRESSIONS: Record<number, string> = {
  1: 'none',
  5: 'LZW',
  8: 'DEFLATE',
  32946: 'DEFLATE',
  32773: 'PackBits',
};
const OTHER_COMPRESSIONS: Record<number, string> = {
  6: 'old-style JPEG',
  7: 'JPEG',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'ZSTD',
  50001: 'WEBP',
  50002: 'JPEG-XL',
};

/** One band of the GeoTIFF in `bytes` (see the module and `ReadGeoTiffOptions`). */
export async function readGeoTiff(
  bytes: Uint8Array | ArrayBuffer,
  options: ReadGeoTiffOptions = {},
): Promise<GeoTiffRaster> {
  const file = options.name ?? 'GeoTIFF';
  const buffer = exactBuffer(bytes);
  const { directory: dir, decode } = await openTiff(buffer, file);
  const band = options.band ?? 1;
  if (!Number.isInteger(band) || band < 1 || band > dir.samplesPerPixel) {
    throw new GeoReadError(
      file,
      `band ${band} is out of range: the file has ${dir.samplesPerPixel} band${dir.samplesPerPixel === 1 ? '' : 's'} (1-based)`,
    );
  }
  const type = sampleType(dir.sampleFormat[band - 1]!, dir.bitsPerSample[band - 1]!, file);
  checkCodec(dir, file);
  checkBlocks(dir, buffer.byteLength, file);
  const window = checkWindow(options.window, dir.width, dir.height, file);
  const needed = window.width * window.height * SAMPLE_TYPES[type].BYTES_PER_ELEMENT;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (needed > maxBytes) {
    throw new GeoReadError(
      file,
      `${window.width} × ${window.height} ${type} cells would take ${(needed / 2 ** 30).toFixed(1)} GiB in memory, over the ${(maxBytes / 2 ** 30).toFixed(1)} GiB limit: read a window (options.window) or raise options.maxBytes`,
    );
  }
  const { transform, rasterType } = georeference(dir, file);
  const declared = parseGdalNodata(dir.gdalNodata, file);
  // As the band stores it, as GDAL reports it: a Float32 band holds fround(nodata).
  const nodata = declared !== undefined && type === 'float32' ? Math.fround(declared) : declared;
  const crs = crsOf(dir.geoKeys);
  const decoded = await decode(band - 1, [
    window.col,
    window.row,
    window.col + window.width,
    window.row + window.height,
  ]);
  const values = asSampleArray(decoded, type, window.width * window.height, file);
  return {
    width: window.width,
    height: window.height,
    values,
    ...(nodata === undefined ? {} : { nodata }),
    cellSize: { x: Math.abs(transform.pixelWidth), y: Math.abs(transform.pixelHeight) },
    transform: windowTransform(transform, window),
    ...(crs === undefined ? {} : { crs }),
    rasterType,
    sampleType: type,
  };
}

/** `readGeoTiff` of the file at `path` (errors name the path). */
export async function readGeoTiffFile(
  path: string,
  options: Omit<ReadGeoTiffOptions, 'name'> = {},
): Promise<GeoTiffRaster> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new GeoReadError(path, `cannot be read (${messageOf(error)})`, { cause: error });
  }
  return readGeoTiff(bytes, { ...options, name: path });
}

function exactBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) {
    return buffer;
  }
  // A copy: a Node Buffer's slice() is a view of its (maybe pooled) memory, not a copy.
  const copy = new Uint8Array(byteLength);
  copy.set(bytes);
  return copy.buffer;
}

function checkCodec(dir: TiffDirectory, file: string): void {
  if (COMPRESSIONS[dir.compression] === undefined) {
    const name = OTHER_COMPRESSIONS[dir.compression] ?? 'unknown';
    throw new GeoReadError(
      file,
      `unsupported compression ${dir.compression} (${name}); supported: none, LZW, DEFLATE, PackBits`,
    );
  }
  if (![1, 2, 3].includes(dir.predictor)) {
    throw new GeoReadError(file, `unsupported predictor ${dir.predictor} (supported: 1, 2, 3)`);
  }
  const bits = dir.bitsPerSample[0]!;
  if (dir.predictor === 2 && bits === 64) {
    throw new GeoReadError(file, 'unsupported: horizontal predictor (2) on 64-bit samples');
  }
  if (dir.predictor === 2 && bits > 8 && !dir.littleEndian) {
    // geotiff.js undoes this predictor in the machine's byte order, which garbles big-endian files.
    throw new GeoReadError(
      file,
      'unsupported: horizontal predictor (2) in a big-endian file (rewrite it little-endian, e.g. gdal_translate -co ENDIANNESS=LITTLE)',
    );
  }
}

/** A file cut short loses its last strips or tiles; say so rather than decode garbage. */
function checkBlocks(dir: TiffDirectory, size: number, file: string): void {
  const kind = dir.tiled ? 'tile' : 'strip';
  for (let i = 0; i < dir.blockOffsets.length; i++) {
    const end = dir.blockOffsets[i]! + (dir.blockByteCounts[i] ?? 0);
    if (end > size) {
      throw new GeoReadError(
        file,
        `truncated: ${kind} ${i + 1} of ${dir.blockOffsets.length} ends at byte ${end} but the file has ${size} bytes`,
      );
    }
  }
}

function asSampleArray(
  decoded: unknown,
  type: SampleType,
  length: number,
  file: string,
): GeoRaster['values'] {
  const Expected = SAMPLE_TYPES[type];
  if (!(decoded instanceof Expected) || decoded.length !== length) {
    throw new GeoReadError(
      file,
      `its pixels decode to ${describe(decoded)}, expected ${length} ${type} values (corrupt file?)`,
    );
  }
  return decoded;
}

function describe(v: unknown): string {
  return ArrayBuffer.isView(v)
    ? `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`
    : typeof v;
}
