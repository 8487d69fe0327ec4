/**
 * @module @weir/s3/_tree
 * Directory artefacts in a bucket: one tar archive per directory, its entries in the order of
 * Weir's tree manifest (sorted names, depth first), so the manifest hash (the address, the same
 * the local store gives the same tree) is computed while the archive is written or read, and a
 * directory is published, removed and collected as one object.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header, type Pack, pack } from 'tar-stream';
import { EnvironmentError } from 'weir';

export interface TreeEntry {
  /** Path inside the tree, `/`-separated. */
  relative: string;
  full: string;
  type: 'file' | 'directory';
  size: number;
}

/** The header of Weir's tree manifest (see the core's artefacts/_tree-hash.ts). */
const MANIFEST_HEADER = 'weir-tree/1\n';

/** Every entry of a tree, in the manifest's order; only regular files and directories. */
export function walkTree(root: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        entries.push({ relative, full, type: 'directory', size: 0 });
        walk(full, relative);
      } else if (stat.isFile()) {
        entries.push({ relative, full, type: 'file', size: stat.size });
      } else {
        throw new EnvironmentError(
          'E_ARTEFACT',
          `cannot store ${full}: only regular files and directories can be artefacts`,
          { hint: 'copy the target of a symlink instead of linking to it' },
        );
      }
    }
  };
  walk(root, '');
  return entries;
}

/** The manifest hash of a tree, built line by line. */
export class ManifestHash {
  private readonly hash: Hash = createHash('sha256').update(MANIFEST_HEADER);
  size = 0;

  directory(relative: string): void {
    this.hash.update(`d ${relative}\n`);
  }

  file(relative: string, size: number, sha256: string): void {
    this.size += size;
    this.hash.update(`f ${relative} ${size} ${sha256}\n`);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

// Headers that depend on nothing but the content: the same tree gives the same archive bytes.
const EPOCH = new Date(0);
const FIXED = { mtime: EPOCH, uid: 0, gid: 0, uname: '', gname: '' };

/**
 * A tar archive of the tree at `root` (entries from `walkTree`), streamed; `manifest` receives
 * each entry as its bytes go by, so when the stream ends it holds the tree's address.
 */
export function packTree(entries: readonly TreeEntry[], manifest: ManifestHash): Readable {
  const archive = pack({});
  const write = async () => {
    for (const entry of entries) {
      if (entry.type === 'directory') {
        manifest.directory(entry.relative);
        await addEntry(archive, {
          ...FIXED,
          name: `${entry.relative}/`,
          type: 'directory',
          mode: 0o555,
        });
        continue;
      }
      const sha = createHash('sha256');
      let size = 0;
      const sink = archive.entry({
        ...FIXED,
        name: entry.relative,
        type: 'file',
        mode: 0o444,
        size: entry.size,
      });
      const written = new Promise<void>((resolve, reject) => {
        sink.on('finish', () => resolve());
        sink.on('error', reject);
      });
      for await (const chunk of createReadStream(entry.full)) {
        const bytes = chunk as Buffer;
        sha.update(bytes);
        size += bytes.byteLength;
        if (!sink.write(bytes)) await drained(sink);
      }
      if (size !== entry.size) {
        throw new EnvironmentError(
          'E_ARTEFACT',
          `${entry.full} changed while it was being stored (${entry.size} bytes, then ${size})`,
          { hint: 'a step must finish writing its output before it returns' },
        );
      }
      sink.end(undefined);
      await written;
      manifest.file(entry.relative, size, sha.digest('hex'));
    }
    archive.finalize();
  };
  write().catch((error: unknown) => archive.destroy(error as Error));
  return Readable.from(archive);
}

function addEntry(archive: Pack, header: Partial<Header> & { name: string }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    archive.entry(header, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** An archive that is not a tree this store wrote: the caller reports it as corrupt. */
export class NotATree extends Error {
  override readonly name = 'NotATree';
}

/**
 * Reads a tree archive, returning the manifest hash of what it holds (in its order) and, with
 * `into`, extracting it there. Anything but files and directories with plain relative names
 * is refused (`NotATree`), so an archive can never write outside `into`.
 */
export async function readTree(
  source: AsyncIterable<Uint8Array>,
  into?: string,
): Promise<{ hash: string; size: number }> {
  const manifest = new ManifestHash();
  if (into !== undefined) mkdirSync(into, { recursive: true });
  const parser = extract({});
  let sourceFailed: unknown;
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        if (parser.destroyed) break;
        if (!parser.write(chunk as Buffer)) await drained(parser);
      }
      if (!parser.destroyed) parser.end(undefined);
    } catch (error) {
      sourceFailed ??= error;
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const entry of parser) {
      const { header } = entry;
      const relative = safeRelative(header.name);
      if (header.type === 'directory') {
        manifest.directory(relative);
        if (into !== undefined) mkdirSync(join(into, relative), { recursive: true });
        entry.resume();
        continue;
      }
      if (header.type !== 'file') throw new NotATree(`entry ${relative} is a ${header.type}`);
      const sha = createHash('sha256');
      let size = 0;
      const counted = async function* () {
        for await (const chunk of entry) {
          const bytes = chunk as Buffer;
          sha.update(bytes);
          size += bytes.byteLength;
          yield bytes;
        }
      };
      if (into === undefined) {
        for await (const _ of counted()) {
          // hashed as it goes by
        }
      } else {
        const full = join(into, relative);
        mkdirSync(dirname(full), { recursive: true });
        await pipeline(Readable.from(counted()), createWriteStream(full));
      }
      manifest.file(relative, size, sha.digest('hex'));
    }
  } catch (error) {
    await feed;
    // The download failed, or the disk the tree is extracted to: not the archive's fault.
    if (sourceFailed !== undefined) throw sourceFailed;
    if (error instanceof NotATree || (error as NodeJS.ErrnoException).code !== undefined) {
      throw error;
    }
    // A header that does not parse, a truncated archive: not the tree it claims to be.
    throw new NotATree((error as Error).message);
  }
  await feed;
  if (sourceFailed !== undefined) throw sourceFailed;
  return { hash: manifest.digest(), size: manifest.size };
}

/** Until `stream` takes more, or is closed (a parse error stops reading). */
function drained(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

function safeRelative(name: string): string {
  const relative = name.replace(/\/+$/, '');
  const parts = relative.split('/');
  if (
    relative === '' ||
    name.startsWith('/') ||
    parts.some((p) => p === '' || p === '.' || p === '..')
  ) {
    throw new NotATree(`entry name ${JSON.stringify(name)} is not a plain relative path`);
  }
  return relative;
}
