/**
 * @module artefacts
 * Artefact stores (local files; S3 later) and the formats values are stored in.
 */
export * from './artefact-store.js';
export * from './formats.js';
export {
  isAlive,
  LocalArtefactStore,
  type LocalArtefactStoreOptions,
  processStart,
} from './local-artefact-store.js';
export { unavailableStore } from './unavailable-store.js';
