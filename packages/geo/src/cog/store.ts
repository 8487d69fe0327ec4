/**
 * @module cog/store
 * The temporary file of compressed tiles: rows of tiles are appended as they are compressed (each
 * row's tiles together, in order), and read back a row at a time when the COG is assembled.
 */
import type { FileHandle } from 'node:fs/promises';

export class TileStore {
  /** Bytes appended so far. */
  size = 0;

  constructor(
    readonly handle: FileHandle,
    readonly path: string,
  ) {}

  /** Appends `chunks` one after the other; resolves to where the first one starts. */
  async append(chunks: readonly Uint8Array[]): Promise<number> {
    const start = this.size;
    let total = 0;
    for (const c of chunks) total += c.byteLength;
    this.size += total;
    await writeAll(this.handle, chunks, start);
    return start;
  }

  /** `length` bytes from `position`. */
  async read(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, position + done);
      if (bytesRead === 0)
        throw new Error(`${this.path} ended at ${position + done}, before ${position + length}`);
      done += bytesRead;
    }
    return buffer;
  }
}

/** Writes every chunk, in order, from `position`, however the system splits the writes. */
export async function writeAll(
  handle: FileHandle,
  chunks: readonly Uint8Array[],
  position: number,
): Promise<void> {
  let pending = chunks.filter((c) => c.byteLength > 0);
  let at = position;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending as Uint8Array[], at);
    at += bytesWritten;
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const c of pending) {
      if (skip >= c.byteLength) skip -= c.byteLength;
      else {
        rest.push(skip > 0 ? c.subarray(skip) : c);
        skip = 0;
      }
    }
    pending = rest;
  }
}
