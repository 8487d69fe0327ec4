/**
 * @module manifest
 * `jobManifest()`: the `batch/v1` Job that runs one launch. `backoffLimit: 0` and
 * `restartPolicy: Never` (Weir retries a step by its retry policy, and a retried step must go
 * through the lease again, not be rerun in place by Kubernetes), `ttlSecondsAfterFinished` so
 * finished Jobs do not pile up, `activeDeadlineSeconds` from the launch's timeout, placement
 * from the worker tags' node pools, compute from the asset and the pools, environment with
 * secrets by reference, labels to select by and annotations naming the asset exactly.
 */

import type { LaunchRequest } from 'weir';
import { EnvironmentError } from 'weir';
import type { ResolvedLauncherConfig } from './config.js';
import { containerCompute } from './container-resources.js';
import { containerEnv, escapeExpansion } from './env.js';
import { jobNameOf, labelValueOf } from './job-name.js';
import type { JobManifest, PodSpec } from './job-types.js';
import { placementOf } from './node-pools.js';

/** Label and annotation keys the launcher writes. */
export const LABELS = {
  name: 'app.kubernetes.io/name',
  managedBy: 'app.kubernetes.io/managed-by',
  launch: 'weir.dev/launch',
  asset: 'weir.dev/asset',
  run: 'weir.dev/run',
  stepPool: 'weir.dev/step-pool',
  location: 'weir.dev/location',
  /** `worker-tag.weir.dev/<tag>: "true"` for each worker tag. */
  workerTagPrefix: 'worker-tag.weir.dev/',
} as const;

export const ANNOTATIONS = {
  assetKey: 'weir.dev/asset-key',
  partition: 'weir.dev/partition',
  run: 'weir.dev/run',
  pool: 'weir.dev/pool',
  slots: 'weir.dev/slots',
  workerTags: 'weir.dev/worker-tags',
  tags: 'weir.dev/tags',
  nodePools: 'weir.dev/node-pools',
} as const;

export function jobManifest(request: LaunchRequest, config: ResolvedLauncherConfig): JobManifest {
  const placement = placementOf(request, config);
  const compute = containerCompute(request, placement, config);
  const labels = labelsOf(request, config);
  const annotations = annotationsOf(request, config, placement.pools);
  const timeoutSeconds =
    request.timeoutMs === undefined ? config.timeoutSeconds : Math.ceil(request.timeoutMs / 1000);
  const pod: PodSpec = {
    restartPolicy: 'Never',
    ...(config.serviceAccountName === undefined
      ? {}
      : { serviceAccountName: config.serviceAccountName }),
    ...(Object.keys(placement.nodeSelector).length === 0
      ? {}
      : { nodeSelector: { ...placement.nodeSelector } }),
    ...(compute.tolerations.length === 0 ? {} : { tolerations: [...compute.tolerations] }),
    ...(config.imagePullSecrets === undefined
      ? {}
      : { imagePullSecrets: config.imagePullSecrets.map((name) => ({ name })) }),
    terminationGracePeriodSeconds: config.terminationGracePeriodSeconds,
    containers: [
      {
        name: 'worker',
        image: imageOf(request, config, placement.image),
        ...(config.imagePullPolicy === undefined
          ? {}
          : { imagePullPolicy: config.imagePullPolicy }),
        command: request.command.map(escapeExpansion),
        env: containerEnv(request, config),
        resources: compute.resources,
      },
    ],
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameOf(request, config.jobNamePrefix),
      namespace: config.namespace,
      labels,
      annotations,
    },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: config.ttlSecondsAfterFinished,
      ...(timeoutSeconds === undefined ? {} : { activeDeadlineSeconds: timeoutSeconds }),
      template: { metadata: { labels: { ...labels }, annotations: { ...annotations } }, spec: pod },
    },
  };
}

function imageOf(
  request: LaunchRequest,
  config: ResolvedLauncherConfig,
  poolImage: string | undefined,
): string {
  if (request.location === undefined) return poolImage ?? config.image;
  const location = config.locations[request.location];
  if (location === undefined) {
    const known = Object.keys(config.locations);
    throw new EnvironmentError(
      'E_LAUNCH',
      `the launch names code location '${request.location}', which the kubernetes launcher has no image for`,
      {
        hint: `add locations.${request.location}.image (known: ${known.length === 0 ? 'none' : known.join(', ')})`,
      },
    );
  }
  return location.image;
}

function labelsOf(request: LaunchRequest, config: ResolvedLauncherConfig): Record<string, string> {
  const labels: Record<string, string> = {
    ...config.labels,
    [LABELS.name]: 'weir-worker',
    [LABELS.managedBy]: 'weir',
    [LABELS.launch]: labelValueOf(request.id),
  };
  if (request.asset !== undefined) labels[LABELS.asset] = labelValueOf(request.asset);
  if (request.run !== undefined) labels[LABELS.run] = labelValueOf(request.run);
  if (request.pool !== undefined) labels[LABELS.stepPool] = labelValueOf(request.pool);
  if (request.location !== undefined) labels[LABELS.location] = labelValueOf(request.location);
  for (const tag of request.workerTags) labels[`${LABELS.workerTagPrefix}${tag}`] = 'true';
  return labels;
}

function annotationsOf(
  request: LaunchRequest,
  config: ResolvedLauncherConfig,
  pools: readonly string[],
): Record<string, string> {
  const annotations: Record<string, string> = { ...config.annotations };
  if (request.asset !== undefined) annotations[ANNOTATIONS.assetKey] = request.asset;
  if (request.partition !== undefined) annotations[ANNOTATIONS.partition] = request.partition;
  if (request.run !== undefined) annotations[ANNOTATIONS.run] = request.run;
  if (request.pool !== undefined) annotations[ANNOTATIONS.pool] = request.pool;
  annotations[ANNOTATIONS.slots] = String(request.slots);
  if (request.workerTags.length > 0)
    annotations[ANNOTATIONS.workerTags] = request.workerTags.join(',');
  if (Object.keys(request.tags).length > 0)
    annotations[ANNOTATIONS.tags] = JSON.stringify(request.tags);
  if (pools.length > 0) annotations[ANNOTATIONS.nodePools] = pools.join(',');
  return annotations;
}
