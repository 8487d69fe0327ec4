/**
 * @module cog/validate
 * Whether a file is a Cloud Optimized GeoTIFF, checked from its structure the way GDAL's
 * `validate_cloud_optimized_geotiff.py` checks it, without GDAL: a reader streaming it over HTTP
 * finds every IFD in the first bytes, the tiles of each level in order, and the overviews'
 * tiles before the full resolution's. Reads only the IFDs and their offset arrays, never the
 * pixels, so it is cheap on any size.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** What is wrong with the file as a COG (`errors`), and what is merely unusual (`warnings`). */
export interface CogValidation {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

interface Ifd {
  readonly offset: number;
  readonly width: number;
  readonly height: number;
  readonly tiled: boolean;
  readonly reduced: boolean;
  readonly mask: boolean;
  readonly offsets: readonly number[];
  readonly counts: readonly number[];
}

const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  16: 8,
  17: 8,
};
/** A reader of the file's bytes at an offset. */
type ReadAt = (offset: number, length: number) => Buffer;

/** Validates `path` as a COG (see the module). Throws only when the file cannot be read. */
export function validateCog(path: string): CogValidation {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const readAt: ReadAt = (offset, length) => {
      if (offset < 0 || offset + length > size) {
        throw new CogStructureError(
          `a TIFF structure at byte ${offset} runs past the end of the file`,
        );
      }
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offset);
      return buffer;
    };
    return validateStructure(readAt, size);
  } catch (error) {
    if (error instanceof CogStructureError) return { errors: [error.message], warnings: [] };
    throw error;
  } finally {
    closeSync(fd);
  }
}

class CogStructureError extends Error {}

function validateStructure(readAt: ReadAt, size: number): CogValidation {
  if (size < 8) throw new CogStructureError('not a TIFF file: shorter than a TIFF header');
  const header = readAt(0, Math.min(16, size));
  const order = header.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') {
    throw new CogStructureError('not a TIFF file: no byte-order mark');
  }
  const little = order === 'II';
  const d: Decoder = {
    big: false,
    little,
    u16: (b, o) => (little ? b.readUInt16LE(o) : b.readUInt16BE(o)),
    u32: (b, o) => (little ? b.readUInt32LE(o) : b.readUInt32BE(o)),
    u64: (b, o) => Number(little ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)),
  };
  const magic = d.u16(header, 2);
  if (magic !== 42 && magic !== 43)
    throw new CogStructureError(`not a TIFF file: version ${magic}`);
  d.big = magic === 43;
  if (d.big && size < 16)
    throw new CogStructureError('not a TIFF file: shorter than a BigTIFF header');
  const first = d.big ? d.u64(header, 8) : d.u32(header, 4);
  const errors: string[] = [];
  const warnings: string[] = [];
  const ghost = readGhost(readAt, size, d.big ? 16 : 8);
  if (first !== ghost.ifdAt) {
    errors.push(
      `the main IFD is at byte ${first}, not at byte ${ghost.ifdAt} right after the header`,
    );
  }
  if (ghost.incompatible) errors.push('KNOWN_INCOMPATIBLE_EDITION=YES is declared in the file');
  const ifds = readIfds(readAt, first, d);
  const main = ifds[0]!;
  const striped = (ifd: Ifd) => !ifd.tiled && ifd.width > 1024;
  const overviews = ifds.filter((ifd) => ifd.reduced && !ifd.mask);
  if (main.width > 512 || main.height > 512) {
    if (striped(main)) errors.push(`the image is ${main.width} × ${main.height} but not tiled`);
    if (overviews.length === 0) {
      warnings.push(`the image is ${main.width} × ${main.height} without internal overviews`);
    }
  }
  const levels = [main, ...overviews];
  for (let i = 1; i < levels.length; i++) {
    const [above, ov] = [levels[i - 1]!, levels[i]!];
    if (ov.width > above.width || ov.height > above.height) {
      errors.push(
        `overview ${i - 1} (${ov.width} × ${ov.height}) is larger than the level above it`,
      );
    }
    if (striped(ov)) errors.push(`overview ${i - 1} is not tiled`);
    if (ov.offset < above.offset) {
      errors.push(`the IFD of overview ${i - 1} (byte ${ov.offset}) comes before the one above it`);
    }
  }
  // The data: the smallest level's after every IFD, then each level's after the one below it.
  const data = levels.map(firstBlock);
  const last = levels.length - 1;
  if (data[last] !== undefined && data[last]! < levels[last]!.offset) {
    errors.push('image data comes before the last IFD: every IFD must come before the data');
  }
  for (let i = last - 1; i >= 0; i--) {
    if (data[i] !== undefined && data[i + 1] !== undefined && data[i]! < data[i + 1]!) {
      errors.push(
        `the data of ${i === 0 ? 'the full resolution' : `overview ${i - 1}`} comes before the data of overview ${i}: the smallest overview's data must come first`,
      );
    }
  }
  levels.forEach((level, i) => {
    const name = i === 0 ? 'the full resolution' : `overview ${i - 1}`;
    if (level.offsets.some((o) => o >= size)) errors.push(`a block of ${name} points past the end`);
    else errors.push(...blockProblems(readAt, level, name, ghost));
  });
  return { errors, warnings };
}

/** What GDAL's structural metadata (the "ghost area" after the header) declares. */
interface Ghost {
  /** Where the main IFD must be: right after the header, or after the ghost area. */
  ifdAt: number;
  rowMajor: boolean;
  leader: boolean;
  trailer: boolean;
  incompatible: boolean;
}

const GHOST = 'GDAL_STRUCTURAL_METADATA_SIZE=';
const GHOST_HEADER = 'GDAL_STRUCTURAL_METADATA_SIZE=000000 bytes\n'.length;

function readGhost(readAt: ReadAt, size: number, headerSize: number): Ghost {
  const none = { ifdAt: headerSize, rowMajor: false, leader: false, trailer: false };
  if (size < headerSize + GHOST_HEADER) return { ...none, incompatible: false };
  const head = readAt(headerSize, GHOST_HEADER).toString('latin1');
  if (!head.startsWith(GHOST)) return { ...none, incompatible: false };
  const digits = head.slice(GHOST.length, GHOST.length + 6);
  if (!/^\d{6}$/.test(digits)) {
    throw new CogStructureError(
      `GDAL's structural metadata declares a malformed size ${JSON.stringify(digits)}`,
    );
  }
  const length = Number(digits);
  const text = readAt(headerSize + GHOST_HEADER, length).toString('latin1');
  const end = headerSize + GHOST_HEADER + length;
  return {
    ifdAt: end + (end % 2),
    rowMajor: text.includes('BLOCK_ORDER=ROW_MAJOR'),
    leader: text.includes('BLOCK_LEADER=SIZE_AS_UINT4'),
    trailer: text.includes('BLOCK_TRAILER=LAST_4_BYTES_REPEATED'),
    incompatible: text.includes('KNOWN_INCOMPATIBLE_EDITION=YES'),
  };
}

/** The blocks of one level against what the ghost area declares (order, leader, trailer). */
function blockProblems(readAt: ReadAt, level: Ifd, name: string, ghost: Ghost): string[] {
  const problems: string[] = [];
  if (ghost.rowMajor && outOfOrder(level.offsets) >= 0) {
    problems.push(
      `the blocks of ${name} are not in row-major order (block ${outOfOrder(level.offsets)})`,
    );
  }
  if (!ghost.leader && !ghost.trailer) return problems;
  for (let k = 0; k < level.offsets.length && problems.length < 3; k++) {
    const offset = level.offsets[k]!;
    const count = level.counts[k] ?? 0;
    if (offset === 0) continue;
    if (ghost.leader && readAt(offset - 4, 4).readUInt32LE(0) !== count) {
      problems.push(`block ${k} of ${name}: the size in its leader is not its byte count`);
    }
    if (ghost.trailer && count >= 4) {
      const tail = readAt(offset + count - 4, 8);
      if (!tail.subarray(0, 4).equals(tail.subarray(4, 8))) {
        problems.push(`block ${k} of ${name}: its trailer does not repeat its last 4 bytes`);
      }
    }
  }
  return problems;
}

/** The smallest offset of a stored block (0 marks a block not stored). */
function firstBlock(ifd: Ifd): number | undefined {
  let min = Number.POSITIVE_INFINITY;
  for (const o of ifd.offsets) if (o !== 0 && o < min) min = o;
  return min === Number.POSITIVE_INFINITY ? undefined : min;
}

/** The first stored block placed before one that precedes it in row-major order, else −1. */
function outOfOrder(offsets: readonly number[]): number {
  let max = 0;
  for (let k = 0; k < offsets.length; k++) {
    const o = offsets[k]!;
    if (o === 0) continue;
    if (o < max) return k;
    max = o;
  }
  return -1;
}

interface Decoder {
  big: boolean;
  little: boolean;
  u16(b: Buffer, o: number): number;
  u32(b: Buffer, o: number): number;
  u64(b: Buffer, o: number): number;
}

function readIfds(readAt: ReadAt, first: number, d: Decoder): Ifd[] {
  const ifds: Ifd[] = [];
  const seen = new Set<number>();
  for (let offset = first; offset !== 0; ) {
    if (seen.has(offset)) throw new CogStructureError(`the IFD chain loops back to byte ${offset}`);
    if (ifds.length > 64) throw new CogStructureError('more than 64 IFDs: not a COG');
    seen.add(offset);
    const countSize = d.big ? 8 : 2;
    const entrySize = d.big ? 20 : 12;
    const count = d.big ? d.u64(readAt(offset, 8), 0) : d.u16(readAt(offset, 2), 0);
    const table = readAt(offset + countSize, count * entrySize + (d.big ? 8 : 4));
    const tags = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const e = i * entrySize;
      tags.set(d.u16(table, e), tagValues(readAt, table, e, d));
    }
    const width = tags.get(256)?.[0];
    const height = tags.get(257)?.[0];
    if (width === undefined || height === undefined) {
      throw new CogStructureError(`IFD ${ifds.length} has no image width or height`);
    }
    const tiled = tags.has(322);
    const subfile = tags.get(254)?.[0] ?? 0;
    ifds.push({
      offset,
      width,
      height,
      tiled,
      reduced: (subfile & 1) !== 0,
      mask: (subfile & 4) !== 0,
      offsets: tags.get(tiled ? 324 : 273) ?? [],
      counts: tags.get(tiled ? 325 : 279) ?? [],
    });
    const next = count * entrySize;
    offset = d.big ? d.u64(table, next) : d.u32(table, next);
  }
  return ifds;
}

/** The values of the numeric tag whose entry starts at `e` of `table`, read where they are. */
function tagValues(readAt: ReadAt, table: Buffer, e: number, d: Decoder): number[] {
  const type = d.u16(table, e + 2);
  const count = d.big ? d.u64(table, e + 4) : d.u32(table, e + 4);
  const size = TYPE_SIZES[type];
  // Only integer tags matter here (sizes, offsets, the subfile type); others are skipped.
  if (size === undefined || ![3, 4, 16].includes(type)) return [];
  const inline = d.big ? 8 : 4;
  const bytes = count * size;
  const data =
    bytes <= inline
      ? table.subarray(e + (d.big ? 12 : 8), e + (d.big ? 12 : 8) + bytes)
      : readAt(d.big ? d.u64(table, e + 12) : d.u32(table, e + 8), bytes);
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    values[i] =
      type === 3 ? d.u16(data, i * 2) : type === 4 ? d.u32(data, i * 4) : d.u64(data, i * 8);
  }
  return values;
}
