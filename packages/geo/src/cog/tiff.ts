/**
 * @module cog/tiff
 * Little-endian TIFF and BigTIFF structures: the header, GDAL's structural metadata (the "ghost
 * area" a COG reader may trust), and image file directories with their out-of-line values.
 */

export type TagType = 'ascii' | 'short' | 'long' | 'long8' | 'double';

/** One IFD entry: numbers, or a string for `ascii` (written NUL-terminated). */
export interface Tag {
  readonly code: number;
  readonly type: TagType;
  readonly values: readonly number[] | string;
}

const TYPE: Record<TagType, { id: number; size: number }> = {
  ascii: { id: 2, size: 1 },
  short: { id: 3, size: 2 },
  long: { id: 4, size: 4 },
  double: { id: 12, size: 8 },
  long8: { id: 16, size: 8 },
};

/** Header size: 8 bytes (TIFF) or 16 (BigTIFF). */
export function headerSize(big: boolean): number {
  return big ? 16 : 8;
}

/** The header, pointing at the first IFD. */
export function header(big: boolean, firstIfd: number): Uint8Array {
  const bytes = new Uint8Array(headerSize(big));
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x49; // 'II': little-endian
  bytes[1] = 0x49;
  if (big) {
    view.setUint16(2, 43, true);
    view.setUint16(4, 8, true); // bytes per offset
    view.setBigUint64(8, BigInt(firstIfd), true);
  } else {
    view.setUint16(2, 42, true);
    view.setUint32(4, firstIfd, true);
  }
  return bytes;
}

/**
 * GDAL's structural metadata, byte for byte as GDAL's COG driver writes it after the header:
 * IFDs before the data, tiles in row-major order, each preceded by its size as a uint32 and
 * followed by a copy of its last 4 bytes. The trailing space is GDAL's room to flip `NO` to `YES`.
 */
export function ghostArea(): Uint8Array {
  const body =
    'LAYOUT=IFDS_BEFORE_DATA\n' +
    'BLOCK_ORDER=ROW_MAJOR\n' +
    'BLOCK_LEADER=SIZE_AS_UINT4\n' +
    'BLOCK_TRAILER=LAST_4_BYTES_REPEATED\n' +
    'KNOWN_INCOMPATIBLE_EDITION=NO\n ';
  const text = `GDAL_STRUCTURAL_METADATA_SIZE=${String(body.length).padStart(6, '0')} bytes\n${body}`;
  return new TextEncoder().encode(text);
}

function count(tag: Tag): number {
  return typeof tag.values === 'string' ? tag.values.length + 1 : tag.values.length;
}

function valueBytes(tag: Tag): number {
  return count(tag) * TYPE[tag.type].size;
}

const even = (n: number): number => n + (n & 1);

/** Bytes an IFD takes with its out-of-line values (each on an even offset), rounded up to even. */
export function ifdSize(tags: readonly Tag[], big: boolean): number {
  const inline = big ? 8 : 4;
  let size = (big ? 8 : 2) + tags.length * (big ? 20 : 12) + (big ? 8 : 4);
  for (const tag of tags) {
    const n = valueBytes(tag);
    if (n > inline) size = even(size) + n;
  }
  return even(size);
}

/** The IFD at file offset `at` (even), chained to `next` (0 for the last). Tags sorted by code. */
export function encodeIfd(
  tags: readonly Tag[],
  big: boolean,
  at: number,
  next: number,
): Uint8Array {
  const sorted = [...tags].sort((a, b) => a.code - b.code);
  const bytes = new Uint8Array(ifdSize(sorted, big));
  const view = new DataView(bytes.buffer);
  const inline = big ? 8 : 4;
  const entry = big ? 20 : 12;
  const entries = big ? 8 : 2;
  if (big) view.setBigUint64(0, BigInt(sorted.length), true);
  else view.setUint16(0, sorted.length, true);
  let extra = entries + sorted.length * entry + (big ? 8 : 4);
  sorted.forEach((tag, i) => {
    const p = entries + i * entry;
    view.setUint16(p, tag.code, true);
    view.setUint16(p + 2, TYPE[tag.type].id, true);
    if (big) view.setBigUint64(p + 4, BigInt(count(tag)), true);
    else view.setUint32(p + 4, count(tag), true);
    const field = p + (big ? 12 : 8);
    let where = field;
    if (valueBytes(tag) > inline) {
      extra = even(extra);
      where = extra;
      extra += valueBytes(tag);
      if (big) view.setBigUint64(field, BigInt(at + where), true);
      else view.setUint32(field, at + where, true);
    }
    writeValues(view, where, tag);
  });
  const nextAt = entries + sorted.length * entry;
  if (big) view.setBigUint64(nextAt, BigInt(next), true);
  else view.setUint32(nextAt, next, true);
  return bytes;
}

function writeValues(view: DataView, at: number, tag: Tag): void {
  const { values } = tag;
  if (typeof values === 'string') {
    for (let i = 0; i < values.length; i++) view.setUint8(at + i, values.charCodeAt(i) & 0xff);
    return; // the NUL is the buffer's zero
  }
  const size = TYPE[tag.type].size;
  values.forEach((v, i) => {
    const p = at + i * size;
    if (tag.type === 'short') view.setUint16(p, v, true);
    else if (tag.type === 'long') view.setUint32(p, v, true);
    else if (tag.type === 'long8') view.setBigUint64(p, BigInt(v), true);
    else view.setFloat64(p, v, true);
  });
}
