/**
 * The queue through the `weir` command, against a real PostgreSQL: `weir worker` processes
 * with different tags each run only their steps of a `weir materialize --executor queue`, and
 * `weir runs RUN` names the worker of each step; a worker killed with SIGKILL mid-step has its
 * step taken over by the other, each partition materialized (and run to its end) once; a
 * worker stopped with SIGTERM hands its step back at once; a SQLite instance is refused with
 * what to do; a run no worker serves says so, and goes on once one starts. And the smoke run
 * of bench/queue-workers.ts.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onceLabel, queueWorkersRun, report } from '../../../bench/queue-workers.js';
import { startTestServer, type TestServer } from '../../postgres/test/_server.js';
import { buildQueue, type WeirProcess, weir, writeCliProject } from './_cli.js';
import { parseEffects, type TestProject } from './_project.js';

const root = fileURLToPath(new URL('../.test-projects/', import.meta.url));
const TTL = 1_500;

let server: TestServer;
const started: WeirProcess[] = [];

beforeAll(async () => {
  [server] = await Promise.all([startTestServer(), buildQueue()]);
});

afterEach(async () => {
  for (const child of started.splice(0)) {
    child.signal('SIGKILL');
    await child.exited;
  }
});

afterAll(async () => {
  await server?.stop();
});

async function setUp(
  name: string,
  shape: { partitions: number; sleepMs: number; automation?: boolean },
  logSchema?: string,
) {
  const url = server.url(await server.createDatabase(name));
  const dir = join(root, `cli-${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = writeCliProject(dir, shape);
  const env = {
    WEIR_DATABASE_URL: logSchema === undefined ? url : `${url}?schema=${logSchema}`,
    WEIR_ARTEFACTS: files.artefacts,
    WEIR_WORKER_TTL_MS: String(TTL),
  };
  const run = (args: string[], extra: Record<string, string> = {}) => {
    const child = weir(args, dir, { ...env, ...extra });
    started.push(child);
    return child;
  };
  const worker = async (id: string, args: string[] = []) => {
    const child = run(['worker', '--id', id, ...args]);
    await child.line(new RegExp(`^worker ${id}: `));
    return child;
  };
  return { url, dir, files, run, worker };
}

/** Edits a project file in place, as a user changing their code would. */
function replaceIn(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

const effectsOf = (files: TestProject) =>
  parseEffects(existsSync(files.effects) ? readFileSync(files.effects, 'utf8') : '');

interface StepJson {
  assetKey: string;
  partition: string;
  status: string;
  worker?: string;
  workers?: string[];
}

async function runSteps(
  run: (args: string[]) => WeirProcess,
): Promise<{ status: string; steps: StepJson[] }> {
  const child = run(['runs', 'latest', '--json']);
  expect(await child.exited).toBe(0);
  const { run: record, steps } = JSON.parse(child.stdout()) as {
    run: { status: string };
    steps: StepJson[];
  };
  return { status: record.status, steps };
}

describe('weir worker and --executor queue', () => {
  it('two workers with different tags run only their own steps; weir runs names them; a backfill too', async () => {
    const { run, worker, files } = await setUp('tags', { partitions: 4, sleepMs: 20 });
    const gpu = await worker('w-gpu', ['--tags', 'gpu', '--concurrency', '2']);
    const cpu = await worker('w-cpu', ['--concurrency', '2']);
    expect(gpu.stdout()).toMatch(/^worker w-gpu: tags gpu, concurrency 2, tasks weir:step:gpu;/m);
    const materialize = run(['materialize', '--executor', 'queue']);
    expect(await materialize.exited).toBe(0);
    const { status, steps } = await runSteps(run);
    expect(status).toBe('success');
    expect(steps).toHaveLength(8);
    for (const step of steps) {
      expect(step.status).toBe('materialized');
      expect(step.worker).toBe(step.assetKey === 'q/gpu' ? 'w-gpu' : 'w-cpu');
    }
    // Each worker printed its steps, and the side effects happened in its process.
    expect(gpu.stdout().match(/q\/gpu \[p\d+\] {2}materialized {2}\d+ ms/g)).toHaveLength(4);
    expect(cpu.stdout()).not.toMatch(/q\/gpu/);
    const effects = effectsOf(files);
    expect(effects).toHaveLength(8);
    for (const effect of effects) {
      expect(effect.pid).toBe(effect.asset === 'q/gpu' ? gpu.process.pid : cpu.process.pid);
    }
    // The run detail as a table.
    const table = run(['runs', 'latest']);
    expect(await table.exited).toBe(0);
    expect(table.stdout()).toMatch(/q\/gpu \[p0000\]\s+materialized\s+1\s+\d+ ms\s+w-gpu/);
    // A backfill through the queue too.
    const backfill = run([
      'backfill',
      'q/cpu',
      '--partition',
      'p0001',
      '--force',
      '--executor',
      'queue',
    ]);
    expect(await backfill.exited).toBe(0);
    expect(cpu.stdout().match(/q\/cpu \[p0001\] {2}materialized/g)).toHaveLength(2);
    // SIGTERM: a worker with nothing to do stops at once, exit 0.
    gpu.signal('SIGTERM');
    expect(await gpu.exited).toBe(0);
    expect(gpu.stderr()).toMatch(/worker w-gpu stopped after 4 steps/);
  });

  it('a step that fails: its worker’s line says why, and the run fails', async () => {
    const { run } = await setUp('fails', { partitions: 2, sleepMs: 5 });
    const worker = run(['worker', '--id', 'w-f'], { QUEUE_TEST_FAIL: 'q/cpu p0001' });
    await worker.line(/^worker w-f: /);
    const materialize = run(['materialize', 'q/cpu', '--executor', 'queue']);
    expect(await materialize.exited).toBe(1);
    expect(worker.stdout()).toMatch(
      /q\/cpu \[p0001\] {2}failed {2}\d+ ms {2}run \S+: the gauge for p0001 is offline$/m,
    );
    expect(worker.stdout()).toMatch(/q\/cpu \[p0000\] {2}materialized {2}\d+ ms {2}run \S+$/m);
  });

  it('a step that ignores its cancelled run frees its worker’s slot, saying so', async () => {
    const { run } = await setUp('hangs', { partitions: 2, sleepMs: 5 });
    const worker = run(['worker', '--id', 'w-h'], { QUEUE_TEST_HANG: 'q/cpu p0000' });
    await worker.line(/^worker w-h: /);
    const hung = run(['materialize', 'q/cpu', '--partition', 'p0000', '--executor', 'queue']);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    hung.signal('SIGINT');
    expect(await hung.exited).toBe(130);
    // The worker (concurrency 1) takes the next step once the hung one is let go.
    const next = run(['materialize', 'q/cpu', '--partition', 'p0001', '--executor', 'queue']);
    expect(await next.exited).toBe(0);
    expect(worker.stdout()).toMatch(
      /q\/cpu \[p0000\] {2}cancelled {2}\d+ ms {2}run \S+: it was told to stop and did not within 2 s/,
    );
  });

  it('an --id a live worker holds is refused; one whose worker died here is taken at once', async () => {
    const { run, worker } = await setUp('ids', { partitions: 1, sleepMs: 5 });
    const first = await worker('dd');
    const second = run(['worker', '--id', 'dd', '--tags', 'gpu']);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(
      /worker id 'dd' is taken by a worker that is up \(pid \d+ on .+, seen [\d.]+ s ago\)/,
    );
    expect(second.stderr()).toContain('give each worker its own --id');
    // The first is still registered: a run finds it, with no "no worker is up" warning.
    const materialize = run(['materialize', 'q/cpu', '--executor', 'queue']);
    expect(await materialize.exited).toBe(0);
    expect(materialize.stderr()).not.toContain('no worker');
    first.signal('SIGKILL');
    await first.exited;
    // Restarted on this machine after a crash, well within the TTL: its id is free.
    await worker('dd');
  });

  it('a worker that loaded older code refuses the step, naming itself and saying to restart it', async () => {
    const { run, worker, dir } = await setUp('stale', { partitions: 1, sleepMs: 5 });
    const old = await worker('w-old');
    const project = join(dir, 'weir.config.mjs');
    replaceIn(project, "key: 'q/cpu', codeVersion: '1'", "key: 'q/cpu', codeVersion: '2'");
    const materialize = run(['materialize', 'q/cpu', '--executor', 'queue']);
    expect(await materialize.exited).toBe(1);
    const said = `${materialize.stdout()}${old.stdout()}`;
    expect(said).toMatch(/worker w-old cannot run q\/cpu\[p0000\] of run \S+: its code differs/);
    expect(materialize.stdout() + materialize.stderr()).toContain('must be restarted');
  });

  it('a worker killed with SIGKILL mid-step: the other takes the step over, each partition once', async () => {
    const N = 8;
    const { run, worker, files } = await setUp('kill', { partitions: N, sleepMs: 300 });
    const doomed = await worker('w1');
    // Steps wait for the busy worker longer than this: no warning, since a worker is up.
    const materialize = run(['materialize', 'q/cpu', '--executor', 'queue'], {
      WEIR_QUEUE_WARN_MS: '200',
    });
    // w1 takes the first step alone; once it finished one, it is on the next: kill it there.
    await doomed.line(/q\/cpu \[p\d+\] {2}materialized/);
    const other = await worker('w2', ['--concurrency', '2']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    doomed.signal('SIGKILL');
    expect(await doomed.exited).toBe(null);
    expect(await materialize.exited).toBe(0);
    const effects = effectsOf(files);
    const counts = new Map<string, number>();
    for (const e of effects) counts.set(e.partition, (counts.get(e.partition) ?? 0) + 1);
    expect(counts.size).toBe(N);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    const { status, steps } = await runSteps(run);
    expect(status).toBe('success');
    expect(steps.filter((s) => s.status === 'materialized')).toHaveLength(N);
    // The step w1 died in was handed over: w2 recorded its outcome.
    const handed = steps.filter((s) => s.workers !== undefined);
    expect(handed.length).toBeLessThanOrEqual(1);
    for (const step of handed) expect(step.workers).toEqual(['w1', 'w2']);
    const logs = run(['logs', 'latest']);
    expect(await logs.exited).toBe(0);
    expect(logs.stdout()).toMatch(/worker w1 stopped saying it is alive/);
    expect(other.stdout()).toMatch(/materialized/);
    expect(materialize.stderr()).not.toMatch(/warning: no worker/);
  });

  it('SIGTERM mid-step hands the step back: another worker takes it at once, exit 0', async () => {
    const { run, worker, files, url } = await setUp('term', { partitions: 1, sleepMs: 2_000 });
    const first = await worker('w1');
    const materialize = run(['materialize', 'q/cpu', '--executor', 'queue']);
    // Once w1 runs the step (its effect is written only at its end, 2 s later) ...
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const running = async () =>
      (
        await db.query(
          "SELECT 1 FROM weir_queue.dispatches WHERE worker_id = 'w1' AND state = 'running'",
        )
      ).rowCount! > 0;
    while (!(await running())) await new Promise((resolve) => setTimeout(resolve, 20));
    await db.end();
    const second = await worker('w2');
    first.signal('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toMatch(/stopping: 1 step running/);
    expect(await materialize.exited).toBe(0);
    expect(second.stdout()).toMatch(/q\/cpu \[p0000\] {2}materialized/);
    const logs = run(['logs', 'latest']);
    expect(await logs.exited).toBe(0);
    expect(logs.stdout()).toMatch(/worker w1 was stopped while it ran the step and handed it back/);
    expect(effectsOf(files).map((e) => e.partition)).toEqual(['p0000']);
  });

  it('weir daemon --executor queue hands the steps its automation starts to the workers', async () => {
    const { run, worker, files } = await setUp('daemon', {
      partitions: 3,
      sleepMs: 20,
      automation: true,
    });
    const gpu = await worker('w-gpu', ['--tags', 'gpu']);
    const cpu = await worker('w-cpu');
    const daemon = run(['daemon', '--executor', 'queue']);
    const deadline = Date.now() + 30_000;
    while (effectsOf(files).length < 6 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    daemon.signal('SIGINT');
    expect(await daemon.exited).toBe(0);
    const effects = effectsOf(files);
    expect(effects).toHaveLength(6);
    for (const effect of effects) {
      expect(effect.pid).toBe(effect.asset === 'q/gpu' ? gpu.process.pid : cpu.process.pid);
    }
  }, 60_000);

  it('a code location’s steps go to its own workers (--location), the project’s to the others', async () => {
    const { run, worker, dir, files } = await setUp('located', { partitions: 1, sleepMs: 0 });
    // The project's q/cpu and q/gpu stay; a location "ml" adds ml/sum, which reads q/cpu.
    const project = join(dir, 'weir.config.mjs');
    replaceIn(
      project,
      'assets: [cpu, gpu] });',
      "assets: [cpu, gpu], locations: { ml: './ml' } });",
    );
    mkdirSync(join(dir, 'ml'), { recursive: true });
    writeFileSync(join(dir, 'ml', 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(dir, 'ml', 'weir.config.mjs'),
      `import { appendFileSync } from 'node:fs';
import { asset, defineProject, externalAsset, staticPartitions } from 'weir';
const cpu = externalAsset('q/cpu', { partitions: staticPartitions(['p0000']) });
const sum = asset({ key: 'ml/sum', partitions: staticPartitions(['p0000']), ins: { cpu },
  materialize: (ctx, { cpu }) => {
    appendFileSync(${JSON.stringify(files.effects)}, ['ml/sum', ctx.partition.key, process.pid, 0, 0].join(' ') + '\\n');
    return cpu;
  } });
export default defineProject({ assets: [cpu, sum] });
`,
    );
    const own = await worker('w-own', ['--tags', 'gpu', '--untagged']);
    const materialize = run(['materialize', '--executor', 'queue'], { WEIR_QUEUE_WARN_MS: '300' });
    const warning = await materialize.line(/^warning: no worker/);
    expect(warning).toContain("steps with no worker tag of code location 'ml'");
    expect(warning).toContain('`weir worker --location ml`');
    const ml = await worker('w-ml', ['--location', 'ml']);
    expect(ml.stdout()).toMatch(/tasks weir:step@ml;/);
    expect(await materialize.exited).toBe(0);
    const effects = effectsOf(files);
    expect(effects.map((e) => e.asset).sort()).toEqual(['ml/sum', 'q/cpu', 'q/gpu']);
    for (const effect of effects) {
      expect(effect.pid).toBe(effect.asset === 'ml/sum' ? ml.process.pid : own.process.pid);
    }
    const { steps } = await runSteps(run);
    expect(steps.find((step) => step.assetKey === 'ml/sum')?.worker).toBe('w-ml');
  }, 60_000);

  it('a SQLite instance: weir worker and --executor queue say a queue needs PostgreSQL; an empty --tags is refused', async () => {
    const dir = join(root, `cli-sqlite-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    writeCliProject(dir, { partitions: 1, sleepMs: 0 });
    for (const args of [['worker'], ['materialize', '--executor', 'queue']]) {
      const child = weir(args, dir, { WEIR_DATABASE_URL: undefined, WEIR_ARTEFACTS: undefined });
      expect(await child.exited).toBe(2);
      expect(child.stderr()).toMatch(
        /error: .* needs a queue, and a queue needs a PostgreSQL event log: this instance's is SQLite/,
      );
      expect(child.stderr()).toMatch(/hint: set WEIR_DATABASE_URL=postgres:/);
      expect(child.stderr()).not.toMatch(/internal error/);
    }
    // An empty --tags (an unset variable in a deployment) names no tag: refused, never untagged.
    for (const value of ['', ',,']) {
      const child = weir(['worker', '--tags', value], dir, {});
      expect(await child.exited).toBe(2);
      expect(child.stderr()).toContain(`error: --tags ${JSON.stringify(value)} names no tag`);
    }
  });

  it('no worker of a step’s tags: the run warns once, naming the command, and waits for one (--once)', async () => {
    // An event log in its own schema: the queue's are hydro_queue and hydro_queue_jobs.
    const { run, worker, url } = await setUp('nobody', { partitions: 2, sleepMs: 0 }, 'hydro');
    const materialize = run(['materialize', 'q/gpu', '--executor', 'queue'], {
      WEIR_QUEUE_WARN_MS: '300',
    });
    const warning = await materialize.line(/^warning: no worker/);
    expect(warning).toMatch(
      /no worker that takes steps tagged gpu is up \(q\/gpu \[p000\d\] has waited \d+ s\); start one with `weir worker --tags gpu`/,
    );
    // A worker started with --once runs one step and exits 0; another finishes the run.
    const once = await worker('once', ['--tags', 'gpu', '--once']);
    expect(await once.exited).toBe(0);
    expect(once.stdout().match(/ {2}materialized {2}/g)).toHaveLength(1);
    await worker('late', ['--tags', 'gpu']);
    expect(await materialize.exited).toBe(0);
    expect(materialize.stderr().match(/warning: no worker/g)).toHaveLength(1);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ schema_name: string }>(
      'SELECT schema_name FROM information_schema.schemata ORDER BY 1',
    );
    await db.end();
    const schemas = rows.map((r) => r.schema_name);
    expect(schemas).toEqual(expect.arrayContaining(['hydro', 'hydro_queue', 'hydro_queue_jobs']));
    expect(schemas).not.toContain('graphile_worker');
  });

  it('bench smoke: queue-workers on 6 partitions over 2 workers, one killed (not timed)', async () => {
    const result = await queueWorkersRun({
      server,
      root,
      partitions: 6,
      workers: 2,
      sleepMs: 200,
      ttlMs: TTL,
    });
    expect(result.status).toBe('success');
    expect(onceLabel(result.effects, 6)).toBe('yes (6 × 1)');
    expect(onceLabel(result.materializations, 6)).toBe('yes (6 × 1)');
    expect(report(result)).toMatch(/6 partitions over 2 weir worker processes/);
  });
});
