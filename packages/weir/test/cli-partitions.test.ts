import { describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson } from './cli-helpers.js';

/**
 * Ten daily partitions whatever the clock says (the windows end by 2024-01-11), reading an
 * unpartitioned asset; `WEIR_TEST_BUMP_<day>` changes one day's value, as a corrected
 * upstream file would.
 */
const PROJECT = `
import { asset, dailyPartitions, defineProject, dynamicPartitions, many } from 'weir';

const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-11' });
export const settings = asset({ key: 'settings', materialize: () => ({ scale: 10 }) });
export const up = asset({
  key: 'up',
  partitions: days,
  ins: { settings },
  materialize: (ctx, { settings }) => {
    const bump = process.env['WEIR_TEST_BUMP_' + ctx.partition.key.replaceAll('-', '_')];
    return { day: ctx.partition.key, value: settings.scale + (bump ? Number(bump) : 0) };
  },
});
export const down = asset({
  key: 'down',
  partitions: days,
  ins: { up },
  materialize: (_ctx, { up }) => up.value * 2,
});
export const total = asset({
  key: 'total',
  ins: { days: many(up) },
  materialize: (_ctx, { days }) => [...days.values()].reduce((sum, d) => sum + d.value, 0),
});
export const perStation = asset({
  key: 'per_station',
  partitions: dynamicPartitions('stations'),
  materialize: (ctx) => ctx.partition.key.toLowerCase(),
});
export default defineProject({ assets: [settings, up, down, total, perStation] });
`;

interface HistoryEntry {
  type: string;
  partition: string;
  runId: string;
}
interface PartitionMapJson {
  key: string;
  status: string;
  partitions: {
    size: number;
    counts: Record<string, number>;
    runs: Array<{ from: string; to: string; status: string; count: number }>;
  };
}

/** Runs `fn` with environment variables set (weir() passes process.env to the child). */
function withEnv<T>(env: Record<string, string>, fn: () => T): T {
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  try {
    return fn();
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

const materializedIn = (dir: string, key: string) =>
  weirJson<HistoryEntry[]>(dir, 'history', key, '--limit', '100').map((e) => e.partition);

describe('partitions through the CLI', () => {
  it('materializes only the partitions asked for, by key or by range', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    const one = weir(dir, 'materialize', '+up', '--partition', '2024-01-03');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toContain('✓ up[2024-01-03]');
    expect(one.stdout).toMatch(/Run \S+ success: 2 materialized \(settings, up: 1 partition\)/);
    expect(materializedIn(dir, 'up')).toEqual(['2024-01-03']);

    const two = weir(
      dir,
      'materialize',
      'up',
      '--partition',
      '2024-01-05',
      '--partition',
      '2024-01-07',
    );
    expect(two.code, two.stderr).toBe(0);
    expect(materializedIn(dir, 'up').sort()).toEqual(['2024-01-03', '2024-01-05', '2024-01-07']);

    const range = weir(dir, 'materialize', 'up,down', '--from', '2024-01-02', '--to', '2024-01-04');
    expect(range.code, range.stderr).toBe(0);
    // up[2024-01-03] is fresh already: only the two new days of up, and three of down, run.
    expect(materializedIn(dir, 'up').sort()).toEqual([
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
      '2024-01-07',
    ]);
    expect(materializedIn(dir, 'down').sort()).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(range.stdout).toContain('5 materialized (up: 2 partitions, down: 3 partitions)');

    // The unpartitioned settings ran once, with the first partition; nothing else ran.
    expect(materializedIn(dir, 'settings')).toEqual(['']);
    expect(materializedIn(dir, 'total')).toEqual([]);
  });

  it('refuses a partition an asset does not have, naming the asset (exit 1; a malformed request exits 2)', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    const bad = weir(dir, 'materialize', 'up', '--partition', '2024-02-30');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: .*asset 'up'.*2024-02-30/);
    const outside = weir(dir, 'materialize', 'up', '--from', '2024-01-05', '--to', '2024-03-01');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain("asset 'up'");
    const half = weir(dir, 'materialize', 'up', '--from', '2024-01-05');
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--from needs --to');
    expect(half.stderr).toContain('hint: usage: weir materialize');
    expect(weir(dir, 'materialize', 'settings', '--partition', '2024-01-01').code).toBe(1);
    const notADate = weir(dir, 'materialize', 'up', '--from', 'yesterday', '--to', '2024-01-03');
    expect(notADate.code).toBe(2);
    expect(notADate.stderr).toContain("'yesterday' (from) is neither a partition key nor a date");
    const backwards = weir(dir, 'materialize', 'up', '--from', '2024-01-03', '--to', '2024-01-01');
    expect(backwards.code).toBe(2);
    expect(weirJson<HistoryEntry[]>(dir, 'history', 'up')).toEqual([]);
  });

  it('prints a partition map with status --partitions, and its runs with --json', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    expect(weir(dir, 'materialize', '+up', '--from', '2024-01-01', '--to', '2024-01-04').code).toBe(
      0,
    );
    expect(weir(dir, 'materialize', 'up', '--partition', '2024-01-07').code).toBe(0);

    const text = weir(dir, 'status', 'up', '--partitions');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'up missing · daily partitions from 2024-01-01 until 2024-01-11 (UTC)',
    );
    expect(text.stdout).toContain('10 partitions: 5 fresh, 5 missing');
    expect(text.stdout).toMatch(/^ {2}████··█···$/m);
    expect(text.stdout).toContain(
      [
        '  2024-01-01 … 2024-01-04  fresh    (4)',
        '  2024-01-05 … 2024-01-06  missing  (2)',
        '  2024-01-07               fresh    (1)',
        '  2024-01-08 … 2024-01-10  missing  (3)',
      ].join('\n'),
    );

    const [map] = weirJson<PartitionMapJson[]>(dir, 'status', 'up', '--partitions');
    expect(map!.partitions.counts).toEqual({ fresh: 5, stale: 0, missing: 5, failed: 0 });
    expect(map!.partitions.runs).toEqual([
      { from: '2024-01-01', to: '2024-01-04', status: 'fresh', count: 4 },
      { from: '2024-01-05', to: '2024-01-06', status: 'missing', count: 2 },
      { from: '2024-01-07', to: '2024-01-07', status: 'fresh', count: 1 },
      { from: '2024-01-08', to: '2024-01-10', status: 'missing', count: 3 },
    ]);

    const capped = weir(dir, 'status', 'up', '--partitions', '--runs', '2');
    expect(capped.stdout).toContain(
      [
        '  2024-01-01 … 2024-01-04  fresh  (4)',
        '  2024-01-05 … 2024-01-10  mixed  (6: 1 fresh, 5 missing)',
        '  3 shorter runs merged into 1 mixed line; every run: --runs 4 or --json',
      ].join('\n'),
    );

    // The plain status line counts an asset's partitions, and its reason reads well.
    const plain = weir(dir, 'status');
    expect(plain.stdout).toMatch(
      /^up +missing +5 fresh · 5 missing +5 of 10 partitions never materialized$/m,
    );
    expect(plain.stdout).toMatch(
      /^per_station +missing +none yet +no partitions yet: add keys with weir partitions add stations KEY…$/m,
    );
    expect(weir(dir, 'status', 'settings', '--partitions').stdout).toBe(
      'No partitioned assets in this selection.\n',
    );
  });

  it('explains one partition: the upstream partition that moved, and its provenance', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    expect(weir(dir, 'materialize', 'settings,up,down').code).toBe(0);
    const forced = withEnv({ WEIR_TEST_BUMP_2024_01_03: '5' }, () =>
      weir(dir, 'materialize', 'up', '--partition', '2024-01-03', '--force'),
    );
    expect(forced.code, forced.stderr).toBe(0);
    const runId = /Run (\S+) success/.exec(forced.stdout)![1]!;

    const why = weir(dir, 'why', 'down', '--partition', '2024-01-03');
    expect(why.code, why.stderr).toBe(0);
    expect(why.stdout).toMatch(/^down\[2024-01-03\] is stale$/m);
    expect(why.stdout).toContain(
      `input changed since it was read: up[2024-01-03] (newest in run ${runId})`,
    );
    expect(why.stdout).toMatch(/^ {4}up\[2024-01-03\] {2}[0-9a-f]{12} {2}\(event \d+\)$/m);
    expect(why.stdout).toContain(
      'down has daily partitions from 2024-01-01 until 2024-01-11 (UTC): 9 fresh, 1 stale',
    );

    const fresh = weir(dir, 'why', 'down', '--partition', '2024-01-04');
    expect(fresh.stdout).toMatch(/^down\[2024-01-04\] is fresh$/m);
    const whole = weir(dir, 'why', 'down');
    expect(whole.stdout).toContain('input up changed for 1 of 10 partitions');
    expect(whole.stdout).not.toContain('(none)');
    expect(whole.stdout).toContain('weir why down --partition P');

    const status = weir(dir, 'status', 'down', '--partitions');
    expect(status.stdout).toMatch(/^ {2}2024-01-03 +stale +\(1\)$/m);

    const bad = weir(dir, 'why', 'down', '--partition', '2024-03-01');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("asset 'down' has no partition '2024-03-01'");
    const short = weir(dir, 'why', 'down', '--partition', '2024-01-0');
    expect(short.stderr).toContain("did you mean '2024-01-01'?");
    expect(weir(dir, 'value', 'down', '--partition', '2024-01-1').stderr).toContain(
      "did you mean '2024-01-10'?",
    );
    expect(weir(dir, 'why', 'settings', '--partition', '2024-01-01').code).toBe(1);
  });

  it('shows the history of one partition, with a partition column', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    expect(weir(dir, 'materialize', 'settings,up').code).toBe(0);
    withEnv({ WEIR_TEST_BUMP_2024_01_02: '1' }, () =>
      weir(dir, 'materialize', 'up', '--partition', '2024-01-02', '--force'),
    );
    const json = weirJson<HistoryEntry[]>(dir, 'history', 'up', '--partition', '2024-01-02');
    expect(json.map((e) => e.partition)).toEqual(['2024-01-02', '2024-01-02']);
    const text = weir(dir, 'history', 'up', '--partition', '2024-01-02');
    expect(text.stdout).toMatch(/^WHEN \(\S+\) +PARTITION +RUN +DATA VERSION/);
    expect(text.stdout.trim().split('\n')).toHaveLength(3);
    expect(text.stdout).toMatch(/2024-01-02 +\S+ +[0-9a-f]{12} .* settings@[0-9a-f]{12}/);
    expect(weir(dir, 'history', 'up').stdout.trim().split('\n')).toHaveLength(12);
    expect(weir(dir, 'history', 'up', '--partition', '2024-01-09', '--limit', '1').stdout).toMatch(
      /2024-01-09/,
    );
    // A partition the asset does not have is an error, as for why, not an empty history.
    const unknown = weir(dir, 'history', 'up', '--partition', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("asset 'up' has no partition 'nope'");
    for (const contract of ['--checks', '--freshness']) {
      const result = weir(dir, 'history', 'up', '--partition', 'nope', contract);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("asset 'up' has no partition 'nope'");
    }
    expect(weir(dir, 'history', 'settings', '--partition', 'x').code).toBe(1);
    // The unpartitioned total reads every day: history says how many.
    expect(weir(dir, 'materialize', 'total').code).toBe(0);
    expect(weir(dir, 'history', 'total').stdout).toMatch(/up\[10 partitions\]@[0-9a-f]{12}/);
  });

  it('runs a backfill, printing its id at once, and lists it', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    const usage = weir(dir, 'backfill', 'up');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--from A --to B or --partition KEY');
    expect(usage.stderr).toContain('hint: usage: weir backfill');
    expect(weir(dir, 'backfill', '--resume', 'bf-nope').code).toBe(1);
    expect(weir(dir, 'backfill', '--list', 'up').code).toBe(2);

    const run = weir(dir, 'backfill', '+down', '--from', '2024-01-01', '--to', '2024-01-06');
    expect(run.code, run.stderr).toBe(0);
    const id =
      /^Backfill (bf-\S+): \+down, partitions 2024-01-01 … 2024-01-06; 12 partitions asked for$/m.exec(
        run.stdout,
      )?.[1];
    expect(id, run.stdout).toBeDefined();
    // The id comes before anything runs.
    expect(run.stdout.indexOf(id!)).toBeLessThan(run.stdout.indexOf('materialized'));
    expect(run.stderr).toContain(`(backfill ${id})`);
    expect(run.stderr).toContain('✓ down[2024-01-06]');
    expect(run.stdout).toContain(
      '13 materialized (settings, up: 6 partitions, down: 6 partitions)',
    );
    expect(run.stdout).toContain(`Backfill ${id} success.`);

    const list = weir(dir, 'backfill', '--list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^BACKFILL +STATUS +SELECTION +PARTITIONS +ASKED +MATERIALIZED +STARTED/,
    );
    expect(list.stdout).toMatch(
      new RegExp(`^${id} +success +\\+down +2024-01-01 … 2024-01-06 +12 +12 +\\d{4}-`, 'm'),
    );
    const [listed] = weirJson<Array<{ backfillId: string; status: string; materialized: number }>>(
      dir,
      'backfill',
      '--list',
    );
    expect(listed).toMatchObject({ backfillId: id, status: 'success', materialized: 12 });

    // Again: everything asked for is fresh, so nothing runs, and it still succeeds.
    const again = weir(dir, 'backfill', '+down', '--from', '2024-01-01', '--to', '2024-01-06');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    expect(weir(dir, 'backfill', '--resume', id!).code).toBe(1); // finished: nothing to resume
    expect(weir(dir, 'backfill', '--cancel', id!).code).toBe(1);
  });

  it('adds, lists and removes dynamic partitions, then materializes them', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    expect(weir(dir, 'partitions', 'list', 'stations').stdout).toContain(
      'stations has no keys yet',
    );
    const added = weir(dir, 'partitions', 'add', 'stations', 'ATT-01', 'ATT-02', 'ATT-03');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(
      'Added 3 keys to stations: ATT-01, ATT-02, ATT-03; it has 3 now.',
    );
    expect(weir(dir, 'partitions', 'add', 'stations', 'ATT-02').stdout).toContain(
      'Added 0 keys to stations (1 already there); it has 3 now.',
    );
    const removed = weir(dir, 'partitions', 'remove', 'stations', 'ATT-02');
    expect(removed.stdout).toContain('Removed 1 key from stations: ATT-02; it has 2 now.');
    expect(weir(dir, 'partitions', 'list', 'stations').stdout).toBe('ATT-01\nATT-03\n');
    expect(weirJson<string[]>(dir, 'partitions', 'list', 'stations')).toEqual(['ATT-01', 'ATT-03']);
    expect(weir(dir, 'partitions', 'list').stdout).toMatch(/^stations +2 +per_station$/m);

    const typo = weir(dir, 'partitions', 'add', 'station', 'X');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("no asset of the project has dynamic partitions 'station'");
    expect(weir(dir, 'partitions', 'add', 'stations', 'bad key').code).toBe(2);
    expect(weir(dir, 'partitions', 'frobnicate').code).toBe(2);

    const run = weir(dir, 'materialize', 'per_station');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 materialized (per_station: 2 partitions)');
    expect(materializedIn(dir, 'per_station').sort()).toEqual(['ATT-01', 'ATT-03']);
    const unknown = weir(dir, 'materialize', 'per_station', '--partition', 'ATT-02');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("asset 'per_station' has no partition 'ATT-02'");
  });
});
