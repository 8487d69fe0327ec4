/**
 * @module api-config
 * How the launcher reaches the Kubernetes API server: a kubeconfig-like object (server, bearer
 * token or token file, CA certificate or CA file), or `inClusterApi()` for a pod, which reads
 * the service account's mounted token, CA and namespace as client-go does.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from 'weir';

export interface KubernetesApiConfig {
  /** The API server: `https://10.96.0.1:443`, `https://cluster.example.org:6443`, `http://127.0.0.1:8001` (kubectl proxy). */
  server: string;
  /** A bearer token. */
  token?: string;
  /** A file holding the bearer token, read again for every request (projected tokens rotate). */
  tokenFile?: string;
  /** The PEM certificate(s) of the authority that signed the server's certificate. */
  ca?: string;
  /** A file holding `ca`. */
  caFile?: string;
  /** Accept any server certificate (never in production). */
  insecureSkipTlsVerify?: boolean;
  /** How long one API request may take (default 30 s). */
  requestTimeoutMs?: number;
}

/** Where a pod's service account credentials are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterApi extends KubernetesApiConfig {
  /** The pod's own namespace (the service account's). */
  namespace: string;
}

/**
 * The API config of the pod this runs in, from `KUBERNETES_SERVICE_HOST`/`_PORT` and the
 * service account's files. Throws, saying what is missing, outside a pod.
 */
export function inClusterApi(
  env: Readonly<Record<string, string | undefined>> = process.env,
  dir = SERVICE_ACCOUNT_DIR,
): InClusterApi {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (host === undefined || host === '' || port === undefined || port === '') {
    throw new EnvironmentError(
      'E_LAUNCH',
      'not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set',
      { hint: 'outside a cluster, give the launcher an api object: { server, token, ca }' },
    );
  }
  const read = (name: string): string => {
    const path = join(dir, name);
    try {
      return readFileSync(path, 'utf8').trim();
    } catch (error) {
      throw new EnvironmentError(
        'E_LAUNCH',
        `cannot read the service account's ${name} at ${path}`,
        {
          cause: error,
          hint: 'is a service account token mounted in this pod (automountServiceAccountToken)?',
        },
      );
    }
  };
  read('token');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    tokenFile: join(dir, 'token'),
    ca: read('ca.crt'),
    namespace: read('namespace'),
  };
}
