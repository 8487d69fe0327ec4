/**
 * @module artefacts/conformance/integrity
 * The ArtefactStore conformance suite's cases on integrity: corrupt content found, repaired by storing again, atomic publish.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashTree } from '../_tree-hash.js';
import type { ArtefactStore } from '../artefact-store.js';
import { collect, type Kit, rejection, text, writeTree } from './_kit.js';

export function integrityCases<S extends ArtefactStore>({
  options,
  withStore,
  absentLocation,
}: Kit<S>): void {
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
}
