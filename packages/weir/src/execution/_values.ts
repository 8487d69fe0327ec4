import { type ArtefactStore, decodeValue } from '../artefacts/index.js';
import type { FileArtefact } from '../definitions/index.js';
import type { Materialization } from '../storage/index.js';

/** The value downstream code (and checks) receive for a materialization, read from the store. */
export async function loadValue(
  artefacts: ArtefactStore,
  event: { materialization: Pick<Materialization, 'artefact'> },
  read: (location: string) => Promise<Uint8Array> = (location) => artefacts.read(location),
): Promise<unknown> {
  const { artefact } = event.materialization;
  if (artefact.format === 'files') {
    const files: FileArtefact = {
      path: await artefacts.localPath(artefact.location),
      type: artefact.type === 'directory' ? 'directory' : 'file',
    };
    return files;
  }
  return decodeValue(artefact.format, await read(artefact.location));
}
