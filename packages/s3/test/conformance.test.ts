/**
 * The artefact store conformance suite (`weir/testing`) against S3ArtefactStore on a real
 * S3-compatible server (s3rver, started here). Each case gets its own key prefix and cache
 * folder. Corruption is another writer putting altered bytes at the artefact's key; a write
 * that fails midway is a connection that fails after the first part of a multipart upload
 * (or on the copy into place of a single-part one).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { runArtefactStoreConformance } from 'weir/testing';
import { S3ArtefactStore } from '../src/index.js';
import { corruptObject, failWritesAfterFirstPart } from './_faults.js';
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

runArtefactStoreConformance({
  name: 's3 (s3rver)',
  create: async () =>
    S3ArtefactStore.open({
      bucket: server.bucket,
      prefix: `conformance/${randomBytes(4).toString('hex')}`,
      clientConfig: server.clientConfig,
      cacheDir: tempFolder(cleanups),
      partSize: 5 * 1024 * 1024,
    }),
  corrupt: (location, store) => corruptObject(store, location),
  failWritesMidway: async (store) => failWritesAfterFirstPart(store),
});
