/**
 * Exactly once across processes: several `weir materialize` (or `weir backfill`) processes on
 * one project run each stale step once between them, end as if they had run one after the
 * other, and never build a reader from a version another process replaced.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asset, assetStatus, dailyPartitions, defineProject, materialize } from '../src/index.js';
import { projectDir, spawnWeir, weir, weirJson } from './cli-helpers.js';
import { tempInstance } from './helpers.js';

/** Each step appends its key to executions.log (one write, O_APPEND) and takes a little time. */
const CHAIN_AND_FAN = `
import { appendFileSync } from 'node:fs';
import { asset, defineProject } from 'weir';

const ran = (key: string) => appendFileSync('executions.log', key + '\\n');
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

const root = asset({
  key: 'root',
  materialize: async () => { ran('root'); await pause(); return Math.random(); },
});
const chain = [];
let previous = root;
for (let i = 0; i < 20; i++) {
  const up = previous;
  previous = asset({
    key: 'chain/c' + String(i).padStart(2, '0'),
    ins: { up },
    materialize: async (ctx, { up }) => { ran(ctx.key); await pause(); return up + 1; },
  });
  chain.push(previous);
}
const fan = [];
for (let i = 0; i < 29; i++) {
  fan.push(asset({
    key: 'fan/f' + String(i).padStart(2, '0'),
    ins: { root },
    materialize: async (ctx, { root }) => { ran(ctx.key); await pause(); return root * 2; },
  }));
}
export default defineProject({ assets: [root, ...chain, ...fan], concurrency: 3 });
`;

const DAILY = `
import { appendFileSync } from 'node:fs';
import { asset, dailyPartitions, defineProject } from 'weir';

export default defineProject({
  assets: [
    asset({
      key: 'daily',
      partitions: dailyPartitions({ start: '2024-01-01', end: '2024-02-01' }),
      materialize: async (ctx) => {
        appendFileSync('executions.log', ctx.partition.key + '\\n');
        await new Promise((resolve) => setTimeout(resolve, 10));
        return ctx.partition.key;
      },
    }),
  ],
  concurrency: 2,
});
`;

function exited(child: ChildProcess): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
}

function executions(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of readFileSync(join(dir, 'executions.log'), 'utf8').split('\n')) {
    if (key !== '') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

interface StatusJson {
  key: string;
  status: string;
  dataVersion: string | null;
}

describe('exactly once across processes', () => {
  for (const processes of [2, 4]) {
    it(`${processes} materialize processes run each of 50 stale steps once, and agree on every version`, async () => {
      const dir = projectDir({ 'weir.config.ts': CHAIN_AND_FAN });
      // Create the log and compile the project first, so the processes race on steps only.
      expect(weir(dir, 'status').code).toBe(0);
      const results = await Promise.all(
        Array.from({ length: processes }, () => exited(spawnWeir(dir, 'materialize'))),
      );
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      const counts = executions(dir);
      expect(counts.size).toBe(50);
      expect(
        [...counts.values()].every((n) => n === 1),
        JSON.stringify([...counts]),
      ).toBe(true);
      // Every reader was built from the root version that stands (root is random).
      const states = weirJson<StatusJson[]>(dir, 'status');
      expect(states.every((s) => s.status === 'fresh')).toBe(true);
      expect(results.map((r) => r.stdout).join('')).toMatch(/done by another run meanwhile/);
    });
  }

  it('two backfills over the same 31 days share the work and both succeed', async () => {
    const dir = projectDir({ 'weir.config.ts': DAILY });
    const backfill = () =>
      exited(spawnWeir(dir, 'backfill', 'daily', '--from', '2024-01-01', '--to', '2024-01-31'));
    const results = await Promise.all([backfill(), backfill()]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const counts = executions(dir);
    expect(counts.size).toBe(31);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const listed = weirJson<Array<{ status: string }>>(dir, 'backfill', '--list');
    expect(listed.map((b) => b.status)).toEqual(['success', 'success']);
  });
});

describe('leases through the API', () => {
  function counted() {
    const runs = new Map<string, number>();
    const ran = (key: string) => runs.set(key, (runs.get(key) ?? 0) + 1);
    const slow = () => new Promise((resolve) => setTimeout(resolve, 5));
    const root = asset({
      key: 'root',
      materialize: async () => {
        ran('root');
        await slow();
        return Math.random();
      },
    });
    const readers = Array.from({ length: 12 }, (_, i) =>
      asset({
        key: `reader${i}`,
        ins: { root },
        materialize: async (ctx, { root }) => {
          ran(ctx.key);
          await slow();
          return root;
        },
      }),
    );
    return { runs, project: defineProject({ assets: [root, ...readers], concurrency: 2 }) };
  }

  it('two runs at once in one process: each step once, readers built from the root that stands', async () => {
    const instance = tempInstance();
    const { runs, project } = counted();
    const results = await Promise.all([
      materialize(project, { instance }),
      materialize(project, { instance }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['success', 'success']);
    expect([...runs.values()]).toEqual(Array(13).fill(1));
    const keys = [...runs.keys()].sort();
    // Each run accounts for every step: materialized by it, or by the other meanwhile.
    for (const { summary } of results) {
      expect([...summary.materialized, ...(summary.concurrent ?? [])].sort()).toEqual(keys);
    }
    expect(results.flatMap((r) => r.summary.materialized).sort()).toEqual(keys);
    const states = await assetStatus(project, { instance });
    expect(states.every((s) => s.status === 'fresh')).toBe(true);
  });

  it('a forced run waits for the holder, saying so, then runs anyway', async () => {
    const instance = tempInstance();
    const { runs, project } = counted();
    const said: string[] = [];
    const onLog = (_key: string, entry: { message: string }) => said.push(entry.message);
    await Promise.all([
      materialize(project, { instance, onLog }),
      materialize(project, { instance, force: true, onLog }),
    ]);
    expect([...runs.values()]).toEqual(Array(13).fill(2));
    expect(said.some((m) => /^\S+ waits for run \S+ \(pid \d+ on /.test(m))).toBe(true);
  });

  it('takes over the lease of a run whose process died, and records the take-over', async () => {
    const instance = tempInstance();
    const { runs, project } = counted();
    const dead = { runId: 'r-dead', host: hostname(), pid: 2 ** 22 + 11 };
    await instance.eventLog.append([
      {
        type: 'run:started',
        ...dead,
        timestamp: 1,
        selection: '*',
        force: false,
        steps: ['root'],
        weirVersion: '0',
      },
    ]);
    await instance.eventLog.startSteps({
      events: [
        {
          type: 'step:started',
          runId: 'r-dead',
          assetKey: 'root',
          partition: '',
          timestamp: 1,
          attempt: 1,
        },
      ],
      expected: [],
    });
    const result = await materialize(project, { instance });
    expect(result.status).toBe('success');
    expect(runs.get('root')).toBe(1);
    const [failed] = await instance.eventLog.events({ runId: 'r-dead', types: ['step:failed'] });
    expect(failed).toMatchObject({ assetKey: 'root', error: { name: 'ProcessDied' } });
    const [started] = await instance.eventLog.events({
      runId: result.runId,
      types: ['step:started'],
    });
    expect(started).toMatchObject({ assetKey: 'root', tookOver: { runId: 'r-dead' } });
  });
});

describe('an upstream replaced while a run goes on', () => {
  /**
   * a → b, a → c (c also waits for e), b + c → d. The first run forces a+ and e; while e
   * holds c back, a second run forces a. c then reads the new a, b still holds the old one.
   */
  function diamond(partitions?: ReturnType<typeof dailyPartitions>) {
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let bDone = () => {};
    const bBuilt = new Promise<void>((resolve) => {
      bDone = resolve;
    });
    const p = partitions === undefined ? {} : { partitions };
    const a = asset({ key: 'a', ...p, materialize: () => Math.random() });
    const e = asset({ key: 'e', ...p, materialize: async () => (await gate, 1) });
    const b = asset({ key: 'b', ...p, ins: { a }, materialize: (_ctx, { a }) => (bDone(), a) });
    const c = asset({ key: 'c', ...p, ins: { a }, deps: [e], materialize: (_ctx, { a }) => a });
    const d = asset({
      key: 'd',
      ...p,
      ins: { b, c },
      materialize: (_ctx, { b, c }) => ({ same: b === c }),
    });
    return { project: defineProject({ assets: [a, b, c, d, e] }), openGate, bBuilt };
  }

  for (const partitioned of [false, true]) {
    it(`does not build a reader from inputs that disagree about it${partitioned ? ' (partitioned)' : ''}`, async () => {
      const instance = tempInstance();
      const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-03' });
      const { project, openGate, bBuilt } = diamond(partitioned ? days : undefined);
      const now = Date.parse('2024-02-01T00:00:00Z');
      const one = partitioned ? { partitions: { keys: ['2024-01-01'] } } : {};
      const first = materialize(project, { instance, now, selection: 'a+,e', force: true, ...one });
      await bBuilt;
      const second = await materialize(project, {
        instance,
        now,
        selection: 'a',
        force: true,
        ...one,
      });
      expect(second.status).toBe('success');
      openGate();
      const result = await first;
      const d = partitioned ? 'd[2024-01-01]' : 'd';
      expect(result.summary.materialized).not.toContain(d);
      expect(result.summary.skipped).toEqual([d]);
      expect(result.reasons[d]).toContain('its input b was built from a version of a');
      const [state] = await assetStatus(project, { instance, now, selection: 'd' });
      expect(state?.status).not.toBe('fresh');
    });
  }
});

describe('an upstream replaced between a plan and its reads', () => {
  it('counts as replaced: a run learns versions after it plans', async () => {
    const { replacedSincePlan } = await import('../src/execution/_replaced-upstream.js');
    const { VersionBook } = await import('../src/execution/_version-book.js');
    const { graphOf } = await import('../src/execution/index.js');
    const a = asset({ key: 'a', materialize: () => 1 });
    const b = asset({ key: 'b', ins: { a }, materialize: (_ctx, { a }) => a });
    const instance = tempInstance();
    const project = defineProject({ assets: [a, b] });
    await materialize(project, { instance });
    const records = new Map(
      (await instance.eventLog.latest(['a', 'b'])).map((r) => [r.assetKey, r]),
    );
    const versions = new VersionBook(records);
    const planned = await assetStatus(project, { instance });
    const states = new Map(planned.map((s) => [s.key, s]));
    replacedSincePlan(graphOf(project), versions, states);
    expect(versions.replacedKeys().keys.size).toBe(0);
    // The plan saw another version of a than the one the run then read.
    states.set('a', { ...states.get('a')!, dataVersion: 'older' });
    replacedSincePlan(graphOf(project), versions, states);
    expect([...versions.replacedKeys().keys]).toEqual(['a']);
  });

  it('builds a reader whose inputs another run rebuilt, all from one version, meanwhile', async () => {
    const instance = tempInstance();
    let hold: Promise<void> | undefined;
    let bDone = () => {};
    const built: boolean[] = [];
    const a = asset({ key: 'a', materialize: () => Math.random() });
    const e = asset({ key: 'e', materialize: async () => (await hold, 1) });
    const b = asset({ key: 'b', ins: { a }, materialize: (_ctx, { a }) => (bDone(), a) });
    const c = asset({ key: 'c', ins: { a }, deps: [e], materialize: (_ctx, { a }) => a });
    const d = asset({
      key: 'd',
      ins: { b, c },
      materialize: (_ctx, { b, c }) => (built.push(b === c), b === c),
    });
    const project = defineProject({ assets: [a, b, c, d, e] });
    await materialize(project, { instance });
    let release = () => {};
    hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const bBuilt = new Promise<void>((resolve) => {
      bDone = resolve;
    });
    const first = materialize(project, { instance, selection: 'a+,e', force: true });
    await bBuilt;
    const second = await materialize(project, { instance, selection: 'a+', force: true });
    expect(second.status).toBe('success');
    release();
    const result = await first;
    expect(result.summary.skipped).toEqual([]);
    expect(result.status).toBe('success');
    expect(built.every(Boolean)).toBe(true);
  });
});

describe('fencing', () => {
  it('a step whose lease another run took over (judging it dead) does not record its result', async () => {
    const instance = tempInstance();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow = asset({
      key: 'slow',
      materialize: async () => {
        started();
        await gate;
        return 1;
      },
    });
    const run = materialize(defineProject({ assets: [slow] }), { instance });
    await running;
    // Another host, seeing no heartbeat, takes the lease over.
    const [lease] = await instance.eventLog.leases('slow', ['']);
    await instance.eventLog.append([
      {
        type: 'run:started',
        runId: 'r-taker',
        timestamp: Date.now(),
        selection: 'slow',
        force: false,
        steps: ['slow'],
        host: 'another-host',
        pid: 1,
        weirVersion: '0',
      },
    ]);
    const taken = await instance.eventLog.startSteps({
      events: [
        {
          type: 'step:started',
          runId: 'r-taker',
          assetKey: 'slow',
          partition: '',
          timestamp: Date.now(),
          attempt: 1,
          tookOver: { runId: lease!.runId, reason: 'not renewed' },
        },
      ],
      expected: [{ assetKey: 'slow', partition: '', materializationId: 0 }],
      takeOver: [{ lease: lease!, events: [] }],
    });
    expect(taken.status).toBe('started');
    release();
    const result = await run;
    expect(result.status).toBe('failed');
    expect(result.summary.cancelled).toEqual(['slow']);
    expect(result.reasons.slow).toMatch(/taken over by run r-taker/);
    expect(await instance.eventLog.events({ types: ['asset:materialized'] })).toEqual([]);
    const [cancelled] = await instance.eventLog.events({ types: ['step:cancelled'] });
    expect(cancelled).toMatchObject({ assetKey: 'slow', reason: expect.stringMatching(/r-taker/) });
  });
});
