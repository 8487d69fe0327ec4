/**
 * @module container-resources
 * The worker container's requests and limits. CPU and memory requests: the asset's own (its
 * `cpu` and `memory` tags), else `perSlot` times the step's slots, else the node pool's, else
 * every worker's. Limits: the node pool's, else every worker's; memory is limited to its
 * request when no limit is given (a worker that outgrows it is stopped, not the node). GPUs go
 * in the limits (Kubernetes counts extended resources there) with a toleration for the GPU
 * taint. A request above its limit is refused before the API server would.
 */

import { EnvironmentError, type LaunchRequest } from 'weir';
import { amountOf, type QuantityKind, scaled } from './_quantity.js';
import type { ResolvedLauncherConfig } from './config.js';
import type { ResourceRequirements, Toleration } from './job-types.js';
import type { Placement } from './node-pools.js';

interface Chosen {
  readonly value: string;
  readonly from: string;
}

export interface ContainerCompute {
  readonly resources: ResourceRequirements;
  readonly tolerations: readonly Toleration[];
}

export function containerCompute(
  request: LaunchRequest,
  placement: Placement,
  config: ResolvedLauncherConfig,
): ContainerCompute {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  const pool = placement.pools.join('+');
  for (const kind of ['cpu', 'memory'] as const) {
    const perSlot = config.perSlot?.[kind];
    const wanted = first(
      [request.resources[kind], `the launch's ${kind} (asset tag ${kind})`],
      [perSlot && scaled(kind, perSlot, request.slots), `perSlot.${kind} × ${request.slots} slots`],
      [placement.requests[kind], `nodePools.${pool}.requests.${kind}`],
      [config.requests?.[kind], `requests.${kind}`],
    );
    const limit =
      first(
        [placement.limits[kind], `nodePools.${pool}.limits.${kind}`],
        [config.limits?.[kind], `limits.${kind}`],
      ) ?? (kind === 'memory' && wanted !== undefined ? wanted : undefined);
    if (wanted !== undefined && limit !== undefined) checkFits(request, kind, wanted, limit);
    if (wanted !== undefined) requests[kind] = wanted.value;
    if (limit !== undefined) limits[kind] = limit.value;
  }
  const gpus = request.resources.gpus ?? placement.gpus ?? 0;
  const tolerations = [...placement.tolerations];
  if (gpus > 0) {
    limits[placement.gpuResource] = String(gpus);
    if (
      !tolerations.some(
        (t) => t.key === placement.gpuResource || (t.key === undefined && t.operator === 'Exists'),
      )
    ) {
      tolerations.push({ key: placement.gpuResource, operator: 'Exists', effect: 'NoSchedule' });
    }
  }
  return {
    resources: {
      ...(Object.keys(requests).length > 0 ? { requests } : {}),
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
    },
    tolerations,
  };
}

function first(...candidates: Array<[string | undefined, string]>): Chosen | undefined {
  for (const [value, from] of candidates) {
    if (value !== undefined) return { value, from };
  }
  return undefined;
}

function checkFits(
  request: LaunchRequest,
  kind: QuantityKind,
  wanted: Chosen,
  limit: Chosen,
): void {
  if (amountOf(kind, wanted.value) <= amountOf(kind, limit.value)) return;
  const who = request.asset === undefined ? `launch ${request.id}` : `asset '${request.asset}'`;
  throw new EnvironmentError(
    'E_LAUNCH',
    `${who} requests ${kind} ${wanted.value} (${wanted.from}), above its limit ${limit.value} (${limit.from})`,
    {
      hint: `lower the request or raise the limit: Kubernetes refuses a ${kind} request above its limit`,
    },
  );
}
