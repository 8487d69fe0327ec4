import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInstance } from '../src/index.js';
import { projectDir, spawnWeir, waitFor, weir, weirJson } from './cli-helpers.js';

/** first -> slow -> last, plus an independent branch; `slow` signals when it is mid-step. */
const PROJECT = `
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asset, defineProject } from 'weir';

const marker = new URL('./slow-started', import.meta.url).pathname;
const hang = new URL('./hang', import.meta.url).pathname;
const first = asset({ key: 'first', materialize: () => ({ rows: 3 }) });
const side = asset({ key: 'side', materialize: () => 'independent' });
const slow = asset({
  key: 'slow',
  io: 'files',
  ins: { first },
  materialize: async (ctx, { first }) => {
    await mkdir(ctx.outputPath);
    await writeFile(join(ctx.outputPath, 'part-1'), 'x'.repeat(1000));
    if (existsSync(hang)) {
      writeFileSync(marker, 'started');
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
    await writeFile(join(ctx.outputPath, 'part-2'), String(first.rows));
  },
});
const last = asset({ key: 'last', ins: { slow }, materialize: (_ctx, { slow }) => slow.path.length > 0 });
export default defineProject({ assets: [first, side, slow, last] });
`;

interface RunJson {
  runId: string;
  status: string;
}

function assertConsistent(dir: string) {
  // Every materialization points at an artefact that exists, and no partial write remains.
  const instance = openInstance({ dir: join(dir, '.weir') });
  return instance.eventLog
    .events({ types: ['asset:materialized'] })
    .then(async (events) => {
      for (const event of events) {
        if (event.type === 'asset:materialized')
          expect(await instance.artefacts.exists(event.materialization.artefact.location)).toBe(
            true,
          );
      }
      return events.length;
    })
    .finally(() => instance.close());
}

describe('crash safety', () => {
  it('after kill -9 mid-step: the log is consistent, the run is closed as crashed, and the next run redoes exactly the interrupted steps', async () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, hang: '' });
    const child = spawnWeir(dir, 'materialize', '--concurrency', '1');
    await waitFor(() => existsSync(join(dir, 'slow-started')));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // The partial output sits in the dead process's temp folder, never in the store.
    expect(readdirSync(join(dir, '.weir/artefacts/tmp')).length).toBe(1);
    expect(await assertConsistent(dir)).toBe(2); // first and side

    const runsBefore = weirJson<RunJson[]>(dir, 'runs');
    expect(runsBefore[0]!.status).toBe('crashed');
    const states = Object.fromEntries(
      weirJson<Array<{ key: string; status: string; reason: string }>>(dir, 'status').map((s) => [
        s.key,
        s,
      ]),
    );
    expect(states.first!.status).toBe('fresh');
    expect(states.side!.status).toBe('fresh');
    expect(states.slow!.status).toBe('failed');
    expect(states.slow!.reason).toContain('died before the step finished');
    expect(states.last!.status).toBe('missing');
    expect(readdirSync(join(dir, '.weir/artefacts/tmp')).length).toBe(0); // the dead process's temp folder is gone

    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'hang'));
    const resumed = weirJson<{ summary: { materialized: string[] } }>(dir, 'materialize');
    expect(resumed.summary.materialized).toEqual(['slow', 'last']);
    expect(await assertConsistent(dir)).toBe(4);
    expect(weir(dir, 'materialize').stdout).toContain('Nothing to do');
  });

  it('Ctrl-C cancels: the step in flight is recorded as cancelled and nothing half-written remains', async () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, hang: '' });
    const child = spawnWeir(dir, 'materialize', '--concurrency', '1');
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    await waitFor(() => existsSync(join(dir, 'slow-started')));
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('cancelling');
    const runs = weirJson<Array<RunJson & { finished: { summary: { cancelled: string[] } } }>>(
      dir,
      'runs',
    );
    expect(runs[0]!.status).toBe('cancelled');
    expect(runs[0]!.finished.summary.cancelled.sort()).toEqual(['last', 'slow']);
    expect(await assertConsistent(dir)).toBe(2);
    const states = weirJson<Array<{ key: string; status: string }>>(dir, 'status');
    expect(states.find((s) => s.key === 'slow')!.status).toBe('missing');
  });
});
