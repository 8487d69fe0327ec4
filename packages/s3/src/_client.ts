/**
 * @module @weir/s3/_client
 * The S3 client the store makes for itself.
 *
 * The AWS SDK (@aws-sdk/core's emitWarningIfUnsupportedVersion, called by every client's
 * runtime configuration) prints a NodeVersionSupportWarning on Node 20: its releases after
 * January 2027 will need Node 22. It says nothing about this store's requests, and printed on
 * every `weir` command that uses S3 it reads as a fault. The SDK's documented switch is the
 * variable AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true; it is set only while this
 * store's client is constructed (when the warning is decided) and put back as it was, so the
 * environment of the user's own code is not changed. The SDK decides once per process: a
 * client the user made before this one still warns, one made after does not.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * An S3Client for the store: a connection that does not open within 5 s fails, and so does a
 * request whose connection then carries nothing for `idleTimeoutMs` (each attempt; the SDK
 * retries).
 */
export function makeClient(config: S3ClientConfig | undefined, idleTimeoutMs: number): S3Client {
  const before = process.env[SWITCH];
  process.env[SWITCH] = 'true';
  try {
    return new S3Client({
      // An endpoint that does not answer fails in seconds, not at the OS's TCP timeout, and a
      // server that accepts a request and then hangs does not hang the command with it.
      requestHandler: { connectionTimeout: 5_000, socketTimeout: idleTimeoutMs },
      ...config,
    });
  } finally {
    if (before === undefined) delete process.env[SWITCH];
    else process.env[SWITCH] = before;
  }
}
