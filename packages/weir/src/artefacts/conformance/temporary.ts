/**
 * @module artefacts/conformance/temporary
 * The ArtefactStore conformance suite's cases on temporary paths: tempPath and discard.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArtefactStore } from '../artefact-store.js';
import { type Kit, writeTree } from './_kit.js';

export function temporaryCases<S extends ArtefactStore>({ options, withStore }: Kit<S>): void {
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
}
