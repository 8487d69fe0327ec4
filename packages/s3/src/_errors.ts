/**
 * @module @weir/s3/_errors
 * What S3 (or the network on the way) said, as Weir's `ArtefactError`s: a message that names the
 * bucket, key or endpoint and a hint saying what to check.
 */
import { ArtefactError, WeirError } from 'weir';

/** The fields of an AWS SDK error (or a Node system error inside one) this module reads. */
interface ErrorFields {
  name?: string;
  code?: string;
  message?: string;
  address?: string;
  hostname?: string;
  port?: number;
  $metadata?: { httpStatusCode?: number };
}

function fieldsOf(error: unknown): ErrorFields {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : {};
}

/** HTTP status of an S3 error response, if it is one. */
export function statusOf(error: unknown): number | undefined {
  return fieldsOf(error).$metadata?.httpStatusCode;
}

/** The object (or bucket, for HEAD requests whose 404 has no body) is not there. */
export function isNotFound(error: unknown): boolean {
  const { name } = fieldsOf(error);
  return (
    name === 'NoSuchKey' ||
    name === 'NotFound' ||
    (statusOf(error) === 404 && name !== 'NoSuchBucket')
  );
}

export function isNoSuchBucket(error: unknown): boolean {
  return fieldsOf(error).name === 'NoSuchBucket';
}

/** Asked for a range that starts past the end of the object. */
export function isInvalidRange(error: unknown): boolean {
  return fieldsOf(error).name === 'InvalidRange' || statusOf(error) === 416;
}

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
]);

const DENIED = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'Forbidden',
]);

/** Where the store sends its requests, for messages. */
export interface Target {
  bucket: string;
  /** `host:port` of the endpoint (or of AWS S3 in the configured region). */
  endpoint: () => Promise<string>;
}

/**
 * An S3 failure as an `ArtefactError`: unreachable endpoints, denied access and missing buckets
 * say so, with what to check; anything else names the operation and S3's own words. A write
 * that is denied is `read-only` (E_READ_ONLY), everything else `unreadable`.
 */
export async function s3Failure(
  error: unknown,
  target: Target,
  action: { write: boolean; what: string; key: string; location?: string },
): Promise<WeirError> {
  // Already said in Weir's terms (a corrupt download, a tree that changed while stored).
  if (error instanceof WeirError) return error;
  const fields = fieldsOf(error);
  const name = fields.name ?? 'Error';
  const code = fields.code ?? name;
  const where = `s3://${target.bucket}/${action.key}`;
  const base = {
    cause: error,
    ...(action.location === undefined ? {} : { location: action.location }),
  };
  if (NETWORK.has(code) || NETWORK.has(name) || /socket hang up/i.test(fields.message ?? '')) {
    const endpoint =
      fields.address !== undefined && fields.port !== undefined
        ? `${fields.address}:${fields.port}`
        : await target.endpoint();
    return new ArtefactError(
      'unreadable',
      `cannot reach the S3 endpoint ${endpoint} (${code}) to ${action.write ? 'write' : 'read'} ${action.what} at ${where}`,
      {
        ...base,
        hint: `check that the S3 server at ${endpoint} is running and reachable from this machine (firewall, proxy, DNS), and that the store's endpoint and region are right`,
      },
    );
  }
  if (isNoSuchBucket(error)) {
    return new ArtefactError(
      'unreadable',
      `the bucket ${target.bucket} does not exist at ${await target.endpoint()} (reading or writing ${action.what})`,
      {
        ...base,
        hint: `create the bucket (aws s3 mb s3://${target.bucket}), or correct the bucket name, endpoint or region in the store's configuration`,
      },
    );
  }
  if (DENIED.has(name) || statusOf(error) === 403) {
    // A HEAD request's refusal has no body, so no error code: say what HTTP said.
    const said = DENIED.has(name) ? name : `HTTP ${statusOf(error) ?? 403}`;
    const permission = action.write ? 's3:PutObject and s3:DeleteObject' : 's3:GetObject';
    return new ArtefactError(
      action.write ? 'read-only' : 'unreadable',
      `access denied ${action.write ? 'writing' : 'reading'} ${action.what} at ${where} (${said})`,
      {
        ...base,
        hint: `check the credentials this process uses (AWS_ACCESS_KEY_ID / AWS_PROFILE, or the client given to the store) and that their policy allows ${permission} and s3:ListBucket on ${target.bucket}`,
      },
    );
  }
  return new ArtefactError(
    'unreadable',
    `${action.write ? 'writing' : 'reading'} ${action.what} at ${where} failed: ${name}: ${fields.message ?? String(error)}`,
    base,
  );
}
