/**
 * @module storage/sqlite/_header
 * A SQLite file whose first 100 bytes (its header) are damaged cannot be opened at all, though
 * every page after them may be intact. Weir made the file, so what the header held is known
 * but for a few counters: a copy with the header written again lets recovery read the rest.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';

const MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;
/** Page sizes to try, the one SQLite (and so Weir) uses by default first. */
const PAGE_SIZES = [4096, 1024, 2048, 8192, 16384, 32768, 65536, 512];

/** Whether the file at `path` has a header SQLite can open (false: damaged, so cannot). */
export function headerIsIntact(path: string): boolean {
  let header: Buffer;
  try {
    header = readStart(path, HEADER_BYTES);
  } catch {
    return true; // Not readable as a file: SQLite (or the caller) says what is wrong.
  }
  if (header.length < HEADER_BYTES) return true; // Too short to judge: SQLite says what is wrong.
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  return (
    header.toString('latin1', 0, 16) === MAGIC &&
    PAGE_SIZES.includes(pageSize) &&
    header[21] === 64 &&
    header[22] === 32 &&
    header[23] === 32
  );
}

/**
 * Copies the file at `path` to `copy` with its header written again, if a page size fits what
 * is after it (the first page's own table header); false when none does.
 */
export function copyWithHeader(path: string, copy: string): boolean {
  const size = statSync(path).size;
  const start = readStart(path, HEADER_BYTES + 8);
  // A size that divides the file first; a file cut short mid-page keeps its whole pages.
  const pageSize =
    PAGE_SIZES.find((candidate) => size % candidate === 0 && fits(start, candidate)) ??
    PAGE_SIZES.find((candidate) => size >= candidate && fits(start, candidate));
  if (pageSize === undefined) return false;
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt16BE(pageSize === 65536 ? 1 : pageSize, 16);
  // With the WAL beside it (copied too), as Weir writes its logs; else standing alone.
  const wal = existsSync(`${path}-wal`);
  header[18] = wal ? 2 : 1;
  header[19] = wal ? 2 : 1;
  header[21] = 64;
  header[22] = 32;
  header[23] = 32;
  header.writeUInt32BE(1, 24); // change counter
  header.writeUInt32BE(Math.floor(size / pageSize), 28); // pages
  header.writeUInt32BE(1, 40); // schema cookie
  header.writeUInt32BE(4, 44); // schema format
  header.writeUInt32BE(1, 56); // UTF-8
  header.writeUInt32BE(1, 92); // valid for change counter 1
  header.writeUInt32BE(3_045_000, 96);
  copyFileSync(path, copy);
  if (wal) copyFileSync(`${path}-wal`, `${copy}-wal`);
  const fd = openSync(copy, 'r+');
  try {
    writeSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Whether the first page's table header (after the file header) makes sense for `pageSize`. */
function fits(start: Buffer, pageSize: number): boolean {
  if (start.length < HEADER_BYTES + 8) return false;
  const type = start[HEADER_BYTES];
  // A table leaf (8 bytes of header) or interior page (12), then 2 bytes per cell.
  if (type !== 0x0d && type !== 0x05) return false;
  const cells = start.readUInt16BE(HEADER_BYTES + 3);
  const content = start.readUInt16BE(HEADER_BYTES + 5) || 65536;
  return content <= pageSize && HEADER_BYTES + (type === 0x05 ? 12 : 8) + 2 * cells <= content;
}

function readStart(path: string, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  const fd = openSync(path, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
