/**
 * @module @weir/s3/_errors
 * What S3 (or the network on the way) said, as Weir's `ArtefactError`s: a message that names the
 * bucket, key or endpoint and a hint saying what to check.
 */
import { ArtefactError, markBackendProblem, WeirError } from 'weir';

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

/** Refusals of who we are (the key, its signature, its token)... */
const UNAUTHENTICATED = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
]);

/** ...and of what we asked, whoever we are. */
const DENIED = new Set([...UNAUTHENTICATED, 'AccessDenied', 'AllAccessDisabled', 'Forbidden']);

/** The AWS SDK's credential chain found nothing (environment, shared files, SSO, roles). */
function noCredentials(fields: ErrorFields): boolean {
  return (
    fields.name === 'CredentialsProviderError' ||
    /Could not load credentials from any providers/i.test(fields.message ?? '')
  );
}

/** Where the store sends its requests, for messages. */
export interface Target {
  bucket: string;
  /** `host:port` of the endpoint (or of AWS S3 in the configured region). */
  endpoint: () => Promise<string>;
  /** The URL of a custom (S3-compatible) endpoint; undefined for AWS S3 itself. */
  endpointUrl: () => Promise<string | undefined>;
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
  const restated = await restate(error, target, action);
  const problem = isNetwork(fields)
    ? 'unreachable'
    : isNoSuchBucket(error)
      ? 'missing'
      : noCredentials(fields) || UNAUTHENTICATED.has(name)
        ? 'authentication'
        : DENIED.has(name) || statusOf(error) === 403
          ? 'permission'
          : undefined;
  return problem === undefined ? restated : markBackendProblem(restated, problem);
}

function isNetwork(fields: ErrorFields): boolean {
  const name = fields.name ?? 'Error';
  const code = fields.code ?? name;
  return NETWORK.has(code) || NETWORK.has(name) || /socket hang up/i.test(fields.message ?? '');
}

/** The network failure in words where the SDK's name alone would puzzle (TimeoutError). */
function networkReason(fields: ErrorFields, code: string): string {
  const message = fields.message ?? '';
  if (/of inactivity/.test(message))
    return 'it took the request, then sent nothing until the idle timeout';
  if (/without establishing a connection/.test(message)) return 'no connection within 5 s';
  return code;
}

async function restate(
  error: unknown,
  target: Target,
  action: { write: boolean; what: string; key: string; location?: string },
): Promise<WeirError> {
  const fields = fieldsOf(error);
  const name = fields.name ?? 'Error';
  const code = fields.code ?? name;
  const where = `s3://${target.bucket}/${action.key}`;
  const base = {
    cause: error,
    ...(action.location === undefined ? {} : { location: action.location }),
  };
  if (isNetwork(fields)) {
    const endpoint =
      fields.address !== undefined && fields.port !== undefined
        ? `${fields.address}:${fields.port}`
        : await target.endpoint();
    return new ArtefactError(
      'unreadable',
      `cannot reach the S3 endpoint ${endpoint} (${networkReason(fields, code)}) to ${action.write ? 'write' : 'read'} ${action.what} at ${where}`,
      {
        ...base,
        hint: `check that the S3 server at ${endpoint} is running and reachable from this machine (firewall, proxy, DNS), and that the store's endpoint and region are right`,
      },
    );
  }
  if (noCredentials(fields)) {
    return new ArtefactError(
      action.write ? 'read-only' : 'unreadable',
      `no AWS credentials were found to ${action.write ? 'write' : 'read'} ${action.what} at ${where} (S3 endpoint ${await target.endpoint()})`,
      {
        ...base,
        hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE to use a profile of ~/.aws/credentials; on AWS, an instance or pod role also provides them',
      },
    );
  }
  if (isNoSuchBucket(error)) {
    const endpointUrl = await target.endpointUrl();
    const mb = `aws s3 mb s3://${target.bucket}${endpointUrl === undefined ? '' : ` --endpoint-url ${endpointUrl}`}`;
    return new ArtefactError(
      'unreadable',
      `the bucket ${target.bucket} does not exist at ${await target.endpoint()} (reading or writing ${action.what})`,
      {
        ...base,
        hint: `create the bucket (${mb}), or correct the bucket name, endpoint or region in the store's configuration`,
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
