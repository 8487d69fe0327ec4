/**
 * The launcher's exchange with an API server, against a real local HTTP(S) server started by
 * the test (no Kubernetes here): the Job is POSTed to /apis/batch/v1/namespaces/<ns>/jobs with
 * the bearer token and the manifest as its body; `wait` reads the Job (and its pod) until a
 * condition says it ended; `stop` deletes it; refusals and an unreachable or untrusted server
 * become errors that say what to check; a pod's service account files work as they would
 * in a cluster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchRequest, type WeirError } from 'weir';
import { inClusterApi, kubernetesJobLauncher } from '../src/index.js';
import {
  type Answer,
  type ApiServer,
  selfSignedCertificate,
  startApiServer,
  status,
} from './_api-server.js';
import { CONFIG } from './_config.js';

const gpuStep = () =>
  launchRequest({
    asset: { key: 'camels/lstm_model', tags: { resources: 'gpu' }, pool: 'gpu' },
    partition: 'polished',
    command: ['weir', 'worker', '--tags', 'gpu', '--once'],
  });

const JOBS = '/apis/batch/v1/namespaces/weir/jobs';

function created(body: unknown): Answer {
  const job = body as { metadata: Record<string, unknown> };
  return { status: 201, body: { ...job, metadata: { ...job.metadata, uid: 'c0ffee' } } };
}

function jobWith(conditions: unknown[]): Answer {
  return { status: 200, body: { kind: 'Job', status: { conditions } } };
}

async function rejection(promise: Promise<unknown>): Promise<WeirError> {
  try {
    await promise;
  } catch (error) {
    return error as WeirError;
  }
  throw new Error('expected a rejection');
}

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer(() => ({ status: 500 }));
});
afterEach(() => {
  server.requests.length = 0;
});
afterAll(() => server.close());

function launcher(extra: { token?: string; tokenFile?: string } = { token: 't0k3n' }) {
  return kubernetesJobLauncher({
    config: CONFIG,
    api: { server: server.url, ...extra },
    pollIntervalMs: 10,
  });
}

describe('launch', () => {
  it('POSTs the manifest to the namespace’s jobs with the bearer token', async () => {
    server.handler = (r) => created(r.body);
    const k8s = launcher();
    const request = gpuStep();
    const handle = await k8s.launch(request);
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent!.method).toBe('POST');
    expect(sent!.path).toBe(JOBS);
    expect(sent!.headers.authorization).toBe('Bearer t0k3n');
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.headers.accept).toBe('application/json');
    expect(sent!.body).toEqual(k8s.manifest(request));
    expect(handle.id).toBe(`weir/${k8s.manifest(request).metadata.name}`);
    expect(handle.request).toBe(request);
    expect(k8s.kind).toBe('kubernetes-job');
  });

  it('sends no authorization header without a token (kubectl proxy)', async () => {
    server.handler = (r) => created(r.body);
    await launcher({}).launch(gpuStep());
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('reads a token file again for every request (projected tokens rotate)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-k8s-token-'));
    try {
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, 'first\n');
      server.handler = (r) => created(r.body);
      const k8s = launcher({ tokenFile });
      await k8s.launch(gpuStep());
      writeFileSync(tokenFile, 'second\n');
      await k8s.launch(gpuStep());
      expect(server.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer first',
        'Bearer second',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which permission is missing when the API server forbids it', async () => {
    server.handler = () =>
      status(
        403,
        'Forbidden',
        'jobs.batch is forbidden: User "system:serviceaccount:weir:weir-daemon" cannot create resource "jobs" in API group "batch" in the namespace "weir"',
      );
    const error = await rejection(launcher().launch(gpuStep()));
    expect(error.code).toBe('E_LAUNCH');
    expect(error.message).toBe(
      'the launcher may not create jobs in namespace weir (403 Forbidden): jobs.batch is forbidden: User "system:serviceaccount:weir:weir-daemon" cannot create resource "jobs" in API group "batch" in the namespace "weir"',
    );
    expect(error.hint).toBe(
      "grant its service account 'create' on jobs in namespace weir (a Role and RoleBinding: deploy/kubernetes/rbac.yaml)",
    );
  });

  it('passes on the server’s reason for an invalid Job and refused credentials', async () => {
    server.handler = () =>
      status(
        422,
        'Invalid',
        'Job.batch "weir-x" is invalid: spec.template.spec.containers[0].image: Required value',
      );
    expect((await rejection(launcher().launch(gpuStep()))).message).toBe(
      'the API server found the Job invalid (422): Job.batch "weir-x" is invalid: spec.template.spec.containers[0].image: Required value',
    );
    server.handler = () => status(401, 'Unauthorized', 'Unauthorized');
    expect((await rejection(launcher().launch(gpuStep()))).message).toBe(
      `the Kubernetes API server at 127.0.0.1:${server.port} refused the credentials (401) to create jobs in namespace weir: Unauthorized`,
    );
  });

  it('names the host and port of a server it cannot reach', async () => {
    const gone = await startApiServer(() => ({ status: 200 }));
    await gone.close();
    const k8s = kubernetesJobLauncher({ config: CONFIG, api: { server: gone.url, token: 't' } });
    const error = await rejection(k8s.launch(gpuStep()));
    expect(error.message).toBe(
      `cannot reach the Kubernetes API server at 127.0.0.1:${gone.port} to create jobs: ECONNREFUSED`,
    );
    expect(error.hint).toMatch(/check the server address and port/);
  });

  it('refuses a configuration or an API object it cannot use before any request', () => {
    expect(() =>
      kubernetesJobLauncher({
        config: { ...CONFIG, namespace: 'Weir' },
        api: { server: server.url },
      }),
    ).toThrow(/namespace: must be a DNS-1123 label/);
    expect(() =>
      kubernetesJobLauncher({ config: CONFIG, api: { server: 'cluster:6443' } }),
    ).toThrow(/server 'cluster:6443' is not http\(s\)/);
    expect(() =>
      kubernetesJobLauncher({
        config: CONFIG,
        api: { server: server.url, token: 'a', tokenFile: '/x' },
      }),
    ).toThrow(/token or tokenFile, not both/);
    expect(server.requests).toEqual([]);
  });
});

describe('wait and stop', () => {
  it('reads the Job until it completes', async () => {
    let reads = 0;
    server.handler = (r) => {
      if (r.method === 'POST') return created(r.body);
      reads += 1;
      return reads < 3 ? jobWith([]) : jobWith([{ type: 'Complete', status: 'True' }]);
    };
    const handle = await launcher().launch(gpuStep());
    expect(await handle.wait()).toEqual({
      outcome: 'succeeded',
      exitCode: 0,
      signal: undefined,
      message: 'the Job completed',
    });
    const gets = server.requests.filter((r) => r.method === 'GET');
    expect(gets).toHaveLength(3);
    expect(gets[0]!.path).toBe(`${JOBS}/${handle.id.split('/')[1]}`);
    expect(gets[0]!.headers.authorization).toBe('Bearer t0k3n');
  });

  it('reports a failed Job with its pod’s exit code, and an OOM kill as such', async () => {
    server.handler = (r) => {
      if (r.method === 'POST') return created(r.body);
      if (r.path.startsWith('/api/v1/')) {
        return {
          status: 200,
          body: {
            items: [
              {
                status: {
                  containerStatuses: [
                    {
                      name: 'worker',
                      state: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
                    },
                  ],
                },
              },
            ],
          },
        };
      }
      return jobWith([
        {
          type: 'FailureTarget',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ]);
    };
    const handle = await launcher().launch(gpuStep());
    const exit = await handle.wait();
    expect(exit).toEqual({
      outcome: 'failed',
      exitCode: 137,
      signal: undefined,
      message:
        "BackoffLimitExceeded: Job has reached the specified backoff limit (the worker ran out of memory: OOMKilled; raise the asset's memory tag or the node pool's limit)",
    });
    const pods = server.requests.find((r) => r.path.startsWith('/api/v1/'))!;
    expect(pods.method).toBe('GET');
    expect(pods.path).toBe(
      `/api/v1/namespaces/weir/pods?labelSelector=${encodeURIComponent(`job-name=${handle.id.split('/')[1]}`)}`,
    );
  });

  it('keeps the Job’s own reason when its pod cannot be read', async () => {
    server.handler = (r) => {
      if (r.method === 'POST') return created(r.body);
      if (r.path.startsWith('/api/v1/')) return status(403, 'Forbidden', 'no pods for you');
      return jobWith([
        {
          type: 'Failed',
          status: 'True',
          reason: 'DeadlineExceeded',
          message: 'Job was active longer than specified deadline',
        },
      ]);
    };
    const handle = await launcher().launch(gpuStep());
    expect(await handle.wait()).toEqual({
      outcome: 'timed-out',
      exitCode: undefined,
      signal: undefined,
      message: 'DeadlineExceeded: Job was active longer than specified deadline',
    });
  });

  it('rides out a few failed reads, and gives up on a Job that is gone', async () => {
    let reads = 0;
    server.handler = (r) => {
      if (r.method === 'POST') return created(r.body);
      reads += 1;
      return reads <= 3
        ? status(503, 'ServiceUnavailable', 'etcd leader changed')
        : jobWith([{ type: 'Complete', status: 'True' }]);
    };
    const handle = await launcher().launch(gpuStep());
    expect((await handle.wait()).outcome).toBe('succeeded');
    server.handler = (r) =>
      r.method === 'POST' ? created(r.body) : status(404, 'NotFound', 'jobs.batch "x" not found');
    const lost = await launcher().launch(gpuStep());
    const error = await rejection(lost.wait());
    expect(error.code).toBe('E_LAUNCH');
    expect(error.message).toBe(
      `the Job ${lost.id} is gone before its end was seen (deleted by someone, or removed by ttlSecondsAfterFinished)`,
    );
  });

  it('stops a Job by deleting it with its pods; a wait in progress ends stopped', async () => {
    server.handler = (r) => {
      if (r.method === 'POST') return created(r.body);
      if (r.method === 'DELETE')
        return { status: 200, body: { kind: 'Status', status: 'Success' } };
      return jobWith([]);
    };
    const handle = await launcher().launch(gpuStep());
    const waiting = handle.wait();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const exit = await handle.stop();
    const name = handle.id.split('/')[1];
    expect(exit).toEqual({
      outcome: 'stopped',
      exitCode: undefined,
      signal: undefined,
      message: `the Job ${name} was deleted`,
    });
    expect(await waiting).toBe(exit);
    const deletes = server.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([`${JOBS}/${name}?propagationPolicy=Background`]);
    expect(deletes[0]!.headers.authorization).toBe('Bearer t0k3n');
    expect(await handle.stop()).toBe(exit);
    expect(server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});

describe('TLS and in-cluster credentials', () => {
  const tls = selfSignedCertificate();
  let secure: ApiServer;
  beforeAll(async () => {
    secure = await startApiServer(
      (r) => (r.method === 'POST' ? created(r.body) : { status: 404 }),
      tls,
    );
  });
  afterAll(async () => {
    await secure.close();
    tls.cleanup();
  });

  it('refuses a server whose certificate it was not told to trust, saying so', async () => {
    const k8s = kubernetesJobLauncher({ config: CONFIG, api: { server: secure.url, token: 't' } });
    const error = await rejection(k8s.launch(gpuStep()));
    expect(error.message).toMatch(
      new RegExp(
        `^cannot reach the Kubernetes API server at 127\\.0\\.0\\.1:${secure.port} to create jobs: `,
      ),
    );
    expect(error.hint).toMatch(/certificate is not trusted: give the cluster's CA/);
    expect(secure.requests).toEqual([]);
  });

  it('trusts the cluster’s CA given as text or as a file', async () => {
    await kubernetesJobLauncher({
      config: CONFIG,
      api: { server: secure.url, token: 't', ca: tls.cert },
    }).launch(gpuStep());
    await kubernetesJobLauncher({
      config: CONFIG,
      api: { server: secure.url, token: 't', caFile: join(tls.dir, 'cert.pem') },
    }).launch(gpuStep());
    expect(secure.requests.map((r) => r.path)).toEqual([JOBS, JOBS]);
  });

  it('reads a pod’s service account as client-go does, and launches with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-k8s-sa-'));
    try {
      writeFileSync(join(dir, 'token'), 'sa-token\n');
      writeFileSync(join(dir, 'ca.crt'), tls.cert);
      writeFileSync(join(dir, 'namespace'), 'weir\n');
      const api = inClusterApi(
        { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(secure.port) },
        dir,
      );
      expect(api).toEqual({
        server: `https://127.0.0.1:${secure.port}`,
        tokenFile: join(dir, 'token'),
        ca: tls.cert.trim(),
        namespace: 'weir',
      });
      secure.requests.length = 0;
      await kubernetesJobLauncher({ config: { ...CONFIG, namespace: api.namespace }, api }).launch(
        gpuStep(),
      );
      expect(secure.requests[0]!.headers.authorization).toBe('Bearer sa-token');
      expect(
        inClusterApi({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, dir)
          .server,
      ).toBe('https://[fd00::1]:443');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says it is not in a pod, or which file is missing', () => {
    expect(() => inClusterApi({}, '/nowhere')).toThrow(
      /not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST/,
    );
    expect(() =>
      inClusterApi(
        { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
        '/nowhere',
      ),
    ).toThrow("cannot read the service account's token at /nowhere/token");
  });
});
