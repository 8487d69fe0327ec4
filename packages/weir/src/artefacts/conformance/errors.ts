/**
 * @module artefacts/conformance/errors
 * The ArtefactStore conformance suite's cases on errors: the ArtefactError problems a caller branches on.
 */
import { describe, expect, it } from 'vitest';
import type { ArtefactStore } from '../artefact-store.js';
import { type Kit, rejection } from './_kit.js';

export function errorCases<S extends ArtefactStore>({ withStore, absentLocation }: Kit<S>): void {
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
}
