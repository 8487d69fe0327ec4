/**
 * Property test: every Job the launcher writes, for any asset key, partition, run, worker
 * tags of the configured node pools, compute, slots, environment, command and timeout, passes
 * the Job schema of the fields we rely on (test/_job-schema.ts) and keeps Weir's policies: no
 * Kubernetes retries, a request never above its limit, credentials only from Secrets, the
 * command as given (escaped only where Kubernetes would expand it), GPUs counted in limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuCores, launchRequest, memoryBytes, type WeirError } from 'weir';
import { jobManifest, parseLauncherConfig } from '../src/index.js';
import { CONFIG } from './_config.js';
import { jobSchema } from './_job-schema.js';

const config = parseLauncherConfig({
  ...CONFIG,
  perSlot: { cpu: '250m', memory: '512Mi' },
  nodePools: {
    gpu: { nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' }, gpus: 1 },
    highmem: { nodeSelector: { 'weir.dev/memory': 'high' }, limits: { memory: '256Gi' } },
    spot: {
      tolerations: [
        {
          key: 'cloud.google.com/gke-spot',
          operator: 'Equal',
          value: 'true',
          effect: 'NoSchedule',
        },
      ],
    },
  },
});

const cpu = fc.oneof(
  fc.integer({ min: 1, max: 64 }).map(String),
  fc.integer({ min: 1, max: 64_000 }).map((m) => `${m}m`),
);
const memory = fc.oneof(
  fc.integer({ min: 1, max: 200 }).map((n) => `${n}Gi`),
  fc.integer({ min: 64, max: 100_000 }).map((n) => `${n}Mi`),
  fc.integer({ min: 1, max: 200 }).map((n) => `${n}G`),
);
const envName = fc
  .stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/)
  .filter((n) => !/PASSWORD|SECRET|TOKEN|CREDENTIAL|_KEY$|DATABASE_URL/.test(n));

const spec = fc.record({
  key: fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.stringMatching(/^[a-z]{1,10}(\/[a-z_]{1,30}){1,3}$/),
  ),
  withAsset: fc.boolean(),
  partition: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
  run: fc.option(fc.string({ minLength: 1, maxLength: 70 }), { nil: undefined }),
  workerTags: fc.subarray(['gpu', 'spot', 'highmem']),
  pool: fc.option(fc.stringMatching(/^[a-z][a-z0-9_-]{0,30}$/), { nil: undefined }),
  slots: fc.integer({ min: 1, max: 8 }),
  cpu: fc.option(cpu, { nil: undefined }),
  memory: fc.option(memory, { nil: undefined }),
  gpus: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
  command: fc
    .array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 8 })
    .map((args) => ['weir', ...args]),
  env: fc.dictionary(envName, fc.string({ maxLength: 30 })),
  timeoutMs: fc.option(fc.integer({ min: 1, max: 10 ** 9 }), { nil: undefined }),
  location: fc.option(fc.constantFrom('prep', 'ml'), { nil: undefined }),
});

describe('every manifest', () => {
  it('passes the Job schema and keeps Weir’s policies', () => {
    let written = 0;
    fc.assert(
      fc.property(spec, (s) => {
        const tags: Record<string, string> = {};
        if (s.workerTags.length > 0) tags.resources = s.workerTags.join(',');
        if (s.gpus !== undefined) tags.gpu = String(s.gpus);
        const request = launchRequest({
          ...(s.withAsset
            ? { asset: { key: s.key, tags, pool: s.pool, slots: s.slots } }
            : { workerTags: s.workerTags }),
          ...(s.partition === undefined ? {} : { partition: s.partition }),
          ...(s.run === undefined ? {} : { run: s.run }),
          ...(s.location === undefined ? {} : { location: s.location }),
          ...(s.timeoutMs === undefined ? {} : { timeoutMs: s.timeoutMs }),
          resources: { cpu: s.cpu, memory: s.memory },
          command: s.command,
          env: s.env,
        });
        let manifest: ReturnType<typeof jobManifest>;
        try {
          manifest = jobManifest(request, config);
        } catch (error) {
          // The one refusal these inputs can meet: a memory request above highmem's limit.
          expect((error as WeirError).code).toBe('E_LAUNCH');
          expect((error as Error).message).toMatch(/requests memory .* above its limit 256Gi/);
          return;
        }
        written += 1;
        const parsed = jobSchema.safeParse(manifest);
        expect(parsed.error?.issues).toBeUndefined();
        const pod = manifest.spec.template.spec;
        const container = pod.containers[0]!;
        expect(manifest.spec.backoffLimit).toBe(0);
        expect(pod.restartPolicy).toBe('Never');
        expect(manifest.spec.template.metadata.labels).toEqual(manifest.metadata.labels);
        // The command as given: only "$(" doubled, which Kubernetes reads back as "$(".
        expect(container.command.map((a) => a.replaceAll('$$(', '$('))).toEqual(s.command);
        // Requests never above limits.
        const { requests = {}, limits = {} } = container.resources;
        if (requests.memory !== undefined && limits.memory !== undefined) {
          expect(memoryBytes(requests.memory)!).toBeLessThanOrEqual(memoryBytes(limits.memory)!);
        }
        if (requests.cpu !== undefined && limits.cpu !== undefined) {
          expect(cpuCores(requests.cpu)!).toBeLessThanOrEqual(cpuCores(limits.cpu)!);
        }
        // GPUs: in limits, with a toleration, whenever the step or its pool asks for them.
        const gpus = (s.withAsset ? s.gpus : undefined) ?? (s.workerTags.includes('gpu') ? 1 : 0);
        expect(limits['nvidia.com/gpu']).toBe(gpus > 0 ? String(gpus) : undefined);
        if (gpus > 0)
          expect(pod.tolerations).toContainEqual({
            key: 'nvidia.com/gpu',
            operator: 'Exists',
            effect: 'NoSchedule',
          });
        // Credentials only by reference; every secretEnv name present.
        const byName = new Map(container.env.map((e) => [e.name, e]));
        expect(byName.get('WEIR_DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
          name: 'weir-database',
          key: 'url',
        });
        // Annotations name the asset exactly; the deadline is the timeout rounded up.
        if (s.withAsset) expect(manifest.metadata.annotations!['weir.dev/asset-key']).toBe(s.key);
        expect(manifest.spec.activeDeadlineSeconds).toBe(
          s.timeoutMs === undefined ? undefined : Math.ceil(s.timeoutMs / 1000),
        );
      }),
      { numRuns: 1500 },
    );
    expect(written).toBeGreaterThan(1000);
  });
});
