/**
 * Job manifests from launch requests, spelled out in full for the main cases (a GPU step, a
 * worker by tags, a step with no tag), then one rule at a time: placement, compute, secrets,
 * names, timeouts, code locations, and the configuration's errors.
 */

import { describe, expect, it } from 'vitest';
import { asset, launchRequest, type WeirError } from 'weir';
import { jobManifest, type KubernetesLauncherConfig, parseLauncherConfig } from '../src/index.js';
import { CONFIG } from './_config.js';
import { jobSchema } from './_job-schema.js';

const config = parseLauncherConfig(CONFIG);

const lstmModel = asset({
  key: 'camels/lstm_model',
  tags: { resources: 'gpu' },
  pool: 'gpu',
  materialize: () => 1,
});

const slope = asset({
  key: 'terrain/slope',
  tags: { resources: 'highmem' },
  pool: 'highmem',
  slots: 2,
  materialize: () => 1,
});

function manifestOf(
  spec: Parameters<typeof launchRequest>[0],
  with_: Partial<KubernetesLauncherConfig> = {},
) {
  const manifest = jobManifest(
    launchRequest({ id: 'l-1', ...spec }),
    parseLauncherConfig({ ...CONFIG, ...with_ }),
  );
  expect(jobSchema.safeParse(manifest).error).toBeUndefined();
  return manifest;
}

function thrown(run: () => unknown): WeirError {
  try {
    run();
  } catch (error) {
    return error as WeirError;
  }
  throw new Error('expected an error');
}

describe('jobManifest', () => {
  it('writes a GPU step’s Job in full', () => {
    const request = launchRequest({
      id: '7f9c2b1e-4a5d-4e6f-8a9b-0c1d2e3f4a5b',
      asset: lstmModel,
      partition: 'polished',
      run: 'r-20240601-0001',
      command: ['weir', 'worker', '--tags', 'gpu', '--once'],
      env: { HYDRO_EPOCHS: '40' },
      timeoutMs: 5_400_000,
    });
    const labels = {
      'app.kubernetes.io/name': 'weir-worker',
      'app.kubernetes.io/managed-by': 'weir',
      'weir.dev/launch': '7f9c2b1e-4a5d-4e6f-8a9b-0c1d2e3f4a5b',
      'weir.dev/asset': 'camels.lstm_model-4d9ca44e', // '/' is not allowed: changed, so hashed
      'weir.dev/run': 'r-20240601-0001',
      'weir.dev/step-pool': 'gpu',
      'worker-tag.weir.dev/gpu': 'true',
    };
    const annotations = {
      'weir.dev/asset-key': 'camels/lstm_model',
      'weir.dev/partition': 'polished',
      'weir.dev/run': 'r-20240601-0001',
      'weir.dev/pool': 'gpu',
      'weir.dev/slots': '1',
      'weir.dev/worker-tags': 'gpu',
      'weir.dev/tags': '{"resources":"gpu"}',
      'weir.dev/node-pools': 'gpu',
    };
    const manifest = jobManifest(request, config);
    const name = 'weir-camels-lstm-model-polished-ac523f1d1b';
    expect(manifest).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'weir', labels, annotations },
      spec: {
        backoffLimit: 0,
        ttlSecondsAfterFinished: 3600,
        activeDeadlineSeconds: 5400,
        template: {
          metadata: { labels, annotations },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: 'weir-worker',
            nodeSelector: { 'weir.dev/pool': 'gpu' },
            tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name: 'worker',
                image: 'registry.example.org/hydrology:1.4.0',
                command: ['weir', 'worker', '--tags', 'gpu', '--once'],
                env: [
                  { name: 'HYDRO_EPOCHS', value: '40' },
                  { name: 'WEIR_ARTEFACTS', value: 's3://weir-artefacts/hydrology/' },
                  { name: 'WEIR_PROJECT', value: '/app' },
                  {
                    name: 'AWS_SECRET_ACCESS_KEY',
                    valueFrom: { secretKeyRef: { name: 'weir-s3', key: 'secret-access-key' } },
                  },
                  {
                    name: 'WEIR_DATABASE_URL',
                    valueFrom: { secretKeyRef: { name: 'weir-database', key: 'url' } },
                  },
                  { name: 'WEIR_LAUNCH_ID', value: '7f9c2b1e-4a5d-4e6f-8a9b-0c1d2e3f4a5b' },
                ],
                resources: {
                  requests: { cpu: '4', memory: '16Gi' },
                  limits: { memory: '16Gi', 'nvidia.com/gpu': '1' },
                },
              },
            ],
          },
        },
      },
    });
    expect(jobSchema.safeParse(manifest).error).toBeUndefined();
    // The same request gives the same Job: the name depends on the launch id, not on chance.
    expect(jobManifest(request, config)).toEqual(manifest);
  });

  it('writes a worker-by-tags Job (a pool of steps) in full', () => {
    const manifest = manifestOf({
      id: 'pool-highmem-1',
      workerTags: ['highmem'],
      command: ['weir', 'worker', '--tags', 'highmem', '--concurrency', '2'],
    });
    const labels = {
      'app.kubernetes.io/name': 'weir-worker',
      'app.kubernetes.io/managed-by': 'weir',
      'weir.dev/launch': 'pool-highmem-1',
      'worker-tag.weir.dev/highmem': 'true',
    };
    const annotations = {
      'weir.dev/slots': '1',
      'weir.dev/worker-tags': 'highmem',
      'weir.dev/node-pools': 'highmem',
    };
    expect(manifest.metadata).toEqual({
      name: 'weir-worker-highmem-0a93fab93b',
      namespace: 'weir',
      labels,
      annotations,
    });
    expect(manifest.spec.activeDeadlineSeconds).toBeUndefined();
    expect(manifest.spec.template.spec).toEqual({
      restartPolicy: 'Never',
      serviceAccountName: 'weir-worker',
      nodeSelector: { 'weir.dev/pool': 'highmem' },
      tolerations: [{ key: 'weir.dev/highmem', operator: 'Exists', effect: 'NoSchedule' }],
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'worker',
          image: 'registry.example.org/hydrology:1.4.0',
          command: ['weir', 'worker', '--tags', 'highmem', '--concurrency', '2'],
          env: expect.any(Array),
          resources: {
            requests: { cpu: '2', memory: '48Gi' },
            limits: { memory: '60Gi' },
          },
        },
      ],
    });
  });

  it('runs a step with no worker tag anywhere, on every worker’s requests', () => {
    const manifest = manifestOf({
      asset: { key: 'gauges/readings' },
      command: ['weir', 'worker', '--once'],
    });
    const pod = manifest.spec.template.spec;
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
    expect(pod.containers[0]!.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { memory: '1Gi' },
    });
    expect(manifest.metadata.annotations).not.toHaveProperty('weir.dev/node-pools');
  });

  it('puts a step with no worker tag on the default node pool when there is one', () => {
    const manifest = manifestOf(
      { asset: { key: 'gauges/readings' }, command: ['w'] },
      { defaultNodePool: { nodeSelector: { 'cloud.google.com/gke-nodepool': 'core' } } },
    );
    expect(manifest.spec.template.spec.nodeSelector).toEqual({
      'cloud.google.com/gke-nodepool': 'core',
    });
    expect(manifest.metadata.annotations!['weir.dev/node-pools']).toBe('default');
  });

  describe('placement', () => {
    it('joins the node pools of several worker tags', () => {
      const manifest = manifestOf(
        { asset: { key: 'ml/big', tags: { resources: 'gpu,highmem' } }, command: ['w'] },
        {
          nodePools: {
            gpu: {
              nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
              gpus: 1,
              requests: { cpu: '4', memory: '16Gi' },
            },
            highmem: {
              nodeSelector: { 'weir.dev/memory': 'high' },
              tolerations: [{ key: 'weir.dev/highmem', operator: 'Exists', effect: 'NoSchedule' }],
              requests: { cpu: '2', memory: '48Gi' },
              limits: { memory: '60Gi' },
            },
          },
        },
      );
      const pod = manifest.spec.template.spec;
      expect(pod.nodeSelector).toEqual({
        'cloud.google.com/gke-accelerator': 'nvidia-l4',
        'weir.dev/memory': 'high',
      });
      expect(pod.tolerations).toEqual([
        { key: 'weir.dev/highmem', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ]);
      expect(pod.containers[0]!.resources).toEqual({
        requests: { cpu: '4', memory: '48Gi' },
        limits: { memory: '60Gi', 'nvidia.com/gpu': '1' },
      });
    });

    it('refuses node pools that select different nodes, naming both', () => {
      // CONFIG's gpu pool selects weir.dev/pool=gpu, highmem the default weir.dev/pool=highmem.
      const error = thrown(() =>
        manifestOf({
          asset: { key: 'ml/big', tags: { resources: 'gpu,highmem' } },
          command: ['w'],
        }),
      );
      expect(error.code).toBe('E_LAUNCH');
      expect(error.message).toBe(
        "asset 'ml/big' needs node pools 'gpu' and 'highmem', which select different nodes (weir.dev/pool=gpu and weir.dev/pool=highmem)",
      );
    });

    it('refuses a worker tag with no node pool, listing the known ones', () => {
      const error = thrown(() =>
        manifestOf({ asset: { key: 'ml/tpu', tags: { resources: 'tpu' } }, command: ['w'] }),
      );
      expect(error.message).toBe(
        "asset 'ml/tpu' needs worker tag 'tpu', and the kubernetes launcher has no node pool for it",
      );
      expect(error.hint).toBe('add nodePools.tpu to its configuration (known: gpu, highmem)');
    });

    it('takes any worker tag as a node pool’s name, and refuses what is not one', () => {
      const manifest = manifestOf(
        { workerTags: ['high_mem.v2'], command: ['w'] },
        { nodePools: { 'high_mem.v2': {} } },
      );
      expect(manifest.spec.template.spec.nodeSelector).toEqual({ 'weir.dev/pool': 'high_mem.v2' });
      expect(manifest.metadata.labels!['worker-tag.weir.dev/high_mem.v2']).toBe('true');
      expect(manifest.metadata.name).toMatch(/^weir-worker-high-mem-v2-[0-9a-f]{10}$/);
      expect(
        thrown(() => parseLauncherConfig({ ...CONFIG, nodePools: { GPU: {} } })).message,
      ).toContain('nodePools.GPU: key must be a worker tag');
    });

    it('selects weir.dev/pool=<tag> when a node pool gives no selector', () => {
      const manifest = manifestOf(
        { workerTags: ['spot'], command: ['w'] },
        {
          nodePools: {
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
        },
      );
      expect(manifest.spec.template.spec.nodeSelector).toEqual({ 'weir.dev/pool': 'spot' });
    });

    it('counts GPUs in the pool’s own resource and keeps a toleration the pool gives', () => {
      const manifest = manifestOf(
        { workerTags: ['gpu'], command: ['w'] },
        {
          nodePools: {
            gpu: {
              gpus: 2,
              gpuResource: 'amd.com/gpu',
              tolerations: [{ key: 'amd.com/gpu', operator: 'Exists' }],
            },
          },
        },
      );
      const pod = manifest.spec.template.spec;
      expect(pod.tolerations).toEqual([{ key: 'amd.com/gpu', operator: 'Exists' }]);
      expect(pod.containers[0]!.resources.limits).toEqual({ memory: '1Gi', 'amd.com/gpu': '2' });
    });
  });

  describe('compute', () => {
    it('takes the asset’s own cpu, memory and gpu tags first', () => {
      const manifest = manifestOf({
        asset: { key: 'ml/m', tags: { resources: 'gpu', cpu: '8', memory: '30Gi', gpu: '2' } },
        command: ['w'],
      });
      expect(manifest.spec.template.spec.containers[0]!.resources).toEqual({
        requests: { cpu: '8', memory: '30Gi' },
        limits: { memory: '30Gi', 'nvidia.com/gpu': '2' },
      });
    });

    it('scales perSlot by the step’s slots before the node pool’s requests', () => {
      const manifest = manifestOf(
        { asset: slope, command: ['w'] },
        { perSlot: { cpu: '750m', memory: '12Gi' } },
      );
      expect(manifest.spec.template.spec.containers[0]!.resources).toEqual({
        requests: { cpu: '1500m', memory: '24Gi' },
        limits: { memory: '60Gi' },
      });
      const three = manifestOf(
        { asset: { key: 'x/y', slots: 3 }, command: ['w'] },
        { perSlot: { cpu: '1', memory: '1.5Gi' } },
      );
      expect(three.spec.template.spec.containers[0]!.resources.requests).toEqual({
        cpu: '3',
        memory: '4608Mi',
      });
    });

    it('refuses a request above its limit before the API server would, saying where each came from', () => {
      const error = thrown(() =>
        manifestOf({
          asset: { key: 'geo/huge', tags: { resources: 'highmem', memory: '100Gi' } },
          command: ['w'],
        }),
      );
      expect(error.message).toBe(
        "asset 'geo/huge' requests memory 100Gi (the launch's memory (asset tag memory)), above its limit 60Gi (nodePools.highmem.limits.memory)",
      );
    });

    it('writes a CPU limit only when one is configured', () => {
      const manifest = manifestOf({ workerTags: [], command: ['w'] }, { limits: { cpu: '2' } });
      expect(manifest.spec.template.spec.containers[0]!.resources.limits).toEqual({
        cpu: '2',
        memory: '1Gi',
      });
    });
  });

  describe('environment', () => {
    it('takes a secretEnv name from its Secret, never the launch’s inline value', () => {
      const manifest = manifestOf({
        command: ['w'],
        env: { WEIR_DATABASE_URL: 'postgres://weir:hunter2@db/weir' },
      });
      const env = manifest.spec.template.spec.containers[0]!.env;
      expect(env.filter((e) => e.name === 'WEIR_DATABASE_URL')).toEqual([
        {
          name: 'WEIR_DATABASE_URL',
          valueFrom: { secretKeyRef: { name: 'weir-database', key: 'url' } },
        },
      ]);
      expect(JSON.stringify(manifest)).not.toContain('hunter2');
    });

    it('refuses a launch carrying another credential inline', () => {
      const error = thrown(() =>
        manifestOf({ asset: { key: 'a/b' }, command: ['w'], env: { PGPASSWORD: 'hunter2' } }),
      );
      expect(error.message).toBe(
        "the launch of asset 'a/b' carries PGPASSWORD, a credential the kubernetes launcher will not write into a Job's spec",
      );
    });

    it('lets the launch’s values override the configuration’s, and keeps $(…) as written', () => {
      const manifest = manifestOf({
        command: ['weir', 'worker', '--label', '$(HOSTNAME)'],
        env: { WEIR_PROJECT: '/other', NOTE: 'costs $(PRICE)' },
      });
      const container = manifest.spec.template.spec.containers[0]!;
      expect(container.command).toEqual(['weir', 'worker', '--label', '$$(HOSTNAME)']);
      expect(container.env).toContainEqual({ name: 'WEIR_PROJECT', value: '/other' });
      expect(container.env).toContainEqual({ name: 'NOTE', value: 'costs $$(PRICE)' });
    });
  });

  describe('timeouts, locations and names', () => {
    it('sets activeDeadlineSeconds from the launch’s timeout (rounded up), else the configuration’s', () => {
      expect(manifestOf({ command: ['w'], timeoutMs: 1500 }).spec.activeDeadlineSeconds).toBe(2);
      expect(
        manifestOf({ command: ['w'] }, { timeoutSeconds: 7200 }).spec.activeDeadlineSeconds,
      ).toBe(7200);
      expect(
        manifestOf({ command: ['w'] }, { ttlSecondsAfterFinished: 60 }).spec
          .ttlSecondsAfterFinished,
      ).toBe(60);
    });

    it('runs a code location’s image, and refuses a location it has no image for', () => {
      const ml = manifestOf({ asset: lstmModel, location: 'ml', command: ['w'] });
      expect(ml.spec.template.spec.containers[0]!.image).toBe(
        'registry.example.org/weir-ml-pytorch:1.4.0',
      );
      expect(ml.metadata.labels!['weir.dev/location']).toBe('ml');
      const error = thrown(() => manifestOf({ location: 'gis', command: ['w'] }));
      expect(error.message).toBe(
        "the launch names code location 'gis', which the kubernetes launcher has no image for",
      );
      expect(error.hint).toBe('add locations.gis.image (known: prep, ml)');
    });

    it('names two launches of one step differently, and keys that read alike differently', () => {
      const a = manifestOf({ asset: { key: 'a/b' }, command: ['w'], id: 'one' });
      const b = manifestOf({ asset: { key: 'a/b' }, command: ['w'], id: 'two' });
      const c = manifestOf({ asset: { key: 'a_b' }, command: ['w'], id: 'one' });
      expect(new Set([a, b, c].map((m) => m.metadata.name)).size).toBe(3);
      expect(a.metadata.name).toMatch(/^weir-a-b-[0-9a-f]{10}$/);
      expect(
        manifestOf({ command: ['w'], id: 'x' }, { jobNamePrefix: 'hydro' }).metadata.name,
      ).toMatch(/^hydro-worker-[0-9a-f]{10}$/);
    });
  });
});

describe('parseLauncherConfig', () => {
  it('fills in the defaults', () => {
    const parsed = parseLauncherConfig({ image: 'weir:1', namespace: 'weir' });
    expect(parsed).toEqual({
      image: 'weir:1',
      namespace: 'weir',
      jobNamePrefix: 'weir',
      ttlSecondsAfterFinished: 3600,
      terminationGracePeriodSeconds: 30,
      env: {},
      secretEnv: {},
      nodePools: {},
      locations: {},
      labels: {},
      annotations: {},
    });
  });

  it('lists every problem with its path', () => {
    const error = thrown(() =>
      parseLauncherConfig({
        image: 'weir:1',
        namespace: 'Weir_Prod',
        jobNamePrefix: 'a-very-long-prefix-for-jobs',
        nodePools: { gpu: { gpus: -1, requests: { memory: '16 gigs' } } },
        secretEnv: {
          WEIR_DATABASE_URL: { secret: 'weir-database', key: 'url' },
          'BAD-NAME': { secret: 's', key: 'k' },
        },
        // @ts-expect-error: not a field
        replicas: 3,
      }),
    );
    expect(error.code).toBe('E_LAUNCH');
    expect(error.message).toContain('kubernetes launcher configuration: ');
    expect(error.message).toContain('namespace: must be a DNS-1123 label');
    expect(error.message).toContain('jobNamePrefix: must be at most 20 characters');
    expect(error.message).toContain('nodePools.gpu.gpus: ');
    expect(error.message).toContain(
      "nodePools.gpu.requests.memory: must be memory: '512Mi', '8Gi', '1G'",
    );
    expect(error.message).toContain('secretEnv.BAD-NAME: key must be an environment variable name');
    expect(error.message).toContain('(top level): Unrecognized key: "replicas"');
  });

  it('refuses a credential in env, pointing at secretEnv', () => {
    const error = thrown(() =>
      parseLauncherConfig({
        image: 'weir:1',
        namespace: 'weir',
        env: { WEIR_DATABASE_URL: 'postgres://weir:hunter2@db/weir' },
      }),
    );
    expect(error.message).toBe(
      "kubernetes launcher configuration: env WEIR_DATABASE_URL would put a credential in the Job's spec, readable by anyone who can read Jobs",
    );
    expect(error.hint).toBe(
      "give it from a Secret: secretEnv: { WEIR_DATABASE_URL: { secret: 'weir-database', key: 'url' } }",
    );
  });
});
