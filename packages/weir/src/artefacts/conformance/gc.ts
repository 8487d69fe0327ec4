/**
 * @module artefacts/conformance/gc
 * The ArtefactStore conformance suite's cases on list and remove (gc), and remove racing a writer.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ArtefactStore } from '../artefact-store.js';
import { binary, collect, type Kit, rejection, sleep, text, writeTree } from './_kit.js';

const RACY = 'remove racing a putBytes of the same content never loses what the writer stored';

export function gcCases<S extends ArtefactStore>({ options, withStore }: Kit<S>): void {
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
}
