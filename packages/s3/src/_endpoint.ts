/**
 * @module @weir/s3/_endpoint
 * Where a client sends its requests, for messages: `host:port` of its endpoint (AWS S3's for
 * its region when none is configured), and the URL of a custom endpoint (for the
 * `aws s3 mb --endpoint-url` of a hint).
 */
import type { S3Client } from '@aws-sdk/client-s3';

interface ResolvedEndpoint {
  hostname?: string;
  port?: number;
  protocol?: string;
  path?: string;
}

/** The custom endpoint the client was configured with, resolved; undefined for AWS S3. */
async function customEndpoint(client: S3Client): Promise<ResolvedEndpoint | undefined> {
  const config = client.config as { endpoint?: unknown };
  if (typeof config.endpoint !== 'function') return undefined;
  const endpoint = (await config.endpoint()) as ResolvedEndpoint;
  return endpoint.hostname === undefined ? undefined : endpoint;
}

/** `host:port` of the endpoint, or of AWS S3 in the configured region. */
export async function endpointOf(client: S3Client): Promise<string> {
  try {
    const endpoint = await customEndpoint(client);
    if (endpoint !== undefined) {
      const port = endpoint.port ?? (endpoint.protocol === 'http:' ? 80 : 443);
      return `${endpoint.hostname}:${port}`;
    }
    const config = client.config as { region?: unknown };
    const region =
      typeof config.region === 'function' ? String(await config.region()) : 'us-east-1';
    return `s3.${region}.amazonaws.com:443`;
  } catch {
    return 'the configured S3 endpoint';
  }
}

/** The custom endpoint's URL (`http://minio.internal:9000`); undefined for AWS S3. */
export async function endpointUrlOf(client: S3Client): Promise<string | undefined> {
  try {
    const endpoint = await customEndpoint(client);
    if (endpoint === undefined) return undefined;
    const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
    const path = endpoint.path === undefined || endpoint.path === '/' ? '' : endpoint.path;
    return `${endpoint.protocol ?? 'https:'}//${endpoint.hostname}${port}${path}`;
  } catch {
    return undefined;
  }
}
