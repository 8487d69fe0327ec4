/**
 * @module cog/write
 * `writeCogFromTiles`: a source read window by window → a Cloud Optimized GeoTIFF at `path`.
 *
 * The tiles are compressed into a temporary file beside the target (`.NAME.PID-RANDOM.tiles`);
 * then the header and IFDs are written to a second one (`….tmp`) followed by the tiles copied in
 * COG order, and that file is renamed onto `path`. A failure or a crash never leaves a
 * half-written file at `path`; on failure both temporary files are removed.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CogWriteError, io } from './errors.js';
import { type CogLayout, layoutCog } from './layout.js';
import { planCog } from './plan.js';
import { TileStore, writeAll } from './store.js';
import { compressPyramid, type StoredLevel } from './stream.js';
import type { CogOptions, CogResult, TileSource } from './types.js';

/**
 * Writes `source` as a COG at `path` (see `TileSource` for how it is read). Resolves once the
 * file is in place (and, with `fsync`, on disk).
 */
export async function writeCogFromTiles(
  source: TileSource,
  path: string,
  options: CogOptions = {},
): Promise<CogResult> {
  const plan = planCog(source, options);
  const target = resolve(path);
  refuseNonFile(path, target);
  const stem = join(
    dirname(target),
    `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const tilesPath = `${stem}.tiles`;
  const outPath = `${stem}.tmp`;
  let tiles: FileHandle | undefined;
  let out: FileHandle | undefined;
  try {
    tiles = await io('creating', tilesPath, target, () => open(tilesPath, 'w+'));
    const store = new TileStore(tiles, tilesPath);
    const levels = await io('writing compressed tiles to', tilesPath, target, () =>
      compressPyramid(source, plan, store),
    );
    const layout = layoutCog(plan, levels);
    out = await io('creating', outPath, target, () => open(outPath, 'w'));
    const file = out;
    await io('writing', outPath, target, async () => {
      await writeAll(file, [layout.head], 0);
      await copyTiles(store, file, levels, layout);
      if (plan.fsync) await file.sync();
    });
    await io('closing', outPath, target, () => file.close());
    out = undefined;
    await io('renaming onto the target', outPath, target, () => rename(outPath, target));
    if (plan.fsync) await syncFolder(dirname(target));
    return {
      path: target,
      bytes: layout.size,
      bigTiff: layout.big,
      levels: levels.map((l) => ({
        width: l.width,
        height: l.height,
        tiles: l.lengths.length,
        bytes: l.lengths.reduce((a, b) => a + b, 0),
      })),
    };
  } finally {
    await tiles?.close().catch(() => {});
    await out?.close().catch(() => {});
    await rm(tilesPath, { force: true }).catch(() => {});
    await rm(outPath, { force: true }).catch(() => {});
  }
}

/** Copies the tiles from the store in COG order, each framed by its size and its last 4 bytes. */
async function copyTiles(
  store: TileStore,
  out: FileHandle,
  levels: readonly StoredLevel[],
  layout: CogLayout,
): Promise<void> {
  let at = layout.head.length;
  for (let k = levels.length - 1; k >= 0; k--) {
    const level = levels[k]!;
    const offsets = layout.offsets[k]!;
    for (let ty = 0; ty < level.tilesY; ty++) {
      const first = ty * level.tilesX;
      let span = 0;
      for (let i = first; i < first + level.tilesX; i++) span += level.lengths[i]!;
      const data = await store.read(level.rowStart[ty]!, span);
      const chunk = Buffer.alloc(span + 8 * level.tilesX);
      let p = 0;
      let q = 0;
      for (let i = first; i < first + level.tilesX; i++) {
        const n = level.lengths[i]!;
        if (offsets[i] !== at + p + 4)
          throw new Error(`COG layout mismatch at tile ${i} of level ${k}`);
        chunk.writeUInt32LE(n, p);
        data.copy(chunk, p + 4, q, q + n);
        // The trailer repeats the last 4 bytes (left-padded with zeros for a shorter tile).
        data.copy(chunk, p + 4 + n + Math.max(0, 4 - n), q + Math.max(0, n - 4), q + n);
        p += n + 8;
        q += n;
      }
      await writeAll(out, [chunk], at);
      at += chunk.length;
    }
  }
  if (at !== layout.size)
    throw new Error(`COG layout mismatch: wrote ${at} bytes, planned ${layout.size}`);
}

/** Makes a rename durable (where the system lets a folder be synced). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some systems cannot fsync a folder; the file itself is already on disk.
  }
}

/**
 * The target must be a regular file or nothing: the rename would otherwise replace a device, a
 * symbolic link or a folder's name (`'out/'`) with the COG.
 */
function refuseNonFile(path: string, target: string): void {
  const stat = lstatSync(target, { throwIfNoEntry: false });
  const what =
    stat === undefined || stat.isFile()
      ? undefined
      : stat.isSymbolicLink()
        ? 'a symbolic link'
        : stat.isDirectory()
          ? 'a folder'
          : 'not a regular file';
  if (what !== undefined || /[/\\]$/.test(path)) {
    throw new CogWriteError(
      `cannot write a COG at ${target}: it is ${what ?? 'a folder name'}; give the path of a file (it is replaced whole)`,
      'EINVAL',
      target,
    );
  }
}
