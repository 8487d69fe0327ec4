/**
 * @module launcher
 * `kubernetesJobLauncher()`: a `Launcher` that runs each launch as a Kubernetes Job. `launch`
 * creates the Job (`POST /apis/batch/v1/namespaces/<ns>/jobs`); the handle's `wait` reads the
 * Job until a condition says it ended (and its pod for the exit code, an OOM kill), `stop`
 * deletes it with its pods.
 */

import type { LaunchExit, Launcher, LaunchHandle, LaunchRequest } from 'weir';
import { EnvironmentError } from 'weir';
import { type ApiAction, ApiClient, type ApiResponse } from './_api-client.js';
import { exitOfJob, terminationOf } from './_job-outcome.js';
import type { KubernetesApiConfig } from './api-config.js';
import {
  type KubernetesLauncherConfig,
  parseLauncherConfig,
  type ResolvedLauncherConfig,
} from './config.js';
import type { JobManifest, JobStatusView } from './job-types.js';
import { jobManifest } from './manifest.js';

export interface KubernetesJobLauncherOptions {
  config: KubernetesLauncherConfig;
  api: KubernetesApiConfig;
  /** How often `wait` reads the Job (default 5 s). */
  pollIntervalMs?: number;
  /** Reads in a row that may fail (the API server restarting) before `wait` gives up (default 5). */
  maxPollFailures?: number;
}

export interface KubernetesJobLauncher extends Launcher {
  readonly config: ResolvedLauncherConfig;
  /** The Job a launch would create, without creating it. */
  manifest(request: LaunchRequest): JobManifest;
}

/**
 * A launcher of Kubernetes Jobs. The configuration is checked here, once.
 *
 * @example
 * const launcher = kubernetesJobLauncher({
 *   config: {
 *     image: 'registry.example.org/weir-project:1.4.0',
 *     namespace: 'weir',
 *     serviceAccountName: 'weir-worker',
 *     secretEnv: { WEIR_DATABASE_URL: { secret: 'weir-database', key: 'url' } },
 *     nodePools: { gpu: { gpus: 1 }, highmem: { requests: { memory: '48Gi' } } },
 *   },
 *   api: inClusterApi(),
 * });
 * const handle = await launcher.launch(launchRequest({ asset: lstmModel, command: ['weir', 'worker', '--tags', 'gpu', '--once'] }));
 */
export function kubernetesJobLauncher(
  options: KubernetesJobLauncherOptions,
): KubernetesJobLauncher {
  const config = parseLauncherConfig(options.config);
  const client = new ApiClient(options.api);
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const maxPollFailures = options.maxPollFailures ?? 5;
  const jobsPath = `/apis/batch/v1/namespaces/${config.namespace}/jobs`;
  return {
    kind: 'kubernetes-job',
    config,
    manifest: (request) => jobManifest(request, config),
    async launch(request) {
      const manifest = jobManifest(request, config);
      const action: ApiAction = { verb: 'create', resource: 'jobs', namespace: config.namespace };
      const response = await client.request('POST', jobsPath, action, manifest);
      if (response.status !== 201 && response.status !== 200)
        throw client.refused(response, action);
      return new JobHandle(request, manifest, client, jobsPath, pollIntervalMs, maxPollFailures);
    },
  };
}

class JobHandle implements LaunchHandle {
  readonly id: string;
  private ended: Promise<LaunchExit> | undefined;
  private stopped: LaunchExit | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly request: LaunchRequest,
    private readonly manifest: JobManifest,
    private readonly client: ApiClient,
    private readonly jobsPath: string,
    private readonly pollIntervalMs: number,
    private readonly maxPollFailures: number,
  ) {
    this.id = `${manifest.metadata.namespace}/${manifest.metadata.name}`;
  }

  wait(): Promise<LaunchExit> {
    this.ended ??= this.poll();
    return this.ended;
  }

  async stop(): Promise<LaunchExit> {
    if (this.stopped !== undefined) return this.stopped;
    const action = this.action('delete', 'jobs');
    const response = await this.client.request(
      'DELETE',
      `${this.jobPath()}?propagationPolicy=Background`,
      action,
    );
    if (response.status !== 200 && response.status !== 202 && response.status !== 404) {
      throw this.client.refused(response, action);
    }
    this.stopped = {
      outcome: 'stopped',
      exitCode: undefined,
      signal: undefined,
      message: `the Job ${this.manifest.metadata.name} was deleted`,
    };
    this.wake?.();
    return this.stopped;
  }

  private jobPath(): string {
    return `${this.jobsPath}/${this.manifest.metadata.name}`;
  }

  private action(verb: ApiAction['verb'], resource: string): ApiAction {
    return { verb, resource, namespace: this.manifest.metadata.namespace };
  }

  private async poll(): Promise<LaunchExit> {
    let failures = 0;
    for (;;) {
      if (this.stopped !== undefined) return this.stopped;
      const action = this.action('get', 'jobs');
      let response: ApiResponse | undefined;
      try {
        response = await this.client.request('GET', this.jobPath(), action);
      } catch (error) {
        // Unreachable for a moment (the API server restarting): try again, up to a point.
        failures += 1;
        if (failures > this.maxPollFailures) throw error;
      }
      if (this.stopped !== undefined) return this.stopped;
      if (response?.status === 404) {
        throw new EnvironmentError(
          'E_LAUNCH',
          `the Job ${this.id} is gone before its end was seen (deleted by someone, or removed by ttlSecondsAfterFinished)`,
          { hint: 'a longer ttlSecondsAfterFinished keeps finished Jobs readable for longer' },
        );
      }
      if (response !== undefined && response.status >= 500) {
        failures += 1;
        if (failures > this.maxPollFailures) throw this.client.refused(response, action);
      } else if (response !== undefined && response.status !== 200) {
        throw this.client.refused(response, action);
      } else if (response !== undefined) {
        failures = 0;
        const exit = exitOfJob(response.body as JobStatusView);
        if (exit !== undefined) return exit.outcome === 'succeeded' ? exit : this.withPod(exit);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The exit with the worker container's exit code and an OOM kill, when its pod says so. */
  private async withPod(exit: LaunchExit): Promise<LaunchExit> {
    const selector = encodeURIComponent(`job-name=${this.manifest.metadata.name}`);
    const path = `/api/v1/namespaces/${this.manifest.metadata.namespace}/pods?labelSelector=${selector}`;
    try {
      const response = await this.client.request('GET', path, this.action('list', 'pods'));
      const terminated = response.status === 200 ? terminationOf(response.body) : undefined;
      if (terminated === undefined) return exit;
      const oom = terminated.reason === 'OOMKilled';
      return {
        ...exit,
        exitCode: terminated.exitCode,
        message: oom
          ? `${exit.message} (the worker ran out of memory: OOMKilled; raise the asset's memory tag or the node pool's limit)`
          : `${exit.message} (exit code ${terminated.exitCode}${terminated.reason === undefined ? '' : `, ${terminated.reason}`})`,
      };
    } catch {
      return exit; // the pod is extra detail: the Job's own condition stands without it
    }
  }
}
