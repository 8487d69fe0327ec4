/**
 * The deployment files under deploy/: each parses as YAML, and each holds together. Compose: the
 * Weir services reach PostgreSQL and MinIO, and every credential comes from .env. Kubernetes:
 * every object is namespaced in `weir`, Deployments select their own pods, service accounts,
 * ConfigMaps and Secrets named exist or are the documented ones, no credential is inline, each
 * tagged worker pool lands where the Job launcher would put the same tag's steps, requests fit
 * their limits, the daemon may do what the Job launcher asks of the API server, and KEDA
 * scales Deployments that exist. Not applied to a cluster here (there is none).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cpuCores, launchRequest, memoryBytes } from 'weir';
import { parse, parseAllDocuments } from 'yaml';
import { isSensitiveEnvName, jobManifest, parseLauncherConfig } from '../src/index.js';
import { CONFIG } from './_config.js';

const DEPLOY = fileURLToPath(new URL('../../../deploy/', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is walked as data
type Doc = Record<string, any>;

/** The Secrets (and keys) the guide tells people to create, and nothing else may be referenced. */
const DOCUMENTED_SECRETS = new Map([
  ['weir-database', new Set(['url'])],
  ['weir-s3', new Set(['access-key-id', 'secret-access-key'])],
]);

describe('deploy/compose/compose.yaml', () => {
  const text = readFileSync(join(DEPLOY, 'compose', 'compose.yaml'), 'utf8');
  const compose = parse(text, { merge: true }) as Doc;
  const services = compose.services as Record<string, Doc>;

  it('parses, with the parts of a one-machine deployment', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['daemon', 'minio', 'minio-bucket', 'postgres', 'server', 'worker', 'worker-highmem'].sort(),
    );
    expect(Object.keys(compose.volumes)).toEqual(['postgres-data', 'minio-data']);
  });

  it('points every Weir service at PostgreSQL and MinIO, waiting for both', () => {
    for (const name of ['daemon', 'server', 'worker', 'worker-highmem']) {
      const service = services[name]!;
      expect(service.environment.WEIR_DATABASE_URL).toMatch(
        /^postgres:\/\/weir:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/weir$/,
      );
      expect(service.environment.WEIR_ARTEFACTS).toBe('s3://weir-artefacts/');
      expect(service.environment.WEIR_S3_ENDPOINT).toBe('http://minio:9000');
      expect(service.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        'minio-bucket': { condition: 'service_completed_successfully' },
      });
    }
    expect(services.daemon!.command).toEqual(['daemon', '--executor', 'queue']);
    expect(services.worker!.command[0]).toBe('worker');
    expect(services['worker-highmem']!.command).toEqual([
      'worker',
      '--tags',
      'highmem',
      '--concurrency',
      '1',
    ]);
    expect(services.server!.environment.WEIR_TOKEN).toMatch(/^\$\{WEIR_TOKEN:\?/);
  });

  it('takes every credential from .env, never from the file', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, value] of Object.entries(
        (service.environment ?? {}) as Record<string, string>,
      )) {
        if (!/PASSWORD|SECRET|TOKEN|DATABASE_URL/.test(variable)) continue;
        expect(value, `${name}.${variable}`).toMatch(/\$\{[A-Z_]+:\?[^}]+\}/);
      }
    }
  });

  it('names only services that exist in depends_on', () => {
    for (const service of Object.values(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(Object.keys(services)).toContain(dependency);
      }
    }
  });
});

describe('deploy/kubernetes', () => {
  const folder = join(DEPLOY, 'kubernetes');
  const files = readdirSync(folder).filter((name) => name.endsWith('.yaml'));
  const docs: Array<{ file: string; doc: Doc }> = files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((d) => {
      expect(d.errors, file).toEqual([]);
      return { file, doc: d.toJS() as Doc };
    }),
  );
  const ofKind = (kind: string) =>
    docs.filter(({ doc }) => doc.kind === kind).map(({ doc }) => doc);
  const names = (kind: string) => new Set(ofKind(kind).map((doc) => doc.metadata.name as string));
  const deployments = ofKind('Deployment');
  const containers = deployments.flatMap((d) => d.spec.template.spec.containers as Doc[]);

  it('parses every file into objects with a kind and a name, in namespace weir', () => {
    expect(files.sort()).toEqual([
      'daemon.yaml',
      'instance.yaml',
      'keda.yaml',
      'namespace.yaml',
      'rbac.yaml',
      'workers.yaml',
    ]);
    for (const { file, doc } of docs) {
      expect(doc.apiVersion, file).toEqual(expect.any(String));
      expect(doc.metadata?.name, file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (doc.kind !== 'Namespace')
        expect(doc.metadata.namespace, `${file} ${doc.metadata.name}`).toBe('weir');
    }
    expect(names('Namespace')).toEqual(new Set(['weir']));
    expect(ofKind('Secret')).toEqual([]); // secrets are created apart, never committed
  });

  it('has a daemon and a worker Deployment per pool, each selecting its own pods', () => {
    expect(names('Deployment')).toEqual(
      new Set(['weir-daemon', 'weir-worker-prep', 'weir-worker-highmem', 'weir-worker-gpu']),
    );
    for (const deployment of deployments) {
      const labels = deployment.spec.template.metadata.labels;
      for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) {
        expect(labels[key], `${deployment.metadata.name} ${key}`).toBe(value);
      }
    }
    const selectors = deployments.map((d) => JSON.stringify(d.spec.selector.matchLabels));
    expect(new Set(selectors).size).toBe(selectors.length);
  });

  it('references only service accounts, ConfigMaps and the documented Secrets, with no credential inline', () => {
    const accounts = names('ServiceAccount');
    const configMaps = names('ConfigMap');
    for (const deployment of deployments) {
      expect(accounts).toContain(deployment.spec.template.spec.serviceAccountName);
    }
    for (const container of containers) {
      for (const source of container.envFrom ?? [])
        expect(configMaps).toContain(source.configMapRef.name);
      for (const env of container.env ?? []) {
        if (env.valueFrom?.secretKeyRef !== undefined) {
          const { name, key } = env.valueFrom.secretKeyRef;
          expect(DOCUMENTED_SECRETS.get(name)?.has(key), `${name}/${key}`).toBe(true);
        } else {
          expect(isSensitiveEnvName(env.name), env.name).toBe(false);
        }
      }
      expect(
        container.env.find((e: Doc) => e.name === 'WEIR_DATABASE_URL').valueFrom.secretKeyRef,
      ).toEqual({
        name: 'weir-database',
        key: 'url',
      });
    }
    for (const map of ofKind('ConfigMap')) {
      for (const key of Object.keys(map.data)) expect(isSensitiveEnvName(key), key).toBe(false);
    }
  });

  it('puts each tagged worker pool where the Job launcher puts the same tag’s steps', () => {
    const launcher = parseLauncherConfig({
      ...CONFIG,
      nodePools: { gpu: { gpus: 1 }, highmem: {} },
    });
    for (const deployment of deployments) {
      const command = deployment.spec.template.spec.containers[0].command as string[];
      if (command[1] !== 'worker') continue;
      const tagAt = command.indexOf('--tags');
      if (tagAt === -1) continue;
      const tags = command[tagAt + 1]!.split(',');
      const job = jobManifest(
        launchRequest({ workerTags: tags, command: ['weir', 'worker', '--once'] }),
        launcher,
      );
      const pod = deployment.spec.template.spec;
      expect(pod.nodeSelector, deployment.metadata.name).toEqual(
        job.spec.template.spec.nodeSelector,
      );
      for (const toleration of job.spec.template.spec.tolerations ?? []) {
        expect(pod.tolerations, deployment.metadata.name).toContainEqual(toleration);
      }
      const gpus = job.spec.template.spec.containers[0]!.resources.limits?.['nvidia.com/gpu'];
      expect(pod.containers[0].resources.limits['nvidia.com/gpu'], deployment.metadata.name).toBe(
        gpus,
      );
    }
  });

  it('writes quantities Weir and Kubernetes read, requests within limits', () => {
    for (const container of containers) {
      const { requests = {}, limits = {} } = container.resources;
      for (const [kind, read] of [
        ['cpu', cpuCores],
        ['memory', memoryBytes],
      ] as const) {
        if (requests[kind] !== undefined)
          expect(read(String(requests[kind])), `${container.name} ${kind}`).toBeGreaterThan(0);
        if (requests[kind] !== undefined && limits[kind] !== undefined) {
          expect(read(String(requests[kind]))!).toBeLessThanOrEqual(read(String(limits[kind]))!);
        }
      }
      expect(container.command[0]).toBe('weir');
    }
  });

  it('lets the daemon do what the Job launcher asks of the API server, and the workers nothing', () => {
    const [role] = ofKind('Role');
    const allowed = (group: string, resource: string, verb: string) =>
      (role!.rules as Doc[]).some(
        (rule) =>
          rule.apiGroups.includes(group) &&
          rule.resources.includes(resource) &&
          rule.verbs.includes(verb),
      );
    // What @weir/kubernetes calls: POST, GET and DELETE on jobs, GET (list) on pods.
    for (const verb of ['create', 'get', 'delete'])
      expect(allowed('batch', 'jobs', verb), verb).toBe(true);
    expect(allowed('', 'pods', 'list')).toBe(true);
    const [binding] = ofKind('RoleBinding');
    expect(binding!.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: role!.metadata.name,
    });
    expect(binding!.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'weir-daemon', namespace: 'weir' },
    ]);
    const daemon = deployments.find((d) => d.metadata.name === 'weir-daemon')!;
    expect(daemon.spec.template.spec.serviceAccountName).toBe('weir-daemon');
    const worker = ofKind('ServiceAccount').find((a) => a.metadata.name === 'weir-worker')!;
    expect(worker.automountServiceAccountToken).toBe(false);
    // The launcher's Jobs run as the worker account, which this folder defines.
    expect(parseLauncherConfig(CONFIG).serviceAccountName).toBe('weir-worker');
    expect(parseLauncherConfig(CONFIG).namespace).toBe('weir');
    for (const { secret, key } of Object.values(parseLauncherConfig(CONFIG).secretEnv)) {
      expect(DOCUMENTED_SECRETS.get(secret)?.has(key), `${secret}/${key}`).toBe(true);
    }
  });

  it('has KEDA scale Deployments that exist, the tagged pools down to zero', () => {
    const scaled = ofKind('ScaledObject');
    expect(scaled.map((s) => s.spec.scaleTargetRef.name).sort()).toEqual([
      'weir-worker-gpu',
      'weir-worker-highmem',
      'weir-worker-prep',
    ]);
    const auth = names('TriggerAuthentication');
    for (const object of scaled) {
      expect(names('Deployment')).toContain(object.spec.scaleTargetRef.name);
      for (const trigger of object.spec.triggers) {
        expect(trigger.type).toBe('postgresql');
        expect(auth).toContain(trigger.authenticationRef.name);
        expect(trigger.metadata.query).toMatch(/^SELECT count\(\*\) FROM graphile_worker\.jobs/);
      }
    }
    const min = Object.fromEntries(scaled.map((s) => [s.metadata.name, s.spec.minReplicaCount]));
    expect(min).toEqual({ 'weir-worker-prep': 1, 'weir-worker-highmem': 0, 'weir-worker-gpu': 0 });
    for (const ref of ofKind('TriggerAuthentication').flatMap((t) => t.spec.secretTargetRef)) {
      expect(DOCUMENTED_SECRETS.get(ref.name)?.has(ref.key)).toBe(true);
    }
  });
});
