/**
 * Faults with a cause, cases found by trying to break them.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  asset,
  assetStatus,
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
    const appendHolding = log.appendHolding.bind(log);
    const full = () =>
      new EnvironmentError(
        'E_NO_SPACE',
        'no space left on device writing the event log (/x/events.db)',
      );
    // The run's opening goes through; a step's outcome (a fenced append) does not fit.
    log.append = async (events) => {
      if (events.some((e) => e.type === 'asset:materialized')) throw full();
      return append(events);
    };
    log.appendHolding = async (runId, leases, events) => {
      if (events.some((e) => e.type === 'asset:materialized')) throw full();
      return appendHolding(runId, leases, events);
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
      // weir gc, the usual remedy, cannot open the log either on a disk this full: the hint says so.
      expect(weir(dir, 'gc', '--dry-run').stderr).toMatch(
        /completely full remove something else first/,
      );
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

describe('damage inside a stored value (the SQLite file itself is sound)', () => {
  it('is reported as a corrupt log by reads and by doctor, and recovery drops what cannot be indexed', async () => {
    const dir = join(tempDir(), '.weir');
    const project = defineProject({
      assets: [
        asset({ key: 'a', materialize: () => 1 }),
        asset({ key: 'b', materialize: () => 2 }),
      ],
    });
    let instance = openInstance({ dir });
    await materialize(project, { instance });
    await instance.close();
    const db = new Database(join(dir, 'events.db'));
    // A flipped byte in the index's summary of a (no longer JSON), and in a key of an event's
    // body (still JSON, but not the event it was).
    db.prepare(
      `UPDATE asset_state SET materialization_summary = substr(materialization_summary, 2),
         usable_summary = substr(usable_summary, 2) WHERE asset_key = 'a'`,
    ).run();
    const damaged = db
      .prepare(`SELECT id FROM events WHERE type = 'step:started' AND asset_key = 'b'`)
      .pluck(true)
      .get() as number;
    db.prepare(
      `UPDATE events SET body = replace(body, '"assetKey"', '"assetKey_"') WHERE id = ?`,
    ).run(damaged);
    db.close();

    instance = openInstance({ dir });
    // Status decides from the status rows and reads no summary of a fresh asset: a read of the
    // records (details, as why, check and status --json make) meets the damage.
    const error = await assetStatus(project, { instance, details: true }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await instance.close();
    expect(error).toMatchObject({
      code: 'E_STORAGE_CORRUPT',
      message: expect.stringMatching(
        /events\.db is corrupt: the index's summary of a is not valid JSON/,
      ),
    });

    const health = await checkEventLog(dir);
    expect(health.healthy).toBe(false);
    expect(health.problems.join('\n')).toMatch(/summary of a is damaged/);

    const report = await recoverEventLog(dir);
    expect(report.lost.map((e) => e.id)).toEqual([damaged]);
    instance = openInstance({ dir });
    try {
      const states = await assetStatus(project, { instance });
      expect(states.map((s) => [s.key, s.status])).toEqual([
        ['a', 'fresh'],
        ['b', 'fresh'],
      ]);
    } finally {
      await instance.close();
    }
  });
});

describe('another process holding the write lock', () => {
  it('does not stop a read: opening an up-to-date log takes no write lock', async () => {
    const dir = join(tempDir(), '.weir');
    const project = defineProject({ assets: [asset({ key: 'a', materialize: () => 1 })] });
    let instance = openInstance({ dir });
    await materialize(project, { instance });
    await instance.close();
    // Another connection (SQLite's locks are per file, across processes and connections).
    const writer = new Database(join(dir, 'events.db'));
    writer.pragma('busy_timeout = 0');
    writer.exec('BEGIN IMMEDIATE; UPDATE leases SET heartbeat_at = 0');
    try {
      const started = Date.now();
      instance = openInstance({ dir });
      const states = await assetStatus(project, { instance });
      await instance.close();
      expect(states.map((s) => s.status)).toEqual(['fresh']);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  }, 15_000);
});

describe('weir doctor --recover while a run is still going', () => {
  it('refuses, naming the run, instead of moving the log away from under it', async () => {
    const dir = join(tempDir(), '.weir');
    const instance = openInstance({ dir });
    const running = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await instance.eventLog.append([
        {
          type: 'run:started',
          runId: 'r-live',
          timestamp: Date.now(),
          selection: '*',
          force: false,
          steps: ['a'],
          host: hostname(),
          pid: running.pid!,
          weirVersion: '0',
        },
      ]);
      await instance.close();
      const error = await recoverEventLog(dir).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toMatchObject({
        code: 'E_CONFLICT',
        message: expect.stringContaining(`run r-live (pid ${running.pid})`),
      });
      expect(readdirSync(dir).filter((name) => name.includes('damaged'))).toEqual([]);
    } finally {
      running.kill();
    }
  });
});
