/**
 * @module cli/_artefact-notes
 * What `history` and `why` say about a materialization whose artefact is no longer in the
 * store: collected by `weir gc` (on purpose, explained by an `artefacts:collected` event), or
 * missing (lost: `weir verify` says more).
 */
import { collectedLocations, type Instance } from '../execution/index.js';
import { formatTime } from './format.js';

/** A note per location that is gone from the store, for the given locations. */
export async function goneArtefacts(
  instance: Instance,
  locations: Iterable<string>,
): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  let collected: Map<string, number> | undefined;
  for (const location of new Set(locations)) {
    if (await instance.artefacts.exists(location)) continue;
    collected ??= await collectedLocations(instance);
    const at = collected.get(location);
    notes.set(
      location,
      at === undefined
        ? 'artefact missing (weir verify --repair)'
        : `artefact collected by gc on ${formatTime(at)}`,
    );
  }
  return notes;
}
