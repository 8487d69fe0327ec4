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
import { describe } from 'vitest';
import type { ArtefactStore } from './artefact-store.js';
import { type ArtefactStoreConformanceOptions, kitOf } from './conformance/_kit.js';
import { addressingCases } from './conformance/addressing.js';
import { errorCases } from './conformance/errors.js';
import { fileCases } from './conformance/files.js';
import { gcCases } from './conformance/gc.js';
import { integrityCases } from './conformance/integrity.js';
import { temporaryCases } from './conformance/temporary.js';

export type { ArtefactStoreConformanceOptions } from './conformance/_kit.js';

export function runArtefactStoreConformance<S extends ArtefactStore>(
  options: ArtefactStoreConformanceOptions<S>,
): void {
  const kit = kitOf(options);
  describe(`ArtefactStore conformance: ${options.name}`, () => {
    addressingCases(kit);
    fileCases(kit);
    temporaryCases(kit);
    integrityCases(kit);
    errorCases(kit);
    gcCases(kit);
  });
}
