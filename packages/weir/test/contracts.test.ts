import { describe, expect, it } from 'vitest';
import {
  asset,
  assetHistory,
  assetStatus,
  check,
  checkAssets,
  defineProject,
  explain,
  materialize,
  recordFreshness,
  rowCountCheck,
  schemaCheck,
  sourceAsset,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

interface Reading {
  station: string;
  stageM: number;
}

const nonNegative = check<Reading[]>({
  name: 'stage_non_negative',
  description: 'a river stage cannot be negative',
  evaluate: (_ctx, rows) => {
    const bad = rows.filter((r) => r.stageM < 0);
    return {
      passed: bad.length === 0,
      message: `${bad.length} negative stages`,
      metadata: { bad: bad.length },
    };
  },
});
const enoughRows = check<Reading[]>({
  name: 'enough_rows',
  severity: 'warn',
  evaluate: (_ctx, rows) => ({ passed: rows.length >= 3, message: `${rows.length} rows` }),
});

function project(feed: { rows: Reading[] }, calls: string[] = []) {
  const readings = asset({
    key: 'gauges/readings',
    codeVersion: '1',
    checks: [nonNegative, enoughRows],
    materialize: () => {
      calls.push('readings');
      return feed.rows;
    },
  });
  const peak = asset({
    key: 'gauges/peak',
    ins: { readings },
    freshness: { maxLag: '6h' },
    materialize: (_ctx, { readings }) => {
      calls.push('peak');
      return Math.max(...readings.map((r) => r.stageM));
    },
  });
  return defineProject({ assets: [readings, peak] });
}

const good = [
  { station: 'A', stageM: 1.2 },
  { station: 'B', stageM: 2.5 },
  { station: 'C', stageM: 0.4 },
];

describe('data contracts', () => {
  it('a failed blocking check stops the downstream and keeps the previous good version current', async () => {
    const instance = tempInstance();
    const feed = { rows: good };
    const calls: string[] = [];
    await materialize(project(feed, calls), { instance });
    const [goodEvent] = await assetHistory(instance, 'gauges/readings');

    feed.rows = [...good, { station: 'D', stageM: -9.99 }];
    const run = await materialize(project(feed, calls), {
      instance,
      force: true,
      selection: 'gauges/readings',
    });
    expect(run.status).toBe('failed');
    expect(run.summary.failed).toEqual(['gauges/readings']);
    expect(run.reasons['gauges/readings']).toBe(
      'blocking check stage_non_negative failed: 1 negative stages',
    );

    const states = Object.fromEntries(
      (await assetStatus(project(feed), { instance })).map((s) => [s.key, s]),
    );
    const readings = states['gauges/readings']!;
    expect(readings.status).toBe('failed');
    expect(readings.causes[0]).toMatchObject({ category: 'check', checks: ['stage_non_negative'] });
    expect(readings.causes[0]!.reason).toContain('consumers read the last version that passed');
    // Consumers still see the good version, so the downstream is not stale on data…
    expect(readings.dataVersion).toBe(
      goodEvent?.type === 'asset:materialized' && goodEvent.materialization.dataVersion,
    );
    expect(states['gauges/peak']!.causes).toMatchObject([
      { category: 'dependency', dependency: 'gauges/readings', dependencyStatus: 'failed' },
    ]);

    // …and a later run of the downstream reads the good version, not the blocked one.
    const downstream = await materialize(project(feed, calls), {
      instance,
      selection: 'gauges/peak',
      force: true,
    });
    expect(downstream.status).toBe('success');
    const [peak] = await assetHistory(instance, 'gauges/peak');
    expect(
      peak?.type === 'asset:materialized' &&
        peak.materialization.inputs['gauges/readings']?.eventId,
    ).toBe(goodEvent!.id);
  });

  it('skips the downstream in the same run, naming the check', async () => {
    const instance = tempInstance();
    const result = await materialize(project({ rows: [{ station: 'A', stageM: -1 }] }), {
      instance,
    });
    expect(result.summary.failed).toEqual(['gauges/readings']);
    expect(result.summary.skipped).toEqual(['gauges/peak']);
    expect(result.reasons['gauges/peak']).toBe(
      'check stage_non_negative on gauges/readings failed',
    );
    const [state] = await assetStatus(project({ rows: [] }), {
      instance,
      selection: 'gauges/readings',
    });
    expect(state!.causes[0]!.reason).toContain(
      'no materialization has passed its blocking checks yet',
    );
  });

  it('a warn check records and warns but does not block', async () => {
    const instance = tempInstance();
    const calls: string[] = [];
    const result = await materialize(project({ rows: good.slice(0, 2) }, calls), { instance });
    expect(result.status).toBe('success');
    expect(calls).toEqual(['readings', 'peak']);
    const [state] = await assetStatus(project({ rows: [] }), {
      instance,
      selection: 'gauges/readings',
    });
    expect(state!.status).toBe('fresh');
    expect(state!.warnings).toEqual(['check enough_rows warns: 2 rows']);
    const events = await instance.eventLog.events({ types: ['check:evaluated'] });
    expect(
      events.map((e) => e.type === 'check:evaluated' && [e.check.name, e.check.passed]),
    ).toEqual([
      ['stage_non_negative', true],
      ['enough_rows', false],
    ]);
  });

  it('re-evaluates checks without recomputing, and a fixed check unblocks the newest materialization', async () => {
    const instance = tempInstance();
    const calls: string[] = [];
    await materialize(project({ rows: [{ station: 'A', stageM: -1 }, ...good] }, calls), {
      instance,
    });
    expect(calls).toEqual(['readings']);
    // The contract was wrong (this gauge reports relative stage): relax it and re-check.
    const relaxed = check<Reading[]>({
      name: 'stage_non_negative',
      evaluate: (_c, rows) => rows.every((r) => r.stageM > -5),
    });
    const fixed = defineProject({
      assets: [
        asset({
          key: 'gauges/readings',
          codeVersion: '1',
          checks: [relaxed],
          materialize: () => [] as Reading[],
        }),
        asset({ key: 'gauges/peak', deps: ['gauges/readings'], materialize: () => 0 }),
      ],
    });
    const results = await checkAssets(fixed, { instance });
    expect(results).toMatchObject([
      { assetKey: 'gauges/readings', checks: [{ name: 'stage_non_negative', passed: true }] },
    ]);
    expect(calls).toEqual(['readings']);
    const [state] = await assetStatus(fixed, { instance, selection: 'gauges/readings' });
    expect(state!.status).toBe('fresh');
    expect(state!.dataVersion).toBeDefined();
  });

  it('a blocking check removed from the code no longer blocks once re-checked', async () => {
    const instance = tempInstance();
    await materialize(project({ rows: [{ station: 'A', stageM: -1 }, ...good] }), { instance });
    const withoutChecks = defineProject({
      assets: [
        asset({ key: 'gauges/readings', codeVersion: '1', materialize: () => [] as Reading[] }),
      ],
    });
    expect((await assetStatus(withoutChecks, { instance }))[0]!.status).toBe('failed');
    const [result] = await checkAssets(withoutChecks, { instance });
    expect(result!.checks).toMatchObject([
      { name: 'stage_non_negative', passed: true, metadata: { retired: true } },
    ]);
    expect((await assetStatus(withoutChecks, { instance }))[0]!.status).toBe('fresh');
  });

  it('reports freshness overdue as time passes; evaluating on a clock records each change of it', async () => {
    const instance = tempInstance();
    await materialize(project({ rows: good }), { instance });
    const [peak] = await assetHistory(instance, 'gauges/peak');
    const at = peak?.type === 'asset:materialized' ? peak.materialization.endedAt : 0;
    const status = async (hours: number) => {
      const now = at + hours * 3_600_000;
      await recordFreshness(project({ rows: good }), { instance, selection: 'gauges/peak', now });
      return (
        await assetStatus(project({ rows: good }), { instance, selection: 'gauges/peak', now })
      )[0]!;
    };
    expect((await status(1)).freshness).toMatchObject({ status: 'fresh' });
    const late = await status(8);
    expect(late.freshness).toMatchObject({ status: 'overdue', overdueByMs: 2 * 3_600_000 });
    expect(late.status).toBe('fresh'); // up to date with its inputs, but overdue: two different questions
    await status(9);
    const report = await explain(project({ rows: good }), 'gauges/peak', {
      instance,
      now: at + 9 * 3_600_000,
    });
    expect(report.state.freshness?.status).toBe('overdue');
    const recorded = await instance.eventLog.events({ types: ['freshness:evaluated'] });
    expect(recorded.map((e) => e.type === 'freshness:evaluated' && e.freshness.status)).toEqual([
      'fresh',
      'overdue',
    ]);
    // Recorded at the time they were judged at; reading state writes nothing.
    expect(recorded.map((e) => e.timestamp)).toEqual([at + 3_600_000, at + 8 * 3_600_000]);
    await assetStatus(project({ rows: good }), { instance, now: at + 100 * 3_600_000 });
    expect(await instance.eventLog.events({ types: ['freshness:evaluated'] })).toHaveLength(2);
  });

  it('compares drift and volume with accepted data only: a rejected version is not the baseline', async () => {
    const instance = tempInstance();
    const good = [
      { id: 'a', name: 'x', capacity: 3 },
      { id: 'b', name: 'y', capacity: 4 },
    ];
    const feed = { rows: good as Array<Record<string, unknown>> };
    const directory = () =>
      defineProject({
        assets: [
          asset({
            key: 'directory',
            checks: [
              schemaCheck({ id: 'string', name: 'string' }, { drift: 'fail' }),
              rowCountCheck({ maxDropFraction: 0.5 }),
            ],
            materialize: () => feed.rows,
          }),
        ],
      });
    expect((await materialize(directory(), { instance })).status).toBe('success');
    // A bad export: a column gone and most rows missing; both blocking checks reject it.
    feed.rows = [{ id: 'a', name: 'x' }];
    const bad = await materialize(directory(), { instance, force: true });
    expect(bad.status).toBe('failed');
    expect(bad.reasons.directory).toMatch(/schema/);
    // The provider fixes it: byte-identical to the last good version, it must pass.
    feed.rows = good;
    const fixed = await materialize(directory(), { instance, force: true });
    expect(fixed.status).toBe('success');
    const [state] = await assetStatus(directory(), { instance });
    expect(state!.status).toBe('fresh');
  });

  it('rejects two checks with one name on an asset', () => {
    expect(() =>
      asset({ key: 'x', checks: [nonNegative, nonNegative], materialize: () => [] as Reading[] }),
    ).toThrow("asset 'x' has two checks named 'stage_non_negative'");
  });
});

describe('sources that cannot be observed', () => {
  it('status shows the source failed and its downstream not fresh', async () => {
    const instance = tempInstance();
    let reachable = true;
    const feed = sourceAsset({
      key: 'raw/feed',
      observe: () => {
        if (!reachable) throw new Error('ENOENT: data/feed.csv');
        return 'v1';
      },
    });
    const parsed = asset({ key: 'parsed', deps: [feed], materialize: () => 1 });
    const p = defineProject({ assets: [feed, parsed] });
    await materialize(p, { instance });
    reachable = false;
    const states = Object.fromEntries((await assetStatus(p, { instance })).map((s) => [s.key, s]));
    expect(states['raw/feed']!.status).toBe('failed');
    expect(states['raw/feed']!.causes[0]!.reason).toBe(
      'could not be observed: ENOENT: data/feed.csv',
    );
    expect(states.parsed!.causes).toMatchObject([
      { category: 'dependency', dependency: 'raw/feed', dependencyStatus: 'failed' },
    ]);
  });
});
