/**
 * @module locations
 * Code locations: a project split into folders, each a project of its own with its own
 * dependencies, loaded in its own process. Each location's process describes its assets as a
 * manifest (data, no functions); the project merges them into one graph and runs each
 * located asset's steps in its location's processes.
 */

export { LocationError } from './location-error.js';
export {
  type LocationExecutor,
  type LocationExecutorOptions,
  locationExecutor,
} from './location-executor.js';
export {
  describeLocation,
  type LocationManifest,
  MANIFEST_VERSION,
  type ManifestAsset,
} from './manifest.js';
export {
  type LoadedLocation,
  type MergedProject,
  mergeLocations,
} from './merge.js';
