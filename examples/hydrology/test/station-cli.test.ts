/**
 * The SaQC station through the CLI: the replayed feed materializes; a new month restales
 * exactly its partition and what reads it; raw is never modified; a broken row fails the
 * month's check and its last good version stays current.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleCopy, replay, weir } from './_project.js';

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
});
