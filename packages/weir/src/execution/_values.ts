/**
 * @module execution/_values
 * The value downstream code receives for a materialization, read from the artefact store.
 */
import { type ArtefactStore, decodeValue } from '../artefacts/index.js';
import type { FileArtefact } from '../definitions/index.js';
import type { ArtefactLocation } from '../storage/index.js';

/** The value downstream code (and checks) receive for a materialization, read from the store. */
export async function loadValue(
  artefacts: ArtefactStore,
  event: { materialization: { artefact: Pick<ArtefactLocation, 'format' | 'location' | 'type'> } },
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
