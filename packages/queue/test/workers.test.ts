/**
 * Queue workers as real processes against a real PostgreSQL: steps routed by worker tags, a
 * pool's limit held across workers, and a worker killed with SIGKILL mid-run while three
 * race: its step goes to another worker once its heartbeat is older than the TTL, the
 * hand-over is recorded, and every partition is materialized exactly once.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PostgresEventLog } from '@weir/postgres';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstance,
  type Instance,
  LocalArtefactStore,
  materialize,
  type ProjectDefinition,
} from 'weir';
import { startTestServer, type TestServer } from '../../postgres/test/_server.js';
import { queueExecutor } from '../src/index.js';
import { parseEffects, type TestProject, writeProject } from './_project.js';
import { startWorker, type WorkerProcess } from './_workers.js';

const root = fileURLToPath(new URL('../.test-projects/', import.meta.url));
const TTL = 2_000;

let server: TestServer;
let started: WorkerProcess[] = [];
const opened: Instance[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await Promise.all(started.map((worker) => worker.kill()));
  started = [];
  await Promise.all(opened.splice(0).map((instance) => instance.close()));
});

afterAll(async () => {
  await server?.stop();
});

async function setUp(name: string, shape: { partitions: number; sleepMs: number }) {
  const url = server.url(await server.createDatabase(name));
  const dir = join(root, `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const files = writeProject(dir, shape);
  const project = ((await import(pathToFileURL(files.file).href)) as { default: ProjectDefinition })
    .default;
  const executor = queueExecutor({ connectionString: url, workerTtlMs: TTL });
  const instance = createInstance({
    eventLog: await PostgresEventLog.open({ connectionString: url }),
    artefacts: new LocalArtefactStore(files.artefacts),
    executor,
  });
  opened.push(instance);
  const worker = async (id: string, tags: string[] = [], concurrency = 2) => {
    const process = await startWorker({
      id,
      connectionString: url,
      artefacts: files.artefacts,
      project: files.file,
      tags,
      concurrency,
      workerTtlMs: TTL,
    });
    started.push(process);
    return process;
  };
  return { url, files, project, instance, worker };
}

const effectsOf = (files: TestProject) =>
  parseEffects(existsSync(files.effects) ? readFileSync(files.effects, 'utf8') : '');

describe('queue workers (processes)', () => {
  it('routes steps by worker tags, and holds a pool across workers', async () => {
    const { project, instance, worker, files } = await setUp('routing', {
      partitions: 6,
      sleepMs: 40,
    });
    const plain = await worker('plain', [], 3);
    const gpu = await worker('gpu', ['gpu'], 3);
    const result = await materialize(project, { instance, concurrency: 8 });
    expect(result.status).toBe('success');
    expect(result.summary.materialized).toHaveLength(12);
    expect(new Set(plain.steps.map((s) => s.assetKey))).toEqual(new Set(['q/cpu']));
    expect(new Set(gpu.steps.map((s) => s.assetKey))).toEqual(new Set(['q/gpu']));
    const effects = effectsOf(files);
    expect(new Set(effects.filter((e) => e.asset === 'q/cpu').map((e) => e.pid))).toEqual(
      new Set([plain.process.pid]),
    );
    // Pool gpu has one slot: its steps never overlap, though the gpu worker takes 3 at once.
    const gpuSteps = effects.filter((e) => e.asset === 'q/gpu').sort((a, b) => a.start - b.start);
    expect(gpuSteps).toHaveLength(6);
    for (let i = 1; i < gpuSteps.length; i++) {
      expect(gpuSteps[i]!.start).toBeGreaterThanOrEqual(gpuSteps[i - 1]!.end);
    }
  });

  it('a worker killed with SIGKILL mid-run: its step goes to another, each partition once', async () => {
    const N = 40;
    const { project, instance, worker, files, url } = await setUp('kill', {
      partitions: N,
      // Long enough that the kill lands while w1's step runs, even on a loaded machine.
      sleepMs: 250,
    });
    const workers = [await worker('w1'), await worker('w2'), await worker('w3')];
    const run = materialize(project, { instance, selection: 'q/cpu', concurrency: 6 });
    // Once w1 has done a few steps (and runs two more), kill it.
    while (workers[0]!.steps.length < 3) await new Promise((r) => setTimeout(r, 20));
    // ... while it runs a step.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const runningOnW1 = async () =>
      (
        await db.query(
          "SELECT 1 FROM weir_queue.dispatches WHERE worker_id = 'w1' AND state = 'running'",
        )
      ).rowCount! > 0;
    while (!(await runningOnW1())) await new Promise((r) => setTimeout(r, 5));
    await db.end();
    const killedAt = Date.now();
    await workers[0]!.kill();
    const result = await run;
    expect(result.status).toBe('success');
    expect(result.summary.materialized).toHaveLength(N);
    const events = await instance.eventLog.events({ assetKey: 'q/cpu' });
    const materialized = events.filter((e) => e.type === 'asset:materialized');
    expect(materialized).toHaveLength(N);
    expect(new Set(materialized.map((e) => ('partition' in e ? e.partition : '')))).toHaveProperty(
      'size',
      N,
    );
    // The hand-over is recorded on the step, naming the dead worker.
    const handovers = events.filter(
      (e) => e.type === 'step:log' && e.level === 'warn' && e.fields?.worker === 'w1',
    );
    expect(handovers.length).toBeGreaterThanOrEqual(1);
    expect(handovers[0]!.timestamp - killedAt).toBeGreaterThanOrEqual(TTL - 500);
    // Every partition's effect once, by a live worker, except w1's completed ones before its death.
    const effects = effectsOf(files);
    const byPartition = new Map<string, number>();
    for (const e of effects) byPartition.set(e.partition, (byPartition.get(e.partition) ?? 0) + 1);
    expect([...byPartition.values()].every((count) => count === 1)).toBe(true);
    expect(byPartition.size).toBe(N);
    expect(workers[1]!.steps.length + workers[2]!.steps.length).toBeGreaterThan(N / 2);
  });
});
