/**
 * The executor conformance suite on the queue executor: a real PostgreSQL server (event log
 * and queue in one database), artefacts in the suite's folder, and two worker processes that
 * load the suite's project from disk.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresEventLog } from '@weir/postgres';
import { afterAll, beforeAll } from 'vitest';
import { createInstance, LocalArtefactStore } from 'weir';
import { runExecutorConformance } from 'weir/testing';
import { startTestServer, type TestServer } from '../../postgres/test/_server.js';
import { queueExecutor } from '../src/index.js';
import { startWorker, type WorkerProcess } from './_workers.js';

const projectsDir = fileURLToPath(new URL('../.test-projects/', import.meta.url));
const TTL = 3_000;

let server: TestServer;
let url: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  server = await startTestServer();
  url = server.url(await server.createDatabase('weir_queue_conformance'));
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await server?.stop();
});

runExecutorConformance({
  name: 'queue (graphile-worker, 2 worker processes)',
  projectsDir,
  openInstance: async (instanceDir) =>
    createInstance({
      eventLog: await PostgresEventLog.open({ connectionString: url }),
      artefacts: new LocalArtefactStore(join(instanceDir, 'artefacts')),
    }),
  executor: async ({ file, instanceDir }) => {
    const executor = queueExecutor({ connectionString: url, workerTtlMs: TTL });
    for (const id of ['w1', 'w2']) {
      workers.push(
        await startWorker({
          id,
          connectionString: url,
          artefacts: join(instanceDir, 'artefacts'),
          project: file,
          workerTtlMs: TTL,
          concurrency: 2,
        }),
      );
    }
    return executor;
  },
});
