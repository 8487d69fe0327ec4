/**
 * @module cog/predictor
 * TIFF predictors, applied in place to one tile before compression (rows of `width` samples).
 *
 * - Predictor 2 (horizontal differencing): each sample minus the one to its left, wrapping in
 *   the sample's integer type.
 * - Predictor 3 (floating point, Adobe's TIFF technical note 3, as libtiff's `fpDiff`): each row's
 *   bytes are regrouped into planes, most significant byte first, then each byte minus the one
 *   before it, modulo 256. The planes are big-endian whatever the file's byte order.
 *
 * Samples are little-endian in memory and in the file (`II`): the writer refuses big-endian hosts.
 */
import type { SampleArray } from './types.js';

/** Predictor 2 on a tile of integers, in place. */
export function horizontalDifferencing(tile: SampleArray, width: number): void {
  const rows = tile.length / width;
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    // Right to left so each sample is differenced against the original left neighbour; the
    // typed array's store wraps the difference into the type.
    for (let i = start + width - 1; i > start; i--) tile[i] = tile[i]! - tile[i - 1]!;
  }
}

/** Predictor 3 on a tile of floats: the predicted bytes, in a new buffer. */
export function floatingPointPredictor(
  tile: Float32Array | Float64Array,
  width: number,
): Uint8Array {
  const bps = tile.BYTES_PER_ELEMENT;
  const src = new Uint8Array(tile.buffer, tile.byteOffset, tile.byteLength);
  const out = new Uint8Array(tile.byteLength);
  const rowBytes = width * bps;
  const rows = tile.length / width;
  for (let r = 0; r < rows; r++) {
    const base = r * rowBytes;
    for (let b = 0; b < bps; b++) {
      // Little-endian byte b of each sample goes to plane (bps - 1 - b): most significant first.
      const plane = base + (bps - 1 - b) * width;
      for (let i = 0, s = base + b; i < width; i++, s += bps) out[plane + i] = src[s]!;
    }
    for (let j = base + rowBytes - 1; j > base; j--) out[j] = out[j]! - out[j - 1]!;
  }
  return out;
}
