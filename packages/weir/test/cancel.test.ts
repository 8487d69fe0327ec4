/**
 * Cancellation that works for any step: Ctrl-C, SIGTERM and `backfill --cancel` stop a run
 * within about 2 s even while a step blocks the event loop, record the step and the run as
 * cancelled, exit 130, and keep the log lines the step wrote.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInstance } from '../src/index.js';
import { projectDir, spawnWeir, waitFor, weir, weirJson } from './cli-helpers.js';

/** `spin` logs, then blocks the event loop for a minute (unless the file `free` exists). */
const PROJECT = `
import { existsSync, writeFileSync } from 'node:fs';
import { asset, dailyPartitions, defineProject } from 'weir';

const here = (name: string) => new URL('./' + name, import.meta.url).pathname;
const first = asset({ key: 'first', materialize: () => 1 });
const spin = asset({
  key: 'spin',
  ins: { first },
  materialize: (ctx, { first }) => {
    for (let i = 0; i < 3; i++) ctx.log.info('line ' + i);
    writeFileSync(here('spinning'), 'yes');
    const until = Date.now() + 60_000;
    let n = 0;
    while (Date.now() < until && !existsSync(here('free'))) {
      n++;
      if (n % 5_000_000 === 0) ctx.log.info('still spinning');
    }
    return first + 1;
  },
});
const after = asset({ key: 'after', ins: { spin }, materialize: (_ctx, { spin }) => spin });
const days = asset({
  key: 'days',
  partitions: dailyPartitions({ start: '2024-01-01', end: '2024-01-04' }),
  materialize: (ctx) => {
    writeFileSync(here('spinning'), 'yes');
    const until = Date.now() + 60_000;
    while (Date.now() < until && !existsSync(here('free'))) {}
    return ctx.partition.key;
  },
});
export default defineProject({ assets: [first, spin, after, days], concurrency: 1 });
`;

interface RunJson {
  runId: string;
  status: string;
  finished?: { summary: { cancelled: string[]; materialized: string[] }; reason?: string };
}

async function stopWhileSpinning(signal: NodeJS.Signals, ...args: string[]) {
  const dir = projectDir({ 'weir.config.ts': PROJECT });
  const child = spawnWeir(dir, ...args);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code) => resolve(code ?? -1)),
  );
  await waitFor(() => existsSync(join(dir, 'spinning')));
  const sent = Date.now();
  child.kill(signal);
  const code = await exited;
  return { dir, code, tookMs: Date.now() - sent, stderr };
}

describe('cancelling a step that blocks the event loop', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} stops the run within about 2 s, records it cancelled, keeps the step's log lines`, async () => {
      const { dir, code, tookMs, stderr } = await stopWhileSpinning(
        signal,
        'materialize',
        '+spin+',
      );
      expect(code).toBe(130);
      expect(tookMs).toBeLessThan(3_000);
      expect(stderr).toContain('cancelling');
      const [run] = weirJson<RunJson[]>(dir, 'runs');
      expect(run!.status).toBe('cancelled');
      expect(run!.finished!.summary.materialized).toEqual(['first']);
      expect(run!.finished!.summary.cancelled).toEqual(['spin']);
      const logs = weir(dir, 'logs', run!.runId);
      expect(logs.stdout).toMatch(/line 0[\s\S]*line 1[\s\S]*line 2/);
      expect(logs.stdout).toMatch(/spin.*cancelled/);
      // Nothing of `spin` was recorded, and the next run redoes exactly what was stopped.
      weir(dir, 'status');
      const states = weirJson<Array<{ key: string; status: string }>>(dir, 'status');
      expect(states.find((s) => s.key === 'spin')!.status).toBe('missing');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'free'), '');
      const again = weirJson<{ summary: { materialized: string[] } }>(dir, 'materialize', '+spin+');
      expect(again.summary.materialized).toEqual(['spin', 'after']);
    });
  }

  it('backfill --cancel from another process stops a backfill whose step blocks', async () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    const child = spawnWeir(dir, 'backfill', 'days', '--from', '2024-01-01', '--to', '2024-01-03');
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
    await waitFor(() => existsSync(join(dir, 'spinning')) && /Backfill (bf-\S+):/.test(stdout));
    const id = /Backfill (bf-\S+):/.exec(stdout)![1]!;
    const sent = Date.now();
    expect(weir(dir, 'backfill', '--cancel', id).code).toBe(0);
    expect(await exited).toBe(130);
    expect(Date.now() - sent).toBeLessThan(3_500);
    const [listed] = weirJson<Array<{ status: string }>>(dir, 'backfill', '--list');
    expect(listed!.status).toBe('cancelled');
    const [run] = weirJson<RunJson[]>(dir, 'runs');
    expect(run!.status).toBe('cancelled');
  });
});

describe('log lines of a step that bursts, then blocks', () => {
  it('keeps all but at most its last 64 lines when the run is stopped', async () => {
    const dir = projectDir({
      'weir.config.ts': `
import { existsSync, writeFileSync } from 'node:fs';
import { asset, defineProject } from 'weir';
export default defineProject({
  assets: [
    asset({
      key: 'burst',
      materialize: (ctx) => {
        for (let i = 0; i < 3000; i++) ctx.log.info('line ' + i);
        writeFileSync(new URL('./spinning', import.meta.url).pathname, '');
        const until = Date.now() + 60_000;
        while (Date.now() < until) {}
        return 1;
      },
    }),
  ],
});
`,
    });
    const child = spawnWeir(dir, 'materialize');
    const exited = new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
    await waitFor(() => existsSync(join(dir, 'spinning')));
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    const instance = openInstance({ dir: join(dir, '.weir') });
    try {
      const lines = await instance.eventLog.events({ types: ['step:log'] });
      expect(lines.length).toBeGreaterThanOrEqual(3_000 - 64);
    } finally {
      await instance.close();
    }
  });
});

describe('weir logs --follow', () => {
  it('shows a step’s log lines while it runs, and ends with the run', async () => {
    const dir = projectDir({
      'weir.config.ts': `
import { writeFileSync } from 'node:fs';
import { asset, defineProject } from 'weir';
export default defineProject({
  assets: [
    asset({
      key: 'ticker',
      materialize: async (ctx) => {
        writeFileSync(new URL('./started', import.meta.url).pathname, '');
        for (let i = 0; i < 8; i++) {
          ctx.log.info('tick ' + i);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return 8;
      },
    }),
  ],
});
`,
    });
    const run = spawnWeir(dir, 'materialize');
    const ran = new Promise<number>((resolve) => run.once('exit', (c) => resolve(c ?? -1)));
    await waitFor(() => existsSync(join(dir, 'started')));
    const follower = spawnWeir(dir, 'logs', '--follow');
    let out = '';
    let ticksWhileRunning = -1;
    follower.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (ticksWhileRunning < 0 && /tick 2/.test(out))
        ticksWhileRunning = run.exitCode === null ? 1 : 0;
    });
    const followed = new Promise<number>((resolve) =>
      follower.once('exit', (c) => resolve(c ?? -1)),
    );
    expect(await ran).toBe(0);
    expect(await followed).toBe(0);
    expect(ticksWhileRunning).toBe(1);
    expect(out).toMatch(/tick 0[\s\S]*tick 7[\s\S]*ticker: materialized[\s\S]*run success/);
  });
});
