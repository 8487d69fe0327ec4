/**
 * @module @weir/kubernetes
 * Runs Weir workers as Kubernetes Jobs: `kubernetesJobLauncher()` turns a launch request
 * (an asset's tags, pool, slots and compute, or worker tags alone) into a `batch/v1` Job on
 * the node pool of its worker tags and submits it to the API server; `jobManifest()` builds
 * the Job without submitting it.
 */

export {
  type InClusterApi,
  inClusterApi,
  type KubernetesApiConfig,
  SERVICE_ACCOUNT_DIR,
} from './api-config.js';
export {
  type ComputeQuantities,
  isSensitiveEnvName,
  type KubernetesLauncherConfig,
  type NodePoolConfig,
  parseLauncherConfig,
  type ResolvedLauncherConfig,
} from './config.js';
export { escapeExpansion } from './env.js';
export { jobNameOf, labelValueOf, slugOf } from './job-name.js';
export type {
  Container,
  EnvVar,
  JobCondition,
  JobManifest,
  JobStatusView,
  ObjectMeta,
  PodSpec,
  ResourceRequirements,
  Toleration,
} from './job-types.js';
export {
  type KubernetesJobLauncher,
  type KubernetesJobLauncherOptions,
  kubernetesJobLauncher,
} from './launcher.js';
export { ANNOTATIONS, jobManifest, LABELS } from './manifest.js';
export {
  DEFAULT_GPU_RESOURCE,
  type Placement,
  POOL_NODE_LABEL,
  placementOf,
} from './node-pools.js';
