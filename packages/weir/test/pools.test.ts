/**
 * Pools through the public API and the `weir` command: a pool's slots are never exceeded,
 * within one run or across processes sharing an instance, a step taking all the slots runs
 * alone, and a process killed while holding slots does not leak them.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asset, defineProject, materialize, openInstance } from '../src/index.js';
import { projectDir, spawnWeir, waitFor, weir, weirJson } from './cli-helpers.js';
import { tempInstance } from './helpers.js';

/** When a step ran: its key, process, and start and end times (epoch ms). */
interface Span {
  key: string;
  pid: number;
  start: number;
  end: number;
}

/** The most spans running at one moment (an end and a start at the same ms do not overlap). */
function maxOverlap(spans: readonly Span[]): number {
  const edges = spans.flatMap((s) => [
    [s.start, 1],
    [s.end, -1],
  ]);
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let most = 0;
  for (const [, step] of edges) {
    now += step!;
    most = Math.max(most, now);
  }
  return most;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Six independent steps of pool `gpu` (2 slots), each recording its span in `spans`. */
function gpuProject(spans: Span[], heavy?: { key: string; slots: number }) {
  const assets = Array.from({ length: 6 }, (_, i) => {
    const key = `gpu/g${i}`;
    return asset({
      key,
      pool: 'gpu',
      ...(heavy?.key === key ? { slots: heavy.slots } : {}),
      materialize: async () => {
        const start = Date.now();
        await pause(60);
        spans.push({ key, pid: process.pid, start, end: Date.now() });
        return key;
      },
    });
  });
  return defineProject({ assets, pools: { gpu: 2 }, concurrency: 6 });
}

/**
 * The same six steps for the `weir` command: each appends its start and end to times.log (one
 * write each, O_APPEND), and waits a minute while a file `hang` exists.
 */
const CLI_PROJECT = `
import { appendFileSync, existsSync } from 'node:fs';
import { asset, defineProject } from 'weir';

const times = new URL('./times.log', import.meta.url).pathname;
const hang = new URL('./hang', import.meta.url).pathname;
const mark = (key: string, kind: string) =>
  appendFileSync(times, JSON.stringify({ key, pid: process.pid, kind, at: Date.now() }) + '\\n');

const assets = Array.from({ length: 6 }, (_, i) =>
  asset({
    key: 'gpu/g' + i,
    pool: 'gpu',
    materialize: async (ctx) => {
      mark(ctx.key, 'start');
      await new Promise((resolve) => setTimeout(resolve, existsSync(hang) ? 60_000 : 200));
      mark(ctx.key, 'end');
      return ctx.key;
    },
  }),
);
export default defineProject({ assets, pools: { gpu: 2 }, concurrency: 4 });
`;

/** The spans times.log records; a step started but never ended is left out. */
function spansIn(dir: string): Span[] {
  const starts = new Map<string, { key: string; pid: number; at: number }>();
  const spans: Span[] = [];
  const path = join(dir, 'times.log');
  if (!existsSync(path)) return spans;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const mark = JSON.parse(line) as { key: string; pid: number; kind: string; at: number };
    const id = `${mark.pid}:${mark.key}`;
    if (mark.kind === 'start') starts.set(id, mark);
    else spans.push({ key: mark.key, pid: mark.pid, start: starts.get(id)!.at, end: mark.at });
  }
  return spans;
}

function startsIn(dir: string): string[] {
  const path = join(dir, 'times.log');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"start"'))
    .map((line) => (JSON.parse(line) as { key: string }).key);
}

function exited(child: ChildProcess): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
}

describe('pools', () => {
  it('one run never runs more steps of a pool at once than it has slots, and uses them all', async () => {
    const spans: Span[] = [];
    const result = await materialize(gpuProject(spans), { instance: tempInstance() });
    expect(result.status).toBe('success');
    expect(spans).toHaveLength(6);
    expect(maxOverlap(spans)).toBe(2);
  });

  it('a step taking every slot of its pool runs alone', async () => {
    const spans: Span[] = [];
    const project = gpuProject(spans, { key: 'gpu/g2', slots: 2 });
    const result = await materialize(project, { instance: tempInstance() });
    expect(result.status).toBe('success');
    expect(maxOverlap(spans)).toBe(2);
    const heavy = spans.find((s) => s.key === 'gpu/g2')!;
    const beside = spans.filter((s) => s !== heavy && s.start < heavy.end && s.end > heavy.start);
    expect(beside).toEqual([]);
  });

  it('a step keeps its slots while it waits to retry', async () => {
    const spans: Span[] = [];
    let attempts = 0;
    const flaky = asset({
      key: 'flaky',
      pool: 'gpu',
      retry: { maxAttempts: 2, initialDelayMs: 150 },
      materialize: async () => {
        const start = Date.now();
        attempts++;
        // Long enough for a waiting step to look (at most 200 ms apart) while it runs.
        await pause(attempts === 1 ? 20 : 400);
        spans.push({ key: 'flaky', pid: process.pid, start, end: Date.now() });
        if (attempts === 1) throw new Error('once');
        return 1;
      },
    });
    const other = asset({
      key: 'other',
      pool: 'gpu',
      materialize: async () => {
        const start = Date.now();
        await pause(20);
        spans.push({ key: 'other', pid: process.pid, start, end: Date.now() });
        return 2;
      },
    });
    const project = defineProject({ assets: [flaky, other], pools: { gpu: 1 } });
    const result = await materialize(project, { instance: tempInstance() });
    expect(result.status).toBe('success');
    // Nothing of the pool ran between flaky's attempts.
    const [first, second] = spans.filter((s) => s.key === 'flaky');
    const ran = spans.find((s) => s.key === 'other')!;
    expect(ran.start >= second!.end || ran.end <= first!.start).toBe(true);
  });

  it('two weir materialize processes together stay within the pool', async () => {
    const dir = projectDir({ 'weir.config.ts': CLI_PROJECT });
    // Create the log and compile the project first, so the processes race on steps only.
    expect(weir(dir, 'status').code).toBe(0);
    // Each alone would run 2 steps at once; a third of each share is left waiting.
    const results = await Promise.all([
      exited(spawnWeir(dir, 'materialize', 'gpu/g0, gpu/g1, gpu/g2')),
      exited(spawnWeir(dir, 'materialize', 'gpu/g3, gpu/g4, gpu/g5')),
    ]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const spans = spansIn(dir);
    expect(spans).toHaveLength(6);
    expect(new Set(spans.map((s) => s.pid)).size).toBe(2);
    expect(maxOverlap(spans)).toBeLessThanOrEqual(2);
    // Both forced over every step: each runs all six (one after the other's), within the pool.
    const again = await Promise.all([
      exited(spawnWeir(dir, 'materialize', '--force')),
      exited(spawnWeir(dir, 'materialize', '--force')),
    ]);
    for (const result of again) expect(result.code, result.stderr).toBe(0);
    expect(spansIn(dir)).toHaveLength(18);
    expect(maxOverlap(spansIn(dir))).toBeLessThanOrEqual(2);
  });

  it('slots of a process killed with SIGKILL are taken over, not leaked', async () => {
    const dir = projectDir({ 'weir.config.ts': CLI_PROJECT, hang: '' });
    const child = spawnWeir(dir, 'materialize');
    const ended = new Promise((resolve) => child.once('exit', resolve));
    await waitFor(() => startsIn(dir).length === 2);
    child.kill('SIGKILL');
    await ended;
    rmSync(join(dir, 'hang'));
    const held = new Set(startsIn(dir));

    // A run of a step the dead process never started finds the pool full of dead holders
    // (nothing closed that run: materialize() recovers nothing) and takes them over.
    const free = ['gpu/g0', 'gpu/g1', 'gpu/g2', 'gpu/g3'].find((key) => !held.has(key))!;
    const spans: Span[] = [];
    const instance = openInstance({ dir: join(dir, '.weir') });
    try {
      const run = await materialize(gpuProject(spans), { instance, selection: free });
      expect(run.status).toBe('success');
      expect(run.summary.materialized).toEqual([free]);
      const failures = await instance.eventLog.events({ types: ['step:failed'] });
      expect(failures.map((e) => 'assetKey' in e && e.assetKey).sort()).toEqual([...held].sort());
    } finally {
      await instance.close();
    }

    // The next command finishes the rest within the pool.
    const next = weirJson<{ status: string }>(dir, 'materialize');
    expect(next.status).toBe('success');
    const states = weirJson<Array<{ key: string; status: string }>>(dir, 'status');
    expect(states.filter((s) => s.status !== 'fresh')).toEqual([]);
    expect(maxOverlap(spansIn(dir))).toBeLessThanOrEqual(2);
  });
});
