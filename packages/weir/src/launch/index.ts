/**
 * @module launch
 * How a worker gets a machine: the `Launcher` interface, `launchRequest()` to describe a
 * launch from an asset's tags, pool and slots, and the local process launcher. The
 * Kubernetes Job launcher is `@weir/kubernetes`.
 */

export {
  COMPUTE_TAGS,
  type ComputeResources,
  computeResourcesOf,
  cpuCores,
  memoryBytes,
  validateComputeResources,
} from './compute-resources.js';
export type {
  LaunchExit,
  Launcher,
  LaunchHandle,
  LaunchOutcome,
  LaunchRequest,
} from './launcher.js';
export {
  type LaunchOutputStream,
  type LocalProcessLauncherOptions,
  localProcessLauncher,
} from './local-process-launcher.js';
export { type LaunchableAsset, type LaunchSpec, launchRequest } from './request.js';
export { assertValidWorkerTag, WORKER_TAGS_TAG, workerTagsOf } from './worker-tags.js';
