/**
 * @module artefacts/conformance
 * One test suite that every ArtefactStore must pass (the local store here, the S3 store of
 * `@weir/s3`): the contract of `artefact-store.ts` stated as tests. Content addressing, reads
 * checked against the address, repair by storing again, atomic publish, directories, `gc`'s
 * removal racing a writer, and the `ArtefactError` problems a caller branches on.
 *
 * The suite damages stored objects through a hook the implementation's test supplies
 * (`corrupt`), since only it knows where its bytes live.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../hash.js';
import { hashTree } from './_tree-hash.js';
import { ArtefactError, type ArtefactStore, type StoredObject } from './artefact-store.js';

export interface ArtefactStoreConformanceOptions<S extends ArtefactStore = ArtefactStore> {
  name: string;
  /** A new, empty store in storage of its own. The suite closes it. */
  create: () => Promise<S>;
  /**
   * Changes the content stored at `location` so that it no longer matches its address, as a bad
   * disk, a tool writing in place or another writer of the bucket would: a file or blob gets
   * one byte changed (same size), a directory one byte of one of its files. Its modification
   * time may move or not; the suite relies on neither.
   */
  corrupt: (location: string, store: S) => Promise<void>;
  /**
   * Makes the store's writes fail partway, after some of the bytes were sent or written (a full
   * disk, a dropped connection), until the function it returns is called. The suite then checks
   * that the failed `putBytes` of 12 MiB left nothing behind. A store that cannot have a fault
   * injected says why (`{ unsupported }`): the case is registered as skipped with the reason in
   * its name.
   */
  failWritesMidway: ((store: S) => Promise<() => Promise<void>>) | { unsupported: string };
}

const text = (s: string) => new TextEncoder().encode(s);

/** Deterministic bytes that are not text: every byte value occurs. */
function binary(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<ArtefactError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ArtefactError);
    return error as ArtefactError;
  }
  throw new Error('expected an ArtefactError, but the call succeeded');
}

async function collect(store: ArtefactStore): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const item of store.list()) out.push(item);
  return out;
}

/** A tree as `relative path → content` (directories as `null`), for comparing two trees. */
function treeOf(path: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      if (lstatSync(full).isDirectory()) {
        out[relative] = null;
        walk(full, relative);
      } else out[relative] = readFileSync(full, 'latin1');
    }
  };
  walk(path, '');
  return out;
}

/** Writes a tree (`relative path → content`, `null` for an empty directory) at `root`. */
function writeTree(root: string, tree: Record<string, string | Uint8Array | null>): void {
  mkdirSync(root, { recursive: true });
  for (const [relative, content] of Object.entries(tree)) {
    const full = join(root, relative);
    if (content === null) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function runArtefactStoreConformance<S extends ArtefactStore>(
  options: ArtefactStoreConformanceOptions<S>,
): void {
  /** Runs `test` on a new store, closing it afterwards whatever happens. */
  const withStore = (test: (store: S) => Promise<void>) => async () => {
    const store = await options.create();
    try {
      await test(store);
    } finally {
      await store.close();
    }
  };

  /** A location that names content, but nothing stored: stored once, then removed. */
  const absentLocation = async (store: S, seed: string): Promise<string> => {
    const { location } = await store.putBytes(text(`absent ${seed}`));
    expect(await store.remove(location, { unlessModifiedAfter: Date.now() + 60_000 })).toBe(true);
    return location;
  };

  const RACY = 'remove racing a putBytes of the same content never loses what the writer stored';

  describe(`ArtefactStore conformance: ${options.name}`, () => {
    describe('content addressing', () => {
      it(
        'putBytes names the bytes by their SHA-256: same bytes, same location; stored once',
        withStore(async (store) => {
          const bytes = text('{"peak":3.25}');
          const first = await store.putBytes(bytes, { label: 'gauges/peaks' });
          expect(first).toMatchObject({ contentHash: sha256(bytes), size: 13, type: 'blob' });
          expect(typeof first.location).toBe('string');
          expect(first.location).toContain(sha256(bytes));
          const again = await store.putBytes(text('{"peak":3.25}'));
          expect(again).toEqual(first);
          const other = await store.putBytes(text('{"peak":3.26}'));
          expect(other.location).not.toBe(first.location);
          const listed = await collect(store);
          expect(listed.map((o) => o.location).sort()).toEqual(
            [first.location, other.location].sort(),
          );
        }),
      );

      it(
        'reads back exactly what was stored: empty, text and binary bytes',
        withStore(async (store) => {
          for (const bytes of [new Uint8Array(0), text('héllo, wörld'), binary(1 << 20, 7)]) {
            const { location, size } = await store.putBytes(bytes);
            expect(size).toBe(bytes.byteLength);
            expect(Buffer.from(await store.read(location)).equals(Buffer.from(bytes))).toBe(true);
            expect(await store.exists(location)).toBe(true);
          }
        }),
      );

      it(
        'keeps the bytes as they were when put, whatever the caller does with its buffer after',
        withStore(async (store) => {
          const bytes = text('before');
          const { location } = await store.putBytes(bytes);
          bytes.set(text('AFTER!'));
          expect(new TextDecoder().decode(await store.read(location))).toBe('before');
        }),
      );

      it(
        'concurrent puts of the same bytes agree on one location and store one object',
        withStore(async (store) => {
          const bytes = binary(64 * 1024, 3);
          const stored = await Promise.all(
            Array.from({ length: 8 }, () => store.putBytes(bytes.slice())),
          );
          expect(new Set(stored.map((s) => s.location)).size).toBe(1);
          expect(await collect(store)).toHaveLength(1);
          expect(Buffer.from(await store.read(stored[0]!.location)).equals(bytes)).toBe(true);
        }),
      );
    });

    describe('files and directories', () => {
      it(
        'putPath moves a file from tempPath into the store, at the address its bytes have anyway',
        withStore(async (store) => {
          const bytes = binary(300 * 1024, 11);
          const out = await store.tempPath('models/weights');
          expect(existsSync(out)).toBe(false);
          expect(existsSync(dirname(out))).toBe(true);
          writeFileSync(out, bytes);
          const stored = await store.putPath(out, { label: 'models/weights' });
          expect(stored).toMatchObject({
            contentHash: sha256(bytes),
            size: bytes.byteLength,
            type: 'file',
          });
          expect(existsSync(out)).toBe(false);
          expect((await store.putBytes(bytes)).location).toBe(stored.location);
          expect(Buffer.from(await store.read(stored.location)).equals(bytes)).toBe(true);
          const path = await store.localPath(stored.location);
          expect(readFileSync(path).equals(bytes)).toBe(true);
        }),
      );

      it(
        'stores a directory under the hash of its manifest, and hands it back whole',
        withStore(async (store) => {
          const tree = {
            'a.txt': 'alpha',
            'band/b1.txt': '12345',
            'band/deeper/b2.bin': binary(70_000, 5),
            'empty-dir': null,
            'Z-upper.txt': '',
          };
          const out = await store.tempPath('rasters/dem');
          writeTree(out, tree);
          const expected = hashTree(out);
          const stored = await store.putPath(out);
          expect(stored).toEqual({
            location: stored.location,
            contentHash: expected.hash,
            size: expected.size,
            type: 'directory',
          });
          expect(existsSync(out)).toBe(false);
          const again = await store.tempPath('rasters/dem');
          writeTree(again, tree);
          expect((await store.putPath(again)).location).toBe(stored.location);
          const path = await store.localPath(stored.location);
          const copy = mkdtempSync(join(tmpdir(), 'weir-conformance-'));
          try {
            writeTree(join(copy, 'tree'), tree);
            expect(treeOf(path)).toEqual(treeOf(join(copy, 'tree')));
          } finally {
            rmSync(copy, { recursive: true, force: true });
          }
          expect(await store.verify(stored.location, { deep: true })).toEqual({
            status: 'intact',
            hashed: true,
          });
          const listed = await collect(store);
          expect(listed).toHaveLength(1);
          expect(listed[0]!.size).toBeGreaterThanOrEqual(expected.size);

          const changed = await store.tempPath('rasters/dem');
          writeTree(changed, { ...tree, 'band/b1.txt': '12346' });
          expect((await store.putPath(changed)).location).not.toBe(stored.location);
        }),
      );

      it(
        'an empty directory and an empty file are different artefacts',
        withStore(async (store) => {
          const dir = await store.tempPath('empty');
          mkdirSync(dir);
          const file = await store.tempPath('empty');
          writeFileSync(file, '');
          const a = await store.putPath(dir);
          const b = await store.putPath(file);
          expect(a.type).toBe('directory');
          expect(b.type).toBe('file');
          expect(a.location).not.toBe(b.location);
          expect(readdirSync(await store.localPath(a.location))).toEqual([]);
          expect(readFileSync(await store.localPath(b.location))).toHaveLength(0);
        }),
      );

      it(
        "putPath of a path where nothing was written is an ArtefactError 'missing'",
        withStore(async (store) => {
          const out = await store.tempPath('nothing');
          const error = await rejection(store.putPath(out));
          expect(error.problem).toBe('missing');
        }),
      );
    });

    describe('temporary paths', () => {
      it(
        'tempPath gives fresh paths; discard removes a file or a tree, and nothing outside the store',
        withStore(async (store) => {
          const a = await store.tempPath('out');
          const b = await store.tempPath('out');
          expect(a).not.toBe(b);
          writeFileSync(a, 'partial');
          writeTree(b, { 'x/y.txt': 'partial' });
          await store.discard(a);
          await store.discard(b);
          expect(existsSync(a)).toBe(false);
          expect(existsSync(b)).toBe(false);
          await store.discard(a);
          const foreign = mkdtempSync(join(tmpdir(), 'weir-conformance-foreign-'));
          try {
            writeFileSync(join(foreign, 'keep.txt'), 'not the store’s');
            await store.discard(join(foreign, 'keep.txt'));
            await store.discard(foreign);
            expect(readFileSync(join(foreign, 'keep.txt'), 'utf8')).toBe('not the store’s');
          } finally {
            rmSync(foreign, { recursive: true, force: true });
          }
        }),
      );

      it('close removes the temporary paths it handed out and did not store', async () => {
        const store = await options.create();
        const out = await store.tempPath('abandoned');
        writeTree(out, { 'part.txt': 'half' });
        await store.close();
        expect(existsSync(out)).toBe(false);
      });
    });

    describe('integrity', () => {
      it(
        "a blob whose bytes were altered: read refuses it ('corrupt'), verify finds it",
        withStore(async (store) => {
          const bytes = text('[1,2,3]');
          const { location, contentHash } = await store.putBytes(bytes);
          expect(await store.verify(location, { deep: true })).toEqual({
            status: 'intact',
            hashed: true,
          });
          await options.corrupt(location, store);
          const error = await rejection(store.read(location));
          expect(error.problem).toBe('corrupt');
          expect(error.code).toBe('E_ARTEFACT_CORRUPT');
          expect(error.location).toBe(location);
          expect(error.message).toContain(location);
          const deep = await store.verify(location, { deep: true });
          expect(deep.status).toBe('corrupt');
          expect(deep.status === 'corrupt' && deep.actualHash).not.toBe(contentHash);
          // Stored before anything could have written over it: whatever evidence the store
          // uses, content modified since then is hashed.
          expect((await store.verify(location, { storedAt: 0 })).status).toBe('corrupt');
          expect(await store.exists(location)).toBe(true);
        }),
      );

      it(
        'storing the same content again replaces a corrupt copy (what --force relies on)',
        withStore(async (store) => {
          const bytes = text('{"peak":3.25}');
          const { location } = await store.putBytes(bytes);
          await options.corrupt(location, store);
          expect((await store.putBytes(text('{"peak":3.25}'))).location).toBe(location);
          expect(new TextDecoder().decode(await store.read(location))).toBe('{"peak":3.25}');
          expect(await store.verify(location, { deep: true })).toEqual({
            status: 'intact',
            hashed: true,
          });
          expect(await collect(store)).toHaveLength(1);
        }),
      );

      it(
        'a file or directory written over: verify finds it, localPath refuses it, putPath repairs it',
        withStore(async (store) => {
          const write = async (kind: 'file' | 'directory') => {
            const out = await store.tempPath(kind);
            if (kind === 'file') writeFileSync(out, 'weights 0.125 0.250');
            else writeTree(out, { 'band/b1.txt': '12345', 'band/b2.txt': '67890' });
            return store.putPath(out);
          };
          for (const kind of ['file', 'directory'] as const) {
            const first = await write(kind);
            await options.corrupt(first.location, store);
            expect((await store.verify(first.location, { deep: true })).status).toBe('corrupt');
            expect((await store.verify(first.location, { storedAt: 0 })).status).toBe('corrupt');
            const error = await rejection(store.localPath(first.location, { storedAt: 0 }));
            expect(error.problem).toBe('corrupt');
            const second = await write(kind);
            expect(second.location).toBe(first.location);
            expect(await store.verify(first.location, { deep: true })).toEqual({
              status: 'intact',
              hashed: true,
            });
            const path = await store.localPath(first.location, { storedAt: 0 });
            expect(hashTree(path).hash).toBe(first.contentHash);
          }
        }),
      );

      it(
        'verify without deep reports an untouched artefact intact, and a missing one missing',
        withStore(async (store) => {
          const { location } = await store.putBytes(text('kept'));
          expect((await store.verify(location)).status).toBe('intact');
          expect((await store.verify(location, { storedAt: Date.now() + 60_000 })).status).toBe(
            'intact',
          );
          const gone = await absentLocation(store, 'verify');
          expect(await store.verify(gone)).toEqual({ status: 'missing' });
          expect(await store.verify(gone, { deep: true })).toEqual({ status: 'missing' });
          if (store.verifyMany !== undefined) {
            const many = await store.verifyMany([{ location }, { location: gone }]);
            expect(many.map((h) => h.status)).toEqual(['intact', 'missing']);
          }
        }),
      );
    });

    describe('errors', () => {
      it(
        "an artefact that is gone is 'missing' (not corrupt) to read, localPath and exists",
        withStore(async (store) => {
          const location = await absentLocation(store, 'gone');
          const read = await rejection(store.read(location));
          expect(read.problem).toBe('missing');
          expect(read.code).toBe('E_ARTEFACT');
          expect(read.location).toBe(location);
          expect((await rejection(store.localPath(location))).problem).toBe('missing');
          expect(await store.exists(location)).toBe(false);
        }),
      );

      it(
        'refuses a location that is not one of its own, without reading outside the store',
        withStore(async (store) => {
          for (const location of ['../../../etc/passwd', '/etc/passwd']) {
            const error = await rejection(store.read(location));
            expect(error.problem).not.toBe('corrupt');
          }
        }),
      );
    });

    describe('list and remove (gc)', () => {
      it(
        'lists every stored artefact once, with its size and when it was stored',
        withStore(async (store) => {
          const before = Date.now();
          const a = await store.putBytes(binary(1000, 1));
          const b = await store.putBytes(binary(2000, 2));
          await store.putBytes(binary(1000, 1));
          const after = Date.now();
          const listed = await collect(store);
          expect(listed.map((o) => [o.location, o.size]).sort()).toEqual(
            [
              [a.location, 1000],
              [b.location, 2000],
            ].sort(),
          );
          for (const object of listed) {
            // Object stores keep whole seconds.
            expect(object.modifiedAt).toBeGreaterThanOrEqual(before - 1000);
            expect(object.modifiedAt).toBeLessThanOrEqual(after + 1000);
          }
        }),
      );

      it(
        'remove keeps what was stored after the cut-off, and removes what was not',
        withStore(async (store) => {
          const { location } = await store.putBytes(text('kept'));
          expect(await store.remove(location, { unlessModifiedAfter: Date.now() - 60_000 })).toBe(
            false,
          );
          expect(await store.exists(location)).toBe(true);
          expect(await store.remove(location, { unlessModifiedAfter: Date.now() + 60_000 })).toBe(
            true,
          );
          expect(await store.exists(location)).toBe(false);
          expect(await collect(store)).toEqual([]);
          expect(await store.remove(location, { unlessModifiedAfter: Date.now() + 60_000 })).toBe(
            false,
          );
          // Stored again after removal: there again, whole.
          expect((await store.putBytes(text('kept'))).location).toBe(location);
          expect(new TextDecoder().decode(await store.read(location))).toBe('kept');
        }),
      );

      it(
        'remove of a directory removes all of it',
        withStore(async (store) => {
          const out = await store.tempPath('dir');
          writeTree(out, { 'a/b.txt': 'b', 'c.txt': 'c' });
          const { location } = await store.putPath(out);
          expect(await store.remove(location, { unlessModifiedAfter: Date.now() + 60_000 })).toBe(
            true,
          );
          expect(await store.exists(location)).toBe(false);
          expect(await collect(store)).toEqual([]);
          expect((await rejection(store.localPath(location))).problem).toBe('missing');
        }),
      );

      it(
        RACY,
        withStore(async (store) => {
          const contents = Array.from({ length: 12 }, (_, i) => text(`raced ${i}`));
          const stored = await Promise.all(contents.map((c) => store.putBytes(c)));
          // Older than the cut-off by more than a whole second (object stores keep seconds).
          await sleep(1_100);
          const cutoff = Date.now();
          await sleep(5);
          await Promise.all(
            contents.map(async (bytes, i) => {
              const location = stored[i]!.location;
              // Spread the writer over the remover's steps.
              const removing = store.remove(location, { unlessModifiedAfter: cutoff });
              await sleep(i % 4);
              const put = await store.putBytes(bytes);
              await removing;
              expect(put.location).toBe(location);
              expect(new TextDecoder().decode(await store.read(location))).toBe(`raced ${i}`);
            }),
          );
        }),
      );
    });

    const failing = options.failWritesMidway;
    const atomic = 'a putBytes that fails midway leaves nothing behind, and can be retried';
    if (typeof failing !== 'function') {
      it.skip(`${atomic} [skipped: no fault injection: ${failing.unsupported}]`, () => {});
    } else {
      it(
        atomic,
        withStore(async (store) => {
          const bytes = binary(12 << 20, 9);
          const restore = await failing(store);
          try {
            await expect(store.putBytes(bytes, { label: 'big/artefact' })).rejects.toThrow();
          } finally {
            await restore();
          }
          expect(await collect(store)).toEqual([]);
          const hash = createHash('sha256').update(bytes).digest('hex');
          const { location, contentHash } = await store.putBytes(bytes);
          expect(contentHash).toBe(hash);
          expect(Buffer.from(await store.read(location)).equals(Buffer.from(bytes))).toBe(true);
          expect(await collect(store)).toHaveLength(1);
        }),
      );
    }
  });
}
