/**
 * @module artefacts/conformance/files
 * The ArtefactStore conformance suite's cases on files and directories: putPath, localPath, trees.
 */
import {
  existsSync,
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
import { sha256 } from '../../hash.js';
import { hashTree } from '../_tree-hash.js';
import type { ArtefactStore } from '../artefact-store.js';
import { binary, collect, type Kit, rejection, treeOf, writeTree } from './_kit.js';

export function fileCases<S extends ArtefactStore>({ withStore }: Kit<S>): void {
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
}
