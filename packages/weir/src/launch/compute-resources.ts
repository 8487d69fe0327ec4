/**
 * @module launch/compute-resources
 * What compute a worker needs (CPU, memory, GPUs), in the notation Kubernetes, Nomad and most
 * schedulers read: CPU as cores (`2`, `0.5`, `500m`), memory as bytes with a suffix (`512Mi`,
 * `8Gi`, `1G`). An asset declares it with tags (`tags: { cpu: '4', memory: '16Gi', gpu: '1' }`),
 * beside the `resources` tag that names the worker tags it needs (`worker-tags.ts`).
 */

import { DefinitionError } from '../errors.js';

export interface ComputeResources {
  /** CPU cores: `2`, `0.5`, `500m`. */
  readonly cpu?: string | undefined;
  /** Memory: `512Mi`, `8Gi`, `1G`, `1073741824`. */
  readonly memory?: string | undefined;
  /** Whole GPUs. */
  readonly gpus?: number | undefined;
}

/** The tags an asset declares its compute with. */
export const COMPUTE_TAGS = { cpu: 'cpu', memory: 'memory', gpus: 'gpu' } as const;

const CPU = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const MEMORY_FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The cores `text` stands for (`500m` → 0.5), or undefined when it is not a CPU quantity. */
export function cpuCores(text: string): number | undefined {
  const match = CPU.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]);
  return match[2] === 'm' ? value / 1000 : value;
}

/** The bytes `text` stands for (`1Ki` → 1024), or undefined when it is not a memory quantity. */
export function memoryBytes(text: string): number | undefined {
  const match = MEMORY.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * MEMORY_FACTORS[match[2] ?? '']!;
}

/**
 * Checks `resources` and returns a copy holding only what is set; `owner` names where they
 * came from in the error (`asset 'ml/model'`).
 */
export function validateComputeResources(
  resources: ComputeResources,
  owner: string,
): ComputeResources {
  const { cpu, memory, gpus } = resources;
  if (cpu !== undefined && !((cpuCores(cpu) ?? 0) > 0)) {
    throw new DefinitionError('E_DEFINITION', `${owner}: cpu '${cpu}' is not a CPU quantity`, {
      hint: "write cores as '2', '0.5' or '500m'",
    });
  }
  if (memory !== undefined && !((memoryBytes(memory) ?? 0) > 0)) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner}: memory '${memory}' is not a memory quantity`,
      { hint: "write bytes with a suffix: '512Mi', '8Gi' (binary) or '1G' (decimal)" },
    );
  }
  if (gpus !== undefined && !(Number.isInteger(gpus) && gpus >= 0)) {
    throw new DefinitionError('E_DEFINITION', `${owner}: gpu must be a whole number ≥ 0`, {
      hint: `got ${JSON.stringify(gpus)}`,
    });
  }
  return {
    ...(cpu === undefined ? {} : { cpu }),
    ...(memory === undefined ? {} : { memory }),
    ...(gpus === undefined ? {} : { gpus }),
  };
}

/** The compute an asset's tags declare (`cpu`, `memory`, `gpu`), validated. */
export function computeResourcesOf(
  tags: Readonly<Record<string, string>>,
  owner: string,
): ComputeResources {
  const gpu = tags[COMPUTE_TAGS.gpus];
  if (gpu !== undefined && !/^\d+$/.test(gpu)) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner}: tag gpu '${gpu}' is not a whole number of GPUs`,
      { hint: "write tags: { gpu: '1' }" },
    );
  }
  return validateComputeResources(
    {
      cpu: tags[COMPUTE_TAGS.cpu],
      memory: tags[COMPUTE_TAGS.memory],
      gpus: gpu === undefined ? undefined : Number(gpu),
    },
    `${owner} tag`,
  );
}
