/**
 * @module config
 * The Kubernetes launcher's configuration: the image, namespace and service account of the
 * workers, a node pool per worker tag (node selector, tolerations, GPUs, compute), compute for
 * every worker and per slot, an image per code location, the environment (plain values, and
 * secrets by reference only), labels and annotations. Validated with zod; every problem is
 * reported with its path and what is expected.
 */

import { assertValidWorkerTag, cpuCores, EnvironmentError, memoryBytes } from 'weir';
import { z } from 'zod';
import {
  DNS_LABEL,
  ENV_NAME,
  isDnsLabel,
  isDnsSubdomain,
  isLabelValue,
  isQualifiedName,
  isResourceName,
  SECRET_KEY,
} from './_rules.js';

const dnsLabel = z.string().refine(isDnsLabel, {
  error: 'must be a DNS-1123 label (lower-case letters, digits and -, ≤ 63)',
});
const dnsSubdomain = z.string().refine(isDnsSubdomain, {
  error: 'must be a DNS-1123 subdomain (lower-case letters, digits, - and ., ≤ 253)',
});
const labelKey = z
  .string()
  .refine(isQualifiedName, { error: 'must be a label key: [prefix/]name, name ≤ 63 characters' });
const labelValue = z
  .string()
  .refine(isLabelValue, { error: 'must be a label value: ≤ 63 letters, digits, -, _ or .' });
const envName = z.string().regex(ENV_NAME, { error: 'must be an environment variable name' });
const cpu = z
  .string()
  .refine((text) => (cpuCores(text) ?? 0) > 0, { error: "must be CPU cores: '2', '0.5', '500m'" });
const memory = z.string().refine((text) => (memoryBytes(text) ?? 0) > 0, {
  error: "must be memory: '512Mi', '8Gi', '1G'",
});
const image = z
  .string()
  .regex(/^[^\s]+$/, { error: 'must be an image reference: registry/name:tag or @sha256:…' });

const workerTag = z.string().refine(
  (tag) => {
    try {
      assertValidWorkerTag(tag, 'nodePools');
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be a worker tag: lower-case letters, digits, ".", "_" or "-" (gpu, highmem)' },
);

const compute = z.strictObject({ cpu: cpu.optional(), memory: memory.optional() });

const toleration = z.strictObject({
  key: labelKey.optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: labelValue.optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.int().min(0).optional(),
});

const nodePool = z.strictObject({
  /** Node labels its workers must land on; default `{ 'weir.dev/pool': <tag> }`. */
  nodeSelector: z.record(labelKey, labelValue).optional(),
  tolerations: z.array(toleration).optional(),
  /** GPUs each worker gets (limits[gpuResource]); a toleration for the GPU taint is added. */
  gpus: z.int().min(0).optional(),
  /** The extended resource GPUs are counted in (default `nvidia.com/gpu`). */
  gpuResource: z.string().refine(isResourceName, { error: 'must be a resource name' }).optional(),
  requests: compute.optional(),
  limits: compute.optional(),
  /** An image for this pool's workers (a CUDA build, say); a code location's image wins. */
  image: image.optional(),
});

const secretRef = z.strictObject({
  secret: dnsSubdomain,
  key: z.string().regex(SECRET_KEY, { error: 'must be a Secret key: letters, digits, -, _ or .' }),
});

const configSchema = z.strictObject({
  image,
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  imagePullSecrets: z.array(dnsSubdomain).optional(),
  namespace: dnsLabel,
  serviceAccountName: dnsSubdomain.optional(),
  jobNamePrefix: z
    .string()
    .regex(DNS_LABEL, { error: 'must be lower-case letters, digits and -' })
    .max(20, { error: 'must be at most 20 characters (a Job name is at most 63)' })
    .default('weir'),
  ttlSecondsAfterFinished: z.int().min(0).default(3600),
  /** activeDeadlineSeconds of a launch that gives no timeout; none when unset. */
  timeoutSeconds: z.int().min(1).optional(),
  terminationGracePeriodSeconds: z.int().min(0).default(30),
  env: z.record(envName, z.string()).default({}),
  secretEnv: z.record(envName, secretRef).default({}),
  requests: compute.optional(),
  limits: compute.optional(),
  /** Compute per slot of the step's pool, times its slots, unless the asset declares its own. */
  perSlot: compute.optional(),
  nodePools: z.record(workerTag, nodePool).default({}),
  /** Where a worker with no worker tag runs; anywhere when unset. */
  defaultNodePool: nodePool.optional(),
  locations: z.record(dnsLabel, z.strictObject({ image })).default({}),
  labels: z.record(labelKey, labelValue).default({}),
  annotations: z.record(labelKey, z.string()).default({}),
});

/** The configuration as written (defaults optional). */
export type KubernetesLauncherConfig = z.input<typeof configSchema>;
/** The configuration with its defaults filled in. */
export type ResolvedLauncherConfig = z.output<typeof configSchema>;
export type NodePoolConfig = z.output<typeof nodePool>;
export type ComputeQuantities = z.output<typeof compute>;

/** Names that hold credentials: they come from a Secret (`secretEnv`), never inline. */
const SENSITIVE =
  /(^WEIR_DATABASE_URL$|^DATABASE_URL$|PASSWORD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|_KEY$)/i;

export function isSensitiveEnvName(name: string): boolean {
  return SENSITIVE.test(name);
}

/** Validates `input` and fills in defaults; throws one error listing every problem. */
export function parseLauncherConfig(input: KubernetesLauncherConfig): ResolvedLauncherConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.') || '(top level)';
      const message =
        issue.code === 'invalid_key'
          ? `key ${issue.issues[0]?.message ?? issue.message}`
          : issue.message;
      return `${path}: ${message}`;
    });
    throw new EnvironmentError(
      'E_LAUNCH',
      `kubernetes launcher configuration: ${problems.join('; ')}`,
      {
        hint: 'see @weir/kubernetes README, "Configuration"',
      },
    );
  }
  const config = result.data;
  const inline = Object.keys(config.env).filter(isSensitiveEnvName);
  if (inline.length > 0) {
    throw new EnvironmentError(
      'E_LAUNCH',
      `kubernetes launcher configuration: env ${inline.join(', ')} would put a credential in the Job's spec, readable by anyone who can read Jobs`,
      {
        hint: `give it from a Secret: secretEnv: { ${inline[0]}: { secret: 'weir-database', key: 'url' } }`,
      },
    );
  }
  const both = Object.keys(config.env).filter((name) => Object.hasOwn(config.secretEnv, name));
  if (both.length > 0) {
    throw new EnvironmentError(
      'E_LAUNCH',
      `kubernetes launcher configuration: ${both.join(', ')} is in both env and secretEnv`,
      { hint: 'keep one' },
    );
  }
  return config;
}
