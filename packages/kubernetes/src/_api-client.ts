/**
 * @module _api-client
 * One request to the Kubernetes API server with `fetch` (undici's, so a cluster's own CA can
 * be trusted), and its failures as errors that say what to check: the server unreachable (host
 * and port), credentials refused, a missing permission (which verb on which resource), an
 * invalid object (the server's own message).
 */

import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import { EnvironmentError } from 'weir';
import type { KubernetesApiConfig } from './api-config.js';

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** What the request does, for messages: `create jobs in namespace weir`. */
export interface ApiAction {
  readonly verb: 'create' | 'get' | 'list' | 'delete';
  readonly resource: string;
  readonly namespace: string;
}

export class ApiClient {
  private readonly base: URL;
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(private readonly config: KubernetesApiConfig) {
    try {
      this.base = new URL(config.server);
    } catch (error) {
      throw new EnvironmentError(
        'E_LAUNCH',
        `kubernetes api: server '${config.server}' is not a URL`,
        {
          cause: error,
          hint: 'write it as https://host:port',
        },
      );
    }
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') {
      throw new EnvironmentError(
        'E_LAUNCH',
        `kubernetes api: server '${config.server}' is not http(s)`,
      );
    }
    if (config.token !== undefined && config.tokenFile !== undefined) {
      throw new EnvironmentError('E_LAUNCH', 'kubernetes api: give token or tokenFile, not both');
    }
    if (config.ca !== undefined && config.caFile !== undefined) {
      throw new EnvironmentError('E_LAUNCH', 'kubernetes api: give ca or caFile, not both');
    }
    const ca = config.caFile === undefined ? config.ca : readOrExplain(config.caFile, 'caFile');
    this.agent = new Agent({
      connect: {
        ...(ca === undefined ? {} : { ca }),
        rejectUnauthorized: config.insecureSkipTlsVerify !== true,
      },
    });
    this.timeoutMs = config.requestTimeoutMs ?? 30_000;
  }

  /** `host:port` of the server, for messages. */
  get endpoint(): string {
    const port = this.base.port || (this.base.protocol === 'https:' ? '443' : '80');
    return `${this.base.hostname}:${port}`;
  }

  async request(
    method: string,
    path: string,
    action: ApiAction,
    body?: unknown,
  ): Promise<ApiResponse> {
    const url = new URL(path, this.base);
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.unreachable(error, action);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the message
    }
    return { status: response.status, body: parsed };
  }

  /** An error for a response the caller did not expect. */
  refused(response: ApiResponse, action: ApiAction): EnvironmentError {
    const what = `${action.verb} ${action.resource} in namespace ${action.namespace}`;
    const said = statusMessage(response.body);
    const detail = said === undefined ? '' : `: ${said}`;
    switch (response.status) {
      case 401:
        return new EnvironmentError(
          'E_LAUNCH',
          `the Kubernetes API server at ${this.endpoint} refused the credentials (401) to ${what}${detail}`,
          { hint: 'check the token (expired? for this cluster?)' },
        );
      case 403:
        return new EnvironmentError(
          'E_LAUNCH',
          `the launcher may not ${what} (403 Forbidden)${detail}`,
          {
            hint: `grant its service account '${action.verb}' on ${action.resource} in namespace ${action.namespace} (a Role and RoleBinding: deploy/kubernetes/rbac.yaml)`,
          },
        );
      case 404:
        return new EnvironmentError('E_LAUNCH', `cannot ${what}: not found (404)${detail}`, {
          hint: `does namespace ${action.namespace} exist, and does the server serve batch/v1?`,
        });
      case 409:
        return new EnvironmentError(
          'E_LAUNCH',
          `cannot ${what}: it already exists (409)${detail}`,
          {
            hint: 'each launch needs its own id (launchRequest() gives a new one unless told)',
          },
        );
      case 422:
        return new EnvironmentError(
          'E_LAUNCH',
          `the API server found the Job invalid (422)${detail}`,
          {
            hint: 'the message names the field; check the launcher configuration',
          },
        );
      default:
        return new EnvironmentError(
          'E_LAUNCH',
          `cannot ${what}: the API server at ${this.endpoint} answered ${response.status}${detail}`,
        );
    }
  }

  private token(): string | undefined {
    if (this.config.tokenFile !== undefined)
      return readOrExplain(this.config.tokenFile, 'tokenFile').trim();
    return this.config.token;
  }

  private unreachable(error: unknown, action: ApiAction): EnvironmentError {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(
      `${reason} ${cause?.message ?? ''}`,
    );
    const timedOut = (error as Error).name === 'TimeoutError';
    return new EnvironmentError(
      'E_LAUNCH',
      `cannot reach the Kubernetes API server at ${this.endpoint} to ${action.verb} ${action.resource}: ${timedOut ? `no answer within ${this.timeoutMs} ms` : reason}`,
      {
        cause: error,
        hint: tls
          ? "the server's certificate is not trusted: give the cluster's CA (ca or caFile; in a pod, inClusterApi() reads it)"
          : 'check the server address and port, and that the API server is up and reachable from here',
      },
    );
  }
}

function readOrExplain(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new EnvironmentError('E_LAUNCH', `kubernetes api: cannot read ${field} ${path}`, {
      cause: error,
    });
  }
}

/** The `message` of a Kubernetes `Status` body, when it is one. */
export function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body.trim().slice(0, 500);
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const message = (body as { message: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}
