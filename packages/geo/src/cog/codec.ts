/**
 * @module cog/codec
 * One tile from samples to the bytes stored in the file: the predictor in place, then DEFLATE
 * (zlib format, as TIFF's compression 8), LZW (5) or nothing (1).
 *
 * DEFLATE runs on Node's thread pool (`zlib.deflate`), at most `concurrency` tiles at a time, so
 * compression overlaps with reading and overviews; with `concurrency: 1` it runs on the calling
 * thread (`deflateSync`). LZW is our own encoder and runs on the calling thread.
 */
import { deflate, deflateSync } from 'node:zlib';
import { lzwEncode } from './lzw.js';
import { floatingPointPredictor, horizontalDifferencing } from './predictor.js';
import type { SampleInfo } from './sample.js';
import type { SampleArray } from './types.js';

export interface CodecSettings {
  readonly sample: SampleInfo;
  readonly tileSize: number;
  readonly compression: 'deflate' | 'lzw' | 'none';
  readonly level: number;
  readonly predictor: boolean;
  readonly concurrency: number;
}

/** TIFF Compression tag value. */
export function compressionTag(compression: CodecSettings['compression']): 1 | 5 | 8 {
  return compression === 'deflate' ? 8 : compression === 'lzw' ? 5 : 1;
}

/** TIFF Predictor tag value (1 = none). */
export function predictorTag(settings: CodecSettings): 1 | 2 | 3 {
  if (!settings.predictor || settings.compression === 'none') return 1;
  return settings.sample.float ? 3 : 2;
}

/** An encoder of whole tiles (`tileSize²` samples, which it may overwrite). */
export function tileEncoder(settings: CodecSettings): (tile: SampleArray) => Promise<Uint8Array> {
  const { tileSize, level, compression } = settings;
  const predictor = predictorTag(settings);
  const predict = (tile: SampleArray): Uint8Array => {
    if (predictor === 3)
      return floatingPointPredictor(tile as Float32Array | Float64Array, tileSize);
    if (predictor === 2) horizontalDifferencing(tile, tileSize);
    return new Uint8Array(tile.buffer, tile.byteOffset, tile.byteLength);
  };
  if (compression === 'none') return async (tile) => predict(tile);
  if (compression === 'lzw') return async (tile) => lzwEncode(predict(tile));
  // memLevel 9 (zlib's largest hash) is a little faster than the default 8 on rasters.
  const zlibOptions = { level, memLevel: 9 };
  if (settings.concurrency <= 1) return async (tile) => deflateSync(predict(tile), zlibOptions);

  const limit = settings.concurrency;
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (tile) => {
    const bytes = predict(tile);
    // A finishing job hands its slot straight to the next waiting one.
    if (running < limit) running++;
    else await new Promise<void>((go) => waiting.push(go));
    try {
      return await new Promise<Uint8Array>((resolve, reject) =>
        deflate(bytes, zlibOptions, (error, out) => (error ? reject(error) : resolve(out))),
      );
    } finally {
      const go = waiting.shift();
      if (go) go();
      else running--;
    }
  };
}
