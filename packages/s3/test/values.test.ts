/**
 * Reading an asset's value from an S3 store that cannot be read: the store's own message and
 * hint (what to check about the endpoint or the credentials) reach the user, with the asset
 * named, instead of advice to rebuild an artefact that is not the problem.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ArtefactError,
  asset,
  assetValue,
  createInstance,
  defineProject,
  materialize,
  SqliteEventLog,
} from 'weir';
import { S3ArtefactStore } from '../src/index.js';
import { startS3rver, type TestServer, tempFolder } from './_server.js';

let server: TestServer;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  server = await startS3rver();
});

afterAll(async () => {
  await server.stop();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const numbers = asset({ key: 'numbers', materialize: () => [1, 2, 3] });
const project = defineProject({ assets: [numbers] });

/** A localhost port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

async function failure(promise: Promise<unknown>): Promise<ArtefactError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ArtefactError);
  return error as ArtefactError;
}

it("a value the store cannot read keeps the store's hint (endpoint, credentials), with the asset named", async () => {
  const dir = tempFolder(cleanups);
  const prefix = `values/${randomBytes(4).toString('hex')}/`;
  const log = join(dir, 'events.db');
  const writer = createInstance({
    eventLog: new SqliteEventLog(log),
    artefacts: await S3ArtefactStore.open({
      bucket: server.bucket,
      prefix,
      clientConfig: server.clientConfig,
      cacheDir: join(dir, 's3-cache'),
    }),
  });
  await materialize(project, { instance: writer });
  expect((await assetValue(project, { instance: writer, key: 'numbers' })).value).toEqual([
    1, 2, 3,
  ]);
  await writer.close();

  const readWith = async (clientConfig: typeof server.clientConfig) => {
    const instance = createInstance({
      eventLog: new SqliteEventLog(log),
      artefacts: new S3ArtefactStore({
        bucket: server.bucket,
        prefix,
        clientConfig: { ...clientConfig, maxAttempts: 1 },
        cacheDir: join(dir, 's3-cache'),
      }),
    });
    try {
      return await failure(assetValue(project, { instance, key: 'numbers' }));
    } finally {
      await instance.close();
    }
  };

  const port = await closedPort();
  const down = await readWith({ ...server.clientConfig, endpoint: `http://127.0.0.1:${port}` });
  expect(down.message).toMatch(
    new RegExp(
      `^the artefact of numbers \\(objects/.+\\) cannot be read: cannot reach the S3 endpoint 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`,
    ),
  );
  expect(down.hint).toContain(`check that the S3 server at 127.0.0.1:${port} is running`);
  expect(down.hint).not.toMatch(/weir verify|--force/);

  const denied = await readWith({
    ...server.clientConfig,
    credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' },
  });
  expect(denied.message).toMatch(
    /^the artefact of numbers \(objects\/.+\) cannot be read: access denied reading/,
  );
  expect(denied.hint).toContain('s3:GetObject');
  expect(denied.hint).not.toMatch(/weir verify|--force/);
});
