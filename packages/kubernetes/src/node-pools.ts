/**
 * @module node-pools
 * Where a launch runs: the node pool of each worker tag it needs, merged (node selectors
 * joined, tolerations gathered, the larger compute and GPU count), or the default node pool
 * for a worker with no tag. A tag with no node pool, or two pools that select different values
 * of one node label, is an error that names them.
 */

import { EnvironmentError, type LaunchRequest } from 'weir';
import { larger } from './_quantity.js';
import type { ComputeQuantities, NodePoolConfig, ResolvedLauncherConfig } from './config.js';
import type { Toleration } from './job-types.js';

export const DEFAULT_GPU_RESOURCE = 'nvidia.com/gpu';
/** The node label a pool selects by default: `{ 'weir.dev/pool': <tag> }`. */
export const POOL_NODE_LABEL = 'weir.dev/pool';

/** The node pools of a launch, merged into one placement. */
export interface Placement {
  /** The pools it came from (worker tags, or `default`). */
  readonly pools: readonly string[];
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly gpus: number | undefined;
  readonly gpuResource: string;
  readonly requests: ComputeQuantities;
  readonly limits: ComputeQuantities;
  readonly image: string | undefined;
}

export function placementOf(request: LaunchRequest, config: ResolvedLauncherConfig): Placement {
  const named: Array<[string, NodePoolConfig]> = [];
  for (const tag of request.workerTags) {
    const pool = config.nodePools[tag];
    if (pool === undefined) {
      const known = Object.keys(config.nodePools);
      throw new EnvironmentError(
        'E_LAUNCH',
        `${what(request)} needs worker tag '${tag}', and the kubernetes launcher has no node pool for it`,
        {
          hint: `add nodePools.${tag} to its configuration (known: ${known.length === 0 ? 'none' : known.join(', ')})`,
        },
      );
    }
    named.push([tag, pool]);
  }
  if (named.length === 0 && config.defaultNodePool !== undefined) {
    named.push(['default', config.defaultNodePool]);
  }
  return merge(request, named);
}

function what(request: LaunchRequest): string {
  return request.asset === undefined ? `launch ${request.id}` : `asset '${request.asset}'`;
}

function merge(request: LaunchRequest, pools: ReadonlyArray<[string, NodePoolConfig]>): Placement {
  const nodeSelector: Record<string, string> = {};
  const selectedBy = new Map<string, string>();
  const tolerations: Toleration[] = [];
  const seen = new Set<string>();
  let gpus: number | undefined;
  let gpuResource: string | undefined;
  let image: string | undefined;
  let imageFrom: string | undefined;
  const requests: { cpu?: string; memory?: string } = {};
  const limits: { cpu?: string; memory?: string } = {};
  for (const [name, pool] of pools) {
    const selector = pool.nodeSelector ?? (name === 'default' ? {} : { [POOL_NODE_LABEL]: name });
    for (const [label, value] of Object.entries(selector)) {
      const other = selectedBy.get(label);
      if (other !== undefined && nodeSelector[label] !== value) {
        throw new EnvironmentError(
          'E_LAUNCH',
          `${what(request)} needs node pools '${other}' and '${name}', which select different nodes (${label}=${nodeSelector[label]} and ${label}=${value})`,
          { hint: 'give one node pool both capabilities, or tag the asset for one of them' },
        );
      }
      nodeSelector[label] = value;
      selectedBy.set(label, name);
    }
    for (const toleration of pool.tolerations ?? []) {
      const key = JSON.stringify(toleration, Object.keys(toleration).sort());
      if (!seen.has(key)) tolerations.push(toleration);
      seen.add(key);
    }
    if (pool.gpus !== undefined) gpus = Math.max(gpus ?? 0, pool.gpus);
    if (pool.gpuResource !== undefined) gpuResource ??= pool.gpuResource;
    if (pool.image !== undefined) {
      if (image !== undefined && image !== pool.image) {
        throw new EnvironmentError(
          'E_LAUNCH',
          `${what(request)} needs node pools '${imageFrom}' and '${name}', which run different images`,
          {
            hint: 'give the asset a code location with its own image (locations), or one image to both pools',
          },
        );
      }
      image = pool.image;
      imageFrom = name;
    }
    for (const kind of ['cpu', 'memory'] as const) {
      const request = larger(kind, requests[kind], pool.requests?.[kind]);
      if (request !== undefined) requests[kind] = request;
      const limit = larger(kind, limits[kind], pool.limits?.[kind]);
      if (limit !== undefined) limits[kind] = limit;
    }
  }
  return {
    pools: pools.map(([name]) => name),
    nodeSelector,
    tolerations,
    gpus,
    gpuResource: gpuResource ?? DEFAULT_GPU_RESOURCE,
    requests,
    limits,
    image,
  };
}
