/**
 * Fault injection: `weir materialize` killed with SIGKILL at random moments, again and again.
 * After every kill the instance is consistent (every materialization's artefact exists and
 * hashes to its recorded version; the indexes equal a rebuild from the events), and a last
 * run makes everything fresh. bench/kill-loop.ts runs the long version.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectDir, spawnWeir, waitFor, weir, weirJson } from './cli-helpers.js';
import { checkConsistency } from './support/consistency.js';

/** A source, a chain and a fan of json assets, a files asset, daily partitions: each step a little slow. */
export const KILL_PROJECT = `
import { writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asset, dailyPartitions, defineProject, sourceAsset } from 'weir';

const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
const feed = sourceAsset({ key: 'raw/feed', observe: () => 'v1' });
const base = asset({
  key: 'base',
  deps: [feed],
  materialize: async () => {
    writeFileSync(new URL('./running', import.meta.url).pathname, '');
    await pause();
    return { n: 1, at: Date.now() };
  },
});
const assets = [feed, base];
let previous = base;
for (let i = 0; i < 6; i++) {
  const up = previous;
  previous = asset({
    key: 'chain/c' + i,
    ins: { up },
    materialize: async (_ctx, { up }) => { await pause(); return { n: up.n + 1, pad: 'x'.repeat(2000) }; },
  });
  assets.push(previous);
}
assets.push(asset({
  key: 'files/tree',
  io: 'files',
  ins: { base },
  materialize: async (ctx, { base }) => {
    await mkdir(join(ctx.outputPath, 'a'), { recursive: true });
    await writeFile(join(ctx.outputPath, 'a', 'one.txt'), 'x'.repeat(5000));
    await pause();
    await writeFile(join(ctx.outputPath, 'two.txt'), String(base.n));
  },
}));
assets.push(asset({
  key: 'daily',
  partitions: dailyPartitions({ start: '2024-01-01', end: '2024-01-08' }),
  ins: { base },
  materialize: async (ctx, { base }) => { await pause(); return ctx.partition.key + base.n; },
}));
export default defineProject({ assets, concurrency: 3 });
`;

/** Starts a forced run and kills it `ms` after its first step started. */
async function killAfter(dir: string, ms: number): Promise<void> {
  rmSync(join(dir, 'running'), { force: true });
  const child = spawnWeir(dir, 'materialize', '--force');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(() => existsSync(join(dir, 'running')));
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  await exited;
}

describe('kill -9 at random moments', () => {
  it('leaves a consistent instance every time, and the next run finishes the work', async () => {
    const dir = projectDir({ 'weir.config.ts': KILL_PROJECT });
    expect(weir(dir, 'materialize').code).toBe(0);
    let materializations = 0;
    for (let kill = 0; kill < 5; kill++) {
      // Within 150 ms: a forced run takes about 240 ms from its first step (7 steps in a
      // chain of 0–60 ms each), so the kill lands mid-run; up to 250 ms, about one kill in
      // five came after the run had ended, and 3 of 5 mid-run failed about 6 % of the time.
      await killAfter(dir, Math.random() * 150);
      const report = await checkConsistency(join(dir, '.weir'));
      expect(report.problems, `after kill ${kill + 1}`).toEqual([]);
      expect(report.materializations).toBeGreaterThanOrEqual(materializations);
      materializations = report.materializations;
    }
    expect(weir(dir, 'materialize').code).toBe(0);
    const states = weirJson<Array<{ key: string; status: string }>>(dir, 'status');
    expect(states.filter((s) => s.status !== 'fresh')).toEqual([]);
    const runs = weirJson<Array<{ status: string }>>(dir, 'runs', '--limit', '20');
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    // The kills landed in the middle of runs, not only between them.
    expect(runs.filter((r) => r.status === 'crashed').length).toBeGreaterThanOrEqual(3);
    expect((await checkConsistency(join(dir, '.weir'))).problems).toEqual([]);
  });
});
