/**
 * Findings of trial 14 (a new user's own project, then adversarial review), each through the
 * command where a user meets it.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectDir, spawnWeir, waitFor, weir, weirJson, writeFile } from './cli-helpers.js';

interface LogsJson {
  events: Array<{ type: string; assetKey?: string; timestamp: number }>;
}

describe('trial 14', () => {
  it("runs as many steps at once as the project's concurrency when --concurrency is not given", async () => {
    // Three independent steps that each wait 300 ms: with concurrency 1 they never overlap.
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject, staticPartitions } from 'weir';
const wait = () => new Promise((r) => setTimeout(r, 300));
const a = asset({ key: 'a', materialize: async () => { await wait(); return 1; } });
const b = asset({ key: 'b', materialize: async () => { await wait(); return 2; } });
const c = asset({ key: 'c', materialize: async () => { await wait(); return 3; } });
const p = asset({
  key: 'p',
  partitions: staticPartitions(['x', 'y', 'z']),
  materialize: async (ctx) => { await wait(); return ctx.partition.key; },
});
export default defineProject({ assets: [a, b, c, p], concurrency: 1 });
`,
    });
    // Step by step: each starts after the one before has ended.
    const oneAtATime = () => {
      const [run] = weirJson<Array<{ runId: string }>>(dir, 'runs');
      const logs = weirJson<LogsJson>(dir, 'logs', run!.runId);
      const steps = logs.events.filter(
        (e) => e.type === 'step:started' || e.type === 'asset:materialized',
      );
      expect(steps.map((e) => e.type)).toEqual(
        Array.from({ length: 3 }, () => ['step:started', 'asset:materialized']).flat(),
      );
    };
    expect(weir(dir, 'materialize', 'a,b,c').code).toBe(0);
    oneAtATime();
    expect(weir(dir, 'backfill', 'p', '--partition', 'x,y,z').code).toBe(0);
    oneAtATime();
  });

  it('a value that is not JSON in metadata, a check result or log fields fails only its own source or step', () => {
    // A BigInt (what database drivers return for counts) or a cycle cannot be stored.
    const dir = projectDir({
      'weir.config.ts': `
import { asset, check, defineProject, sourceAsset } from 'weir';
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
const bigSource = sourceAsset({ key: 'src/big', observe: () => ({ dataVersion: 'v1', metadata: { rows: 10n as never } }) });
const cyclicSource = sourceAsset({ key: 'src/cyclic', observe: () => ({ dataVersion: 'v1', metadata: cyclic as never }) });
const fromBig = asset({ key: 'from_big', deps: [bigSource], materialize: () => 1 });
const fromCyclic = asset({ key: 'from_cyclic', deps: [cyclicSource], materialize: () => 1 });
const meta = asset({ key: 'meta', materialize: (ctx) => { ctx.addMetadata({ rows: 10n as never }); return 1; } });
const logged = asset({ key: 'logged', materialize: (ctx) => { ctx.log.info('counted', { rows: 10n as never }); return 1; } });
const checked = asset({
  key: 'checked',
  checks: [check({ name: 'counted', evaluate: () => ({ passed: true, metadata: { rows: 10n as never } }) })],
  materialize: () => 1,
});
const fine = asset({ key: 'fine', materialize: () => 1 });
export default defineProject({ assets: [bigSource, cyclicSource, fromBig, fromCyclic, meta, logged, checked, fine] });
`,
    });
    const run = weir(dir, 'materialize');
    expect(run.stderr).not.toContain('internal error');
    expect(run.code).toBe(1);
    const status = Object.fromEntries(
      weirJson<Array<{ key: string; status: string; reason: string }>>(dir, 'status').map((s) => [
        s.key,
        s,
      ]),
    );
    expect(status.fine!.status).toBe('fresh');
    expect(status['src/big']!.status).toBe('failed');
    expect(status['src/big']!.reason).toContain('not JSON');
    expect(status['src/cyclic']!.status).toBe('failed');
    expect(status.meta!.status).toBe('failed');
    expect(status.meta!.reason).toContain('ctx.addMetadata');
    expect(status.logged!.status).toBe('failed');
    expect(status.logged!.reason).toContain('ctx.log.info');
    // The check fails (a contract that cannot be recorded does not hold), and says why.
    expect(status.checked!.status).toBe('failed');
    const why = weir(dir, 'why', 'checked');
    expect(why.stdout).toContain('not JSON');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} stops weir status within about 2 s while an observe() ignores its signal`, async () => {
      const dir = projectDir({
        'weir.config.ts': `
import { writeFileSync } from 'node:fs';
import { asset, defineProject, sourceAsset } from 'weir';
const feed = sourceAsset({
  key: 'src/feed',
  observe: () => {
    writeFileSync(new URL('./observing', import.meta.url), 'yes');
    return new Promise<string>((resolve) => setTimeout(() => resolve('v1'), 60_000));
  },
});
const a = asset({ key: 'a', deps: [feed], materialize: () => 1 });
export default defineProject({ assets: [feed, a] });
`,
      });
      const child = spawnWeir(dir, 'status');
      const exited = new Promise<number>((resolve) =>
        child.once('exit', (code) => resolve(code ?? -1)),
      );
      try {
        await waitFor(() => existsSync(join(dir, 'observing')));
        const sent = Date.now();
        child.kill(signal);
        expect(await exited).toBe(130);
        expect(Date.now() - sent).toBeLessThan(3_000);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }

  it('SIGTERM stops a run within about 2 s while a step waits in a synchronous child process', async () => {
    // SIGTERM to weir alone (as a process manager sends it), not to the child: the step's thread
    // stays blocked in spawnSync until the child ends, 30 s later.
    const dir = projectDir({
      'weir.config.ts': `
import { spawnSync } from 'node:child_process';
import { asset, defineProject } from 'weir';
const here = (name: string) => new URL('./' + name, import.meta.url).pathname;
const wait = asset({
  key: 'wait',
  materialize: () => {
    spawnSync(process.execPath, ['-e', "require('fs').writeFileSync(process.argv[1], String(process.pid)); setTimeout(() => {}, 30000)", here('child.pid')]);
    return 1;
  },
});
export default defineProject({ assets: [wait] });
`,
    });
    const child = spawnWeir(dir, 'materialize');
    const exited = new Promise<number>((resolve) =>
      child.once('exit', (code) => resolve(code ?? -1)),
    );
    try {
      await waitFor(() => existsSync(join(dir, 'child.pid')));
      const sent = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(130);
      expect(Date.now() - sent).toBeLessThan(3_000);
      const [run] = weirJson<Array<{ runId: string; status: string }>>(dir, 'runs');
      expect(run!.status).toBe('cancelled');
    } finally {
      child.kill('SIGKILL');
      try {
        process.kill(Number(readFileSync(join(dir, 'child.pid'), 'utf8')), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });

  it('weir value into a reader that stops early (| head) ends quietly', async () => {
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject } from 'weir';
const rows = asset({ key: 'rows', materialize: () => Array.from({ length: 200_000 }, (_, i) => ({ i, name: 'row ' + i })) });
export default defineProject({ assets: [rows] });
`,
    });
    expect(weir(dir, 'materialize').code).toBe(0);
    const child = spawnWeir(dir, 'value', 'rows');
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number>((resolve) =>
      child.once('exit', (code) => resolve(code ?? -1)),
    );
    child.stdout!.once('data', () => child.stdout!.destroy());
    const code = await exited;
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });

  it('a partition of a source that cannot be observed: no hint to select what is selected', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { readFileSync } from 'node:fs';
import { asset, defineProject, dynamicPartitions, fileVersion, many, sourceAsset } from 'weir';
const feeds = dynamicPartitions('feeds');
const file = (key: string) => new URL('./feeds/' + key + '.csv', import.meta.url).pathname;
const files = sourceAsset({ key: 'raw/files', partitions: feeds, observe: (ctx) => fileVersion(file(ctx.partition.key)) });
const rows = asset({ key: 'rows', partitions: feeds, ins: { files }, materialize: (ctx) => readFileSync(file(ctx.partition.key), 'utf8') });
const all = asset({ key: 'all', ins: { rows: many(rows) }, materialize: (_ctx, { rows }) => [...rows.keys()] });
export default defineProject({ assets: [files, rows, all] });
`,
      'feeds/a.csv': 'a\n',
      'feeds/b.csv': 'b\n',
    });
    expect(weir(dir, 'partitions', 'add', 'feeds', 'a', 'b').code).toBe(0);
    expect(weir(dir, 'materialize').code).toBe(0);
    // b's file goes away: its reader waits, and so does what reads that.
    rmSync(join(dir, 'feeds/b.csv'));
    const waiting = weir(dir, 'materialize');
    expect(waiting.code).toBe(1);
    expect(waiting.stderr + waiting.stdout).toContain('raw/files[b]');
    expect(waiting.stderr + waiting.stdout).not.toContain('is not selected');
    // c is added without a file: never observed, so its readers are skipped.
    expect(weir(dir, 'partitions', 'add', 'feeds', 'c').code).toBe(0);
    const skipped = weir(dir, 'materialize');
    expect(skipped.code).toBe(1);
    expect(skipped.stderr + skipped.stdout).toContain('rows: 1 partition');
    expect(skipped.stderr + skipped.stdout).not.toContain('select them too');
  });

  describe('code versions of a materialize that is not a function written beside its key', () => {
    const ASSETS = `import { asset, boundsCheck } from 'weir';

const FACTOR = 2;
function computeRef() { return [{ v: FACTOR }]; }
export const ref = asset({ key: 'ref', checks: [boundsCheck('v', { min: 0 })], materialize: computeRef });

function realWork(n: number) { return n + 1; }
export const bound = asset({ key: 'bound', materialize: realWork.bind(null, 41) });

function timed<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => fn(...args);
}
export const wrapped = asset({ key: 'wrapped', materialize: timed(() => 10 * FACTOR) });
export const other = asset({ key: 'other', materialize: timed(() => 20) });
`;
    const edits = [
      {
        name: 'the options of a check beside a named materialize',
        from: '{ min: 0 }',
        to: '{ min: 1 }',
        stale: ['ref'],
      },
      {
        name: 'the function a bound materialize calls',
        from: 'return n + 1;',
        to: 'return n + 2;',
        stale: ['bound'],
      },
      {
        name: 'the function a wrapper is given',
        from: '10 * FACTOR',
        to: '11 * FACTOR',
        stale: ['wrapped'],
      },
    ];
    for (const edit of edits) {
      it(`editing ${edit.name} restales ${edit.stale.join(', ')}`, () => {
        const dir = projectDir({
          'weir.config.ts': `import { defineProject } from 'weir';
import * as assets from './src/assets';
export default defineProject({ assets: Object.values(assets) });
`,
          'src/assets.ts': ASSETS,
        });
        expect(weir(dir, 'materialize').code).toBe(0);
        writeFile(join(dir, 'src/assets.ts'), ASSETS.replace(edit.from, edit.to));
        const stale = weirJson<Array<{ key: string; status: string }>>(dir, 'status')
          .filter((s) => s.status !== 'fresh')
          .map((s) => s.key);
        expect(stale).toEqual(edit.stale);
        expect(weir(dir, 'why', edit.stale[0]!).stdout).toContain('code changed');
      });
    }
  });

  it('weir status says so when an observe() returns a promise that never settles', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject, sourceAsset } from 'weir';
const feed = sourceAsset({ key: 'src/feed', observe: () => new Promise<string>(() => {}) });
const a = asset({ key: 'a', deps: [feed], materialize: () => 1 });
export default defineProject({ assets: [feed, a] });
`,
    });
    const status = weir(dir, 'status');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('never settles');
  });

  it('an unpartitioned reader of a partitioned source says it was observed with new data', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { readFileSync } from 'node:fs';
import { asset, defineProject, fileVersion, sourceAsset, staticPartitions } from 'weir';
const parts = staticPartitions(['a', 'b']);
const file = (key: string) => new URL('./d/' + key + '.txt', import.meta.url).pathname;
const src = sourceAsset({ key: 'src', partitions: parts, observe: (ctx) => fileVersion(file(ctx.partition.key)) });
const each = asset({ key: 'each', partitions: parts, deps: [src], materialize: (ctx) => readFileSync(file(ctx.partition.key), 'utf8') });
const whole = asset({ key: 'whole', deps: [src], materialize: () => readFileSync(file('a'), 'utf8') });
const after = asset({ key: 'after', deps: [each], materialize: () => 1 });
export default defineProject({ assets: [src, each, whole, after] });
`,
      'd/a.txt': '1',
      'd/b.txt': '1',
    });
    expect(weir(dir, 'materialize').code).toBe(0);
    writeFile(join(dir, 'd/b.txt'), '2');
    const status = Object.fromEntries(
      weirJson<Array<{ key: string; reason: string }>>(dir, 'status').map((s) => [s.key, s.reason]),
    );
    expect(status.whole).toBe(
      'input src changed: partitions were observed with new data since it was read',
    );
    expect(status.after).toBe('upstream each has 1 stale partition it reads: b');
  });
});
