import { appendFileSync, existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectDir, spawnWeir, waitFor, weir, weirJson } from './cli-helpers.js';

/** Ten days; every partition notes that it ran; 2024-01-05 hangs while the `hang` file exists. */
const PROJECT = `
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { asset, dailyPartitions, defineProject, many } from 'weir';

const here = (name: string) => new URL('./' + name, import.meta.url).pathname;
const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-11' });
const readings = asset({
  key: 'readings',
  partitions: days,
  materialize: async (ctx) => {
    appendFileSync(here('ran.log'), ctx.partition.key + '\\n');
    if (ctx.partition.key === '2024-01-05' && existsSync(here('hang'))) {
      writeFileSync(here('hanging'), 'yes');
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
    return Number(ctx.partition.key.slice(-2));
  },
});
const total = asset({
  key: 'total',
  ins: { days: many(readings) },
  materialize: (_ctx, { days }) => [...days.values()].reduce((a, b) => a + b, 0),
});
export default defineProject({ assets: [readings, total] });
`;

interface Backfill {
  backfillId: string;
  status: string;
  materialized: number;
}

describe('backfill after kill -9', () => {
  it('is listed as interrupted and resumes without redoing the partitions it finished', async () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, hang: '' });
    const child = spawnWeir(
      dir,
      'backfill',
      '+total',
      '--from',
      '2024-01-01',
      '--to',
      '2024-01-10',
      '--concurrency',
      '1',
    );
    await waitFor(() => existsSync(join(dir, 'hanging')));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const ranBefore = readFileSync(join(dir, 'ran.log'), 'utf8').trim().split('\n');
    expect(ranBefore).toEqual([
      '2024-01-01',
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
    ]);

    const [listed] = weirJson<Backfill[]>(dir, 'backfill', '--list');
    expect(listed?.status).toBe('interrupted');
    // What the crashed run did before it died still counts (read from its events).
    expect(listed?.materialized).toBe(4);
    const text = weir(dir, 'backfill', '--list');
    expect(text.stdout).toContain('interrupted');

    unlinkSync(join(dir, 'hang'));
    appendFileSync(join(dir, 'ran.log'), '--- resumed\n');
    const resumed = weir(dir, 'backfill', '--resume', listed!.backfillId);
    expect(resumed.code).toBe(0);
    const after = readFileSync(join(dir, 'ran.log'), 'utf8').trim().split('--- resumed\n')[1]!;
    expect(after.trim().split('\n').sort()).toEqual([
      '2024-01-05',
      '2024-01-06',
      '2024-01-07',
      '2024-01-08',
      '2024-01-09',
      '2024-01-10',
    ]);
    const [done] = weirJson<Backfill[]>(dir, 'backfill', '--list');
    expect(done?.status).toBe('success');
    const status = weirJson<Array<{ key: string; status: string }>>(dir, 'status');
    expect(status.map((s) => s.status)).toEqual(['fresh', 'fresh']);
  });
});
