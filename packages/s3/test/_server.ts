/**
 * A real S3-compatible HTTP server for the tests: s3rver from npm, on a free localhost port,
 * storing into a temporary folder; `stop()` closes it and removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface TestServer {
  endpoint: string;
  port: number;
  bucket: string;
  /** What a client of this server needs (path-style requests, s3rver's fixed credentials). */
  clientConfig: S3ClientConfig;
  stop: () => Promise<void>;
}

export async function startS3rver(bucket = 'weir-test'): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'weir-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    bucket,
    clientConfig: {
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    stop: async () => {
      const closed = server.close();
      // A request whose client was killed mid-upload would hold close() open.
      (server as unknown as { httpServer?: Server }).httpServer?.closeAllConnections();
      await closed;
      // s3rver may still be finishing a dropped request's file work: remove its folder after.
      await new Promise((resolve) => setTimeout(resolve, 200));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A folder removed after the tests. */
export function tempFolder(cleanups: Array<() => void>): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-s3-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
