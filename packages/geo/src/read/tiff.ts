/**
 * @module read/tiff
 * A TIFF opened with geotiff.js, its first image's directory seen through the few tags this
 * package reads, typed. geotiff.js types its directory as `any`; this is the one place that
 * touches it. Decoder errors come back as `GeoReadError`s naming the file.
 */
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { GeoReadError, messageOf } from './error.js';
// Bounded LZW and DEFLATE decoders, registered with geotiff.js before it decodes anything.
import './decoders.js';

/** The tags of a TIFF image that the readers use (absent tags `undefined`). */
export interface TiffDirectory {
  readonly width: number;
  readonly height: number;
  readonly samplesPerPixel: number;
  /** Per sample. */
  readonly bitsPerSample: readonly number[];
  /** Per sample: 1 unsigned integer, 2 signed integer, 3 IEEE float (TIFF's default 1). */
  readonly sampleFormat: readonly number[];
  readonly compression: number;
  readonly predictor: number;
  readonly littleEndian: boolean;
  readonly tiled: boolean;
  /** Strip or tile offsets and byte counts, in file order. */
  readonly blockOffsets: readonly number[];
  readonly blockByteCounts: readonly number[];
  readonly modelPixelScale?: readonly number[];
  readonly modelTiepoint?: readonly number[];
  readonly modelTransformation?: readonly number[];
  readonly gdalNodata?: string;
  readonly geoKeys: GeoKeys;
}

/** The GeoKeys that decide the CRS and the raster space. */
export interface GeoKeys {
  /** GTModelTypeGeoKey (1024): 1 projected, 2 geographic, 3 geocentric. */
  readonly modelType?: number;
  /** GTRasterTypeGeoKey (1025): 1 PixelIsArea, 2 PixelIsPoint. */
  readonly rasterType?: number;
  /** GeographicTypeGeoKey (2048). */
  readonly geographicType?: number;
  /** ProjectedCSTypeGeoKey (3072). */
  readonly projectedType?: number;
}

/** An opened TIFF: its first (full-resolution) image's tags and a way to decode its pixels. */
export interface OpenedTiff {
  readonly directory: TiffDirectory;
  /** Decodes one sample (0-based) over a window `[x0, y0, x1, y1)` of the image. */
  decode(sample: number, window: readonly [number, number, number, number]): Promise<unknown>;
}

const TIFF_SIGNATURES = ['49492a00', '4d4d002a', '49492b00', '4d4d002b'];

/** Opens `bytes` as a TIFF, or throws a `GeoReadError` saying why it is not one. */
export async function openTiff(bytes: ArrayBuffer, file: string): Promise<OpenedTiff> {
  const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  const hex = [...head].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (!TIFF_SIGNATURES.includes(hex)) {
    throw new GeoReadError(
      file,
      bytes.byteLength < 8
        ? `not a TIFF: only ${bytes.byteLength} bytes`
        : `not a TIFF: it starts with bytes ${hex.replace(/(..)/g, '$1 ').trim()}, not II*\\0 or MM\\0*`,
    );
  }
  let image: GeoTIFFImage;
  try {
    const tiff = await fromArrayBuffer(bytes);
    image = await tiff.getImage(0);
  } catch (error) {
    throw new GeoReadError(
      file,
      `truncated or corrupt TIFF (its header or image directory cannot be read: ${messageOf(error)})`,
      { cause: error },
    );
  }
  const directory = directoryOf(image, file);
  return {
    directory,
    async decode(sample, [x0, y0, x1, y1]) {
      try {
        const [band] = await image.readRasters({ window: [x0, y0, x1, y1], samples: [sample] });
        return band;
      } catch (error) {
        throw new GeoReadError(file, `its pixels cannot be decoded (${messageOf(error)})`, {
          cause: error,
        });
      }
    },
  };
}

function directoryOf(image: GeoTIFFImage, file: string): TiffDirectory {
  const fd: Record<string, unknown> = image.getFileDirectory();
  const keys: Record<string, unknown> = image.getGeoKeys() ?? {};
  const width = int(fd.ImageWidth);
  const height = int(fd.ImageLength);
  if (width === undefined || height === undefined || width <= 0 || height <= 0) {
    throw new GeoReadError(file, 'corrupt TIFF: the image has no width or height');
  }
  const samplesPerPixel = int(fd.SamplesPerPixel) ?? 1;
  const bits = numbers(fd.BitsPerSample) ?? [1];
  const formats = numbers(fd.SampleFormat) ?? [1];
  const tiled = fd.TileOffsets !== undefined;
  const blockOffsets = numbers(tiled ? fd.TileOffsets : fd.StripOffsets);
  const blockByteCounts = numbers(tiled ? fd.TileByteCounts : fd.StripByteCounts);
  if (blockOffsets === undefined || blockByteCounts === undefined) {
    throw new GeoReadError(file, 'corrupt TIFF: the image has no strip or tile offsets');
  }
  return {
    width,
    height,
    samplesPerPixel,
    bitsPerSample: Array.from({ length: samplesPerPixel }, (_, i) => bits[i] ?? bits[0]!),
    sampleFormat: Array.from({ length: samplesPerPixel }, (_, i) => formats[i] ?? formats[0]!),
    compression: int(fd.Compression) ?? 1,
    predictor: int(fd.Predictor) ?? 1,
    littleEndian: image.littleEndian,
    tiled,
    blockOffsets,
    blockByteCounts,
    modelPixelScale: numbers(fd.ModelPixelScale),
    modelTiepoint: numbers(fd.ModelTiepoint),
    modelTransformation: numbers(fd.ModelTransformation),
    gdalNodata: typeof fd.GDAL_NODATA === 'string' ? fd.GDAL_NODATA : undefined,
    geoKeys: {
      modelType: int(keys.GTModelTypeGeoKey),
      rasterType: int(keys.GTRasterTypeGeoKey),
      geographicType: int(keys.GeographicTypeGeoKey),
      projectedType: int(keys.ProjectedCSTypeGeoKey),
    },
  };
}

function int(v: unknown): number | undefined {
  const n = Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<unknown>)[0] : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function numbers(v: unknown): number[] | undefined {
  if (typeof v === 'number') return [v];
  if (!(Array.isArray(v) || ArrayBuffer.isView(v))) return undefined;
  const out = Array.from(v as ArrayLike<unknown>);
  return out.every((n): n is number => typeof n === 'number') ? out : undefined;
}
