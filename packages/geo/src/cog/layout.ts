/**
 * @module cog/layout
 * Where everything goes in the file, once every tile is compressed (so its size is known), in
 * GDAL's COG order: header, ghost area, the IFDs (full resolution, then each overview, largest
 * first, each with its out-of-line values), then the tiles from the smallest overview to full
 * resolution, row-major, each framed by its size before and its last 4 bytes after.
 */
import { compressionTag, predictorTag } from './codec.js';
import type { CogPlan } from './plan.js';
import { nodataText } from './sample.js';
import { encodeIfd, ghostArea, header, headerSize, ifdSize, type Tag } from './tiff.js';

/** One level's compressed tiles, as the tile store holds them. */
export interface LevelTiles {
  readonly width: number;
  readonly height: number;
  readonly tilesX: number;
  readonly tilesY: number;
  /** Compressed size of each tile, row-major. */
  readonly lengths: Float64Array;
}

export interface CogLayout {
  readonly big: boolean;
  /** Header, ghost area and IFDs: the first `head.length` bytes of the file. */
  readonly head: Uint8Array;
  /** File offset of each tile's data, per level (the 4-byte leader is just before it). */
  readonly offsets: readonly Float64Array[];
  readonly size: number;
}

const LIMIT = 0xffffffff;
const even = (n: number): number => n + (n & 1);

function levelTags(
  plan: CogPlan,
  k: number,
  level: LevelTiles,
  offsets: ArrayLike<number>,
  big: boolean,
): Tag[] {
  const dim = (v: number): Tag['type'] => (v < 65536 ? 'short' : 'long');
  const list = big ? 'long8' : 'long';
  const predictor = predictorTag(plan);
  const tags: Tag[] = [
    { code: 256, type: dim(level.width), values: [level.width] },
    { code: 257, type: dim(level.height), values: [level.height] },
    { code: 258, type: 'short', values: [plan.sample.bytes * 8] },
    { code: 259, type: 'short', values: [compressionTag(plan.compression)] },
    { code: 262, type: 'short', values: [1] }, // BlackIsZero
    { code: 277, type: 'short', values: [1] },
    { code: 284, type: 'short', values: [1] },
    { code: 322, type: 'short', values: [plan.tileSize] },
    { code: 323, type: 'short', values: [plan.tileSize] },
    { code: 324, type: list, values: Array.from(offsets) },
    { code: 325, type: list, values: Array.from(level.lengths) },
    { code: 339, type: 'short', values: [plan.sample.format] },
  ];
  if (k > 0) tags.push({ code: 254, type: 'long', values: [1] }); // reduced-resolution image
  if (predictor !== 1) tags.push({ code: 317, type: 'short', values: [predictor] });
  if (k === 0) tags.push(...plan.georeferencing);
  if (plan.nodata !== undefined) {
    tags.push({ code: 42113, type: 'ascii', values: nodataText(plan.nodata) });
  }
  return tags;
}

function layoutAs(plan: CogPlan, levels: readonly LevelTiles[], big: boolean): CogLayout {
  const ghost = ghostArea();
  const noOffsets = levels.map((l) => new Float64Array(l.lengths.length));
  const sizes = levels.map((l, k) => ifdSize(levelTags(plan, k, l, noOffsets[k]!, big), big));
  const ifdAt: number[] = [];
  let pos = even(headerSize(big) + ghost.length);
  for (const size of sizes) {
    ifdAt.push(pos);
    pos += size;
  }
  const dataStart = pos;
  const offsets = levels.map((l) => new Float64Array(l.lengths.length));
  for (let k = levels.length - 1; k >= 0; k--) {
    const { lengths } = levels[k]!;
    for (let i = 0; i < lengths.length; i++) {
      offsets[k]![i] = pos + 4;
      pos += lengths[i]! + 8;
    }
  }
  const head = new Uint8Array(dataStart);
  head.set(header(big, ifdAt[0]!), 0);
  head.set(ghost, headerSize(big));
  levels.forEach((l, k) => {
    const next = k + 1 < levels.length ? ifdAt[k + 1]! : 0;
    head.set(encodeIfd(levelTags(plan, k, l, offsets[k]!, big), big, ifdAt[k]!, next), ifdAt[k]!);
  });
  return { big, head, offsets, size: pos };
}

/** The layout, as classic TIFF when it fits in 4 GiB (unless told otherwise), else BigTIFF. */
export function layoutCog(plan: CogPlan, levels: readonly LevelTiles[]): CogLayout {
  if (plan.bigTiff === 'always') return layoutAs(plan, levels, true);
  const classic = layoutAs(plan, levels, false);
  if (classic.size <= LIMIT) return classic;
  if (plan.bigTiff === 'never') {
    throw new RangeError(
      `the COG would take ${classic.size} bytes, past classic TIFF's 4 GiB: allow BigTIFF (bigTiff: 'auto' or 'always')`,
    );
  }
  return layoutAs(plan, levels, true);
}
