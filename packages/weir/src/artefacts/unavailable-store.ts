/**
 * @module artefacts/unavailable-store
 * A stand-in for an artefact store that could not be opened (its server down, its credentials
 * refused), for commands that answer from the event log alone (`weir status`): every call
 * fails with the error the store gave when it was opened, so nothing can mistake it for an
 * empty store.
 */
import type { ArtefactHealth, ArtefactStore, StoredObject } from './artefact-store.js';

export function unavailableStore(reason: Error): ArtefactStore {
  const fail = async (): Promise<never> => {
    throw reason;
  };
  return {
    putBytes: fail,
    putPath: fail,
    read: fail,
    localPath: fail,
    exists: fail,
    verify: async (): Promise<ArtefactHealth> => ({ status: 'unreadable', error: reason.message }),
    list: (): AsyncIterable<StoredObject> => ({
      [Symbol.asyncIterator]: () => ({ next: fail }),
    }),
    remove: fail,
    tempPath: fail,
    discard: async () => {},
    close: async () => {},
  };
}
