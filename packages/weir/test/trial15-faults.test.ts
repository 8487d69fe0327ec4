/**
 * Faults with a cause, cases found by trying to break them.
 */
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asset,
  checkEventLog,
  defineProject,
  EnvironmentError,
  materialize,
  openInstance,
  recoverEventLog,
} from '../src/index.js';
import { projectDir, weir } from './cli-helpers.js';
import { tempDir, tempInstance } from './helpers.js';
import { mountTmpfs } from './support/faults.js';

describe('the event log refusing a write mid-run', () => {
  it('stops the run with the log’s own fault (a full disk), not an internal RunStopped', async () => {
    const instance = tempInstance();
    const log = instance.eventLog;
    const append = log.append.bind(log);
    let appends = 0;
    log.append = async (events) => {
      appends += 1;
      // The run's opening goes through; a step's outcome does not fit.
      if (appends > 1 && events.some((e) => e.type === 'asset:materialized')) {
        throw new EnvironmentError(
          'E_NO_SPACE',
          'no space left on device writing the event log (/x/events.db)',
        );
      }
      return append(events);
    };
    const project = defineProject({
      assets: [asset({ key: 'a', materialize: () => 1 })],
    });
    const error = await materialize(project, { instance }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error).toMatchObject({
      code: 'E_NO_SPACE',
      message: expect.stringContaining('no space left on device writing the event log'),
    });
  });
});

describe('a disk that is full before the command starts', () => {
  it('says the disk is full when the event log cannot make its shared-memory file', (ctx) => {
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject } from 'weir';
export default defineProject({ assets: [asset({ key: 'a', materialize: () => 1 })] });
`,
    });
    const mounted = mountTmpfs(join(dir, '.weir'), '1m');
    if (typeof mounted === 'string') {
      ctx.skip(mounted);
      return;
    }
    try {
      expect(weir(dir, 'materialize').code).toBe(0);
      // Fill what is left (the log's -shm file went with the last connection).
      const fill = join(dir, '.weir', 'filler');
      for (let chunk = 64 * 1024; chunk >= 512; ) {
        try {
          writeFileSync(fill, Buffer.alloc(chunk), { flag: 'a' });
        } catch {
          chunk >>= 1;
        }
      }
      const status = weir(dir, 'status');
      expect(status.code).toBe(1);
      expect(status.stderr).not.toMatch(/internal error|disk I\/O error/);
      expect(status.stderr).toMatch(/no space left on device .*events\.db/);
    } finally {
      mounted.unmount();
    }
  });
});

describe('a truncated event log', () => {
  it('is recovered up to where it was cut, not refused with advice to run the recovery again', async () => {
    const dir = join(tempDir(), '.weir');
    const instance = openInstance({ dir });
    const events = Array.from({ length: 3000 }, (_, i) => ({
      type: 'run:started' as const,
      runId: `r${i}`,
      timestamp: i,
      selection: '*',
      force: false,
      steps: ['a'],
      host: 'h',
      pid: 1,
      weirVersion: 'x'.repeat(100),
    }));
    await instance.eventLog.append(events);
    await instance.close();
    const file = join(dir, 'events.db');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expect((await checkEventLog(dir)).healthy).toBe(false);

    const report = await recoverEventLog(dir);
    expect(report.recovered).toBeGreaterThan(0);
    // Some of what is gone no index names any more: the report says the file was cut short.
    expect(report.missingPages).toBeGreaterThan(0);
    const recovered = openInstance({ dir });
    try {
      expect((await recovered.eventLog.events()).length).toBe(report.recovered);
    } finally {
      await recovered.close();
    }
  });
});
