/**
 * The SaQC station through the CLI: the replayed feed materializes; a new month restales
 * exactly its partition and what reads it; raw is never modified; a broken row fails the
 * month's check and its last good version stays current.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleCopy, replay, spawnWeir, waitFor, weir } from './_project.js';

const STATION = 'station/*';

interface StatusRow {
  key: string;
  status: string;
  partitions?: { stale?: number; missing?: number };
}

function staleKeys(dir: string): string[] {
  const r = weir(dir, 'status', STATION, '--json');
  expect(r.code, r.stderr).toBe(0);
  const rows = JSON.parse(r.stdout) as StatusRow[];
  return rows.filter((row) => row.status !== 'fresh').map((row) => row.key);
}

describe('the SaQC station', () => {
  let dir: string;
  beforeAll(() => {
    dir = exampleCopy();
    expect(replay(dir, '--until', '2016-03').code).toBe(0);
    const first = weir(dir, 'materialize', STATION);
    expect(first.code, first.stderr + first.stdout).toBe(0);
  });

  it('materializes, and then has nothing to do', () => {
    const again = weir(dir, 'materialize', STATION);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
  });

  it('keeps each month byte for byte as delivered', () => {
    const file = readFileSync(join(dir, 'inbox', '2016-02.csv'));
    const value = JSON.parse(
      weir(dir, 'value', 'station/raw_readings', '--partition', '2016-02-01', '--json').stdout,
    ) as { dataVersion: string };
    expect(value.dataVersion).toBe(createHash('sha256').update(file).digest('hex'));
  });

  it('a new month restales exactly its partition and the partitions that read it', () => {
    expect(replay(dir, '--month', '2016-04').code).toBe(0);
    const why = weir(dir, 'why', 'station/polished_timeseries', '--partition', '2016-05-01');
    expect(why.stdout).toMatch(/2016-04-01/);
    const run = weir(dir, 'materialize', STATION);
    expect(run.code, run.stderr).toBe(0);
    const ran = [...(run.stdout + run.stderr).matchAll(/✓ (\S+)/g)].map((m) => m[1]);
    expect(ran.sort()).toEqual(
      [
        'station/level_forecast_skill',
        'station/polished_timeseries[2016-04-01]',
        'station/polished_timeseries[2016-05-01]',
        'station/raw_readings[2016-04-01]',
      ].sort(),
    );
    expect(staleKeys(dir)).toEqual([]);
  });

  it('a broken row fails the month’s check and keeps its last good version current', () => {
    const before = weir(
      dir,
      'value',
      'station/raw_readings',
      '--partition',
      '2016-03-01',
      '--json',
    );
    const file = join(dir, 'inbox', '2016-03.csv');
    const text = readFileSync(file, 'utf8').split('\n');
    text[5] = '2016-03-01 01:17:00,18.6,not-a-number,4.8';
    writeFileSync(file, text.join('\n'));
    const run = weir(dir, 'materialize', STATION);
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/readable/);
    expect(run.stdout + run.stderr).toMatch(/inbox\/2016-03\.csv:6:\d+/);
    const after = weir(dir, 'value', 'station/raw_readings', '--partition', '2016-03-01', '--json');
    expect(JSON.parse(after.stdout).dataVersion).toBe(JSON.parse(before.stdout).dataVersion);
  });

  it('refuses a header without readings, misfiled rows and an empty file, keeping the month', () => {
    expect(replay(dir, '--month', '2016-03').code).toBe(0); // as delivered, after the broken row above
    expect(weir(dir, 'materialize', STATION).code).toBe(0);
    const file = join(dir, 'inbox', '2016-03.csv');
    const good = readFileSync(file, 'utf8');
    const header = good.split('\n')[0]!;
    const value = () =>
      JSON.parse(
        weir(dir, 'value', 'station/raw_readings', '--partition', '2016-03-01', '--json').stdout,
      ).dataVersion as string;
    const before = value();
    for (const [content, says] of [
      [`${header}\n`, 'a header and no readings'],
      [`${good}2016-08-01 00:02:00,18.4,103.2,4.8\n`, '1 readings outside 2016-03'],
      ['', 'is empty'],
    ] as const) {
      writeFileSync(file, content);
      const run = weir(dir, 'materialize', STATION);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toContain(says);
      expect(value()).toBe(before);
    }
    writeFileSync(file, good);
    expect(weir(dir, 'materialize', STATION).code).toBe(0);
  });

  it("a folder under a month file's name is refused with a clear message", () => {
    const folder = join(dir, 'inbox', '2017-06.csv');
    mkdirSync(folder);
    try {
      const run = weir(dir, 'materialize', STATION);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toContain('inbox/2017-06.csv is not a file');
    } finally {
      rmSync(folder, { recursive: true });
    }
  });

  it('the daemon sees a month removed and the same file moved back', async () => {
    expect(weir(dir, 'materialize', STATION).code).toBe(0);
    const delivered = () =>
      JSON.parse(
        weir(
          dir,
          'history',
          'station/raw_readings',
          '--partition',
          '2016-02-01',
          '--json',
          '-n',
          '1',
        ).stdout,
      )[0].materialization.metadata.delivered as boolean;
    const daemon = spawnWeir(dir, 'daemon');
    try {
      const file = join(dir, 'inbox', '2016-02.csv');
      const aside = join(dir, '2016-02.csv.aside');
      await new Promise((r) => setTimeout(r, 3000)); // the sensor's first tick learns the folder
      renameSync(file, aside);
      await waitFor(() => delivered() === false);
      renameSync(aside, file); // same content, same modification time
      await waitFor(() => delivered() === true);
    } finally {
      // Wait for it to stop: a daemon still writing races the scratch folder's removal.
      if (daemon.exitCode === null && daemon.signalCode === null) {
        const exited = new Promise((r) => daemon.once('exit', r));
        daemon.kill('SIGTERM');
        await exited;
      }
    }
  }, 90_000);
});
