/**
 * @module read/decoders
 * The LZW and DEFLATE decoders geotiff.js uses for us, each bounded by the block it decodes: a
 * corrupt or hostile block is an error, never an endless loop (geotiff.js' own LZW runs out of
 * memory on an undefined code) or a decompression bomb (a few megabytes inflating to gigabytes).
 */
import { inflateSync } from 'node:zlib';
import { addDecoder, BaseDecoder } from 'geotiff';

/** TIFF fields a decoder is built with (geotiff.js' file directory). */
interface BlockFields {
  readonly StripOffsets?: unknown;
  readonly TileWidth?: number;
  readonly TileLength?: number;
  readonly ImageWidth?: number;
  readonly ImageLength?: number;
  readonly RowsPerStrip?: number;
  readonly BitsPerSample?: ArrayLike<number>;
}

/** The most bytes one strip or tile of this directory can hold. */
function blockBytes(fd: BlockFields): number {
  const tiled = fd.StripOffsets === undefined;
  const width = (tiled ? fd.TileWidth : fd.ImageWidth) ?? 0;
  const height = tiled
    ? (fd.TileLength ?? 0)
    : Math.min(fd.RowsPerStrip ?? Infinity, fd.ImageLength ?? 0);
  let bits = 0;
  for (const b of Array.from(fd.BitsPerSample ?? [8])) bits += b;
  return Math.ceil((width * height * bits) / 8);
}

class BoundedLzwDecoder extends BaseDecoder {
  private readonly limit: number;
  constructor(fd: BlockFields) {
    super();
    this.limit = blockBytes(fd);
  }
  decodeBlock(buffer: ArrayBuffer): ArrayBuffer {
    const out = lzwDecode(new Uint8Array(buffer), this.limit);
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  }
}

class BoundedDeflateDecoder extends BaseDecoder {
  private readonly limit: number;
  constructor(fd: BlockFields) {
    super();
    this.limit = blockBytes(fd);
  }
  decodeBlock(buffer: ArrayBuffer): ArrayBuffer {
    let out: Buffer;
    try {
      out = inflateSync(new Uint8Array(buffer), { maxOutputLength: Math.max(1, this.limit) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Error(`a DEFLATE block inflates past the ${this.limit} bytes a block holds`);
      }
      throw new Error(`a DEFLATE block is corrupt (${(error as Error).message})`);
    }
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  }
}

/**
 * TIFF LZW (MSB-first codes, the early change of code width) into at most `limit` bytes; a code
 * that is not in the table, or more output than the block holds, is an error.
 */
export function lzwDecode(input: Uint8Array, limit: number): Uint8Array {
  const out = new Uint8Array(limit);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Int32Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    length[i] = 1;
  }
  const bits = input.length * 8;
  let next = 258;
  let width = 9;
  let at = 0;
  let n = 0;
  let previous = -1;
  while (at + width <= bits) {
    let code = 0;
    for (let i = at; i < at + width; i++)
      code = (code << 1) | ((input[i >> 3]! >> (7 - (i & 7))) & 1);
    at += width;
    if (code === 257) break;
    if (code === 256) {
      next = 258;
      width = 9;
      previous = -1;
      continue;
    }
    const known = code < 256 || (code >= 258 && code < next);
    if (!known && !(code === next && previous >= 0)) {
      throw new Error(`LZW code ${code} is not in the table (${next} entries): corrupt block`);
    }
    const size = known ? length[code]! : length[previous]! + 1;
    if (n + size > limit) throw new Error(`an LZW block decodes past the ${limit} bytes it holds`);
    let c = known ? code : previous;
    for (let k = (known ? size : size - 1) - 1; k >= 0; k--) {
      out[n + k] = suffix[c]!;
      c = prefix[c]!;
    }
    if (!known) out[n + size - 1] = out[n]!;
    if (previous >= 0 && next < 4096) {
      prefix[next] = previous;
      suffix[next] = out[n]!;
      length[next] = length[previous]! + 1;
      next++;
    }
    n += size;
    previous = code;
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  return out.subarray(0, n);
}

addDecoder(5, async () => BoundedLzwDecoder);
addDecoder([8, 32946], async () => BoundedDeflateDecoder);
