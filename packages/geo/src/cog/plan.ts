/**
 * @module cog/plan
 * Checks a source and its options once, before anything is written, and settles every choice
 * the writer makes: the sample type, nodata, the pyramid, the compression and the tags.
 */
import { availableParallelism, endianness } from 'node:os';
import { type GeoTransform, toGeoTransform } from '../zonal/transform.js';
import type { CodecSettings } from './codec.js';
import { georeferencingTags } from './georef.js';
import { type LevelSize, pyramidSizes } from './pyramid.js';
import { checkedNodata, type SampleInfo, sampleInfo } from './sample.js';
import type { Tag } from './tiff.js';
import type { CogOptions, TileSource } from './types.js';

export interface CogPlan extends CodecSettings {
  readonly width: number;
  readonly height: number;
  /** Nodata as given (for the GDAL_NODATA tag). */
  readonly nodata: number | undefined;
  /** Nodata as the cells store it (for comparisons). */
  readonly storedNodata: number | undefined;
  readonly transform: GeoTransform;
  readonly levels: readonly LevelSize[];
  readonly resampling: 'average' | 'nearest';
  readonly bigTiff: 'auto' | 'always' | 'never';
  readonly fsync: boolean;
  readonly georeferencing: readonly Tag[];
}

function oneOf<T extends string>(
  name: string,
  value: T | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new RangeError(
      `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(value)}`,
    );
  }
  return value;
}

function integerIn(
  name: string,
  value: number | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

type SourceShape = Omit<TileSource, 'readWindow'>;

/** The plan for writing `source` with `options`; throws a clear error on anything it cannot write. */
export function planCog(source: SourceShape, options: CogOptions): CogPlan {
  if (endianness() !== 'LE') {
    throw new Error(
      'the COG writer needs a little-endian host (it writes typed arrays as they are)',
    );
  }
  const { width, height } = source;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`width and height must be positive integers, got ${width} × ${height}`);
  }
  if (width > 0xffffffff || height > 0xffffffff) {
    throw new RangeError(`a TIFF is at most 4294967295 pixels on a side, got ${width} × ${height}`);
  }
  const sample: SampleInfo = sampleInfo(source.type);
  const tileSize = integerIn('tileSize', options.tileSize, 16, 4096, 512);
  if (tileSize % 16 !== 0) {
    throw new RangeError(`tileSize must be a multiple of 16 (TIFF tiles), got ${tileSize}`);
  }
  const compression = oneOf(
    'compression',
    options.compression,
    ['deflate', 'lzw', 'none'],
    'deflate',
  );
  const transform = toGeoTransform(source.transform);
  const nodata = source.nodata;
  const storedNodata = checkedNodata(sample, nodata);
  return {
    sample,
    width,
    height,
    nodata,
    storedNodata,
    transform,
    tileSize,
    compression,
    level: integerIn('level', options.level, 1, 9, 6),
    predictor: options.predictor ?? true,
    // Twice the CPUs: jobs queued in the pool keep it busy while this thread cuts the next tiles.
    concurrency: integerIn('concurrency', options.concurrency, 1, 1024, 2 * availableParallelism()),
    levels: pyramidSizes(width, height, tileSize, options.overviews ?? true),
    resampling: oneOf('resampling', options.resampling, ['average', 'nearest'], 'average'),
    bigTiff: oneOf('bigTiff', options.bigTiff, ['auto', 'always', 'never'], 'auto'),
    fsync: options.fsync ?? true,
    georeferencing: georeferencingTags(
      transform,
      source.crs,
      oneOf<'area' | 'point'>('rasterType', source.rasterType, ['area', 'point'], 'area'),
    ),
  };
}
