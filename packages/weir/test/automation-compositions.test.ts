import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../src/automation/index.js';
import {
  dailyPartitions,
  dynamicPartitions,
  eager,
  explainCondition,
  formatCondition,
  missing,
  not,
  onCron,
  onMissing,
  onOverdue,
  PartitionSet,
  resolvePartitionSpace,
  upstreamMissing,
  without,
} from '../src/index.js';
import { fakeFacts } from './support/automation-facts.js';
import { World } from './support/automation-world.js';

const one = resolvePartitionSpace(undefined, { now: 0, dynamicKeys: () => [] });

function chain(space = one): World {
  return new World(space)
    .add('raw/readings', [], undefined, 'source')
    .add('gauges/readings', ['raw/readings'], eager())
    .add('gauges/daily_peaks', ['gauges/readings'], eager())
    .add('gauges/report', ['gauges/daily_peaks'], eager());
}

describe('eager()', () => {
  it('requests a change down three levels in one pass, never twice, and again on the next change', () => {
    const world = chain();
    world.observe('raw/readings', [0]);
    let requested = world.evaluate(); // all missing: requested down the chain at once
    expect([...requested.keys()]).toEqual([
      'gauges/readings',
      'gauges/daily_peaks',
      'gauges/report',
    ]);
    world.launch(requested);
    expect(world.evaluate()).toEqual(new Map()); // in progress
    for (const key of requested.keys()) world.finish(key, [0], 'r-1');
    expect(world.evaluate()).toEqual(new Map()); // done: nothing new
    expect(world.evaluate()).toEqual(new Map());
    world.observe('raw/readings', [0]);
    requested = world.evaluate();
    expect([...requested.keys()]).toEqual([
      'gauges/readings',
      'gauges/daily_peaks',
      'gauges/report',
    ]);
  });

  it('does not retry a failure until new data arrives, and waits below it', () => {
    const world = chain();
    world.observe('raw/readings', [0]);
    world.launch(world.evaluate());
    world.finish('gauges/readings', [0], 'r-1');
    world.finish('gauges/daily_peaks', [0], 'r-1', 'failed');
    world.finish('gauges/report', [0], 'r-1', 'failed');
    expect(world.evaluate()).toEqual(new Map());
    expect(world.evaluate()).toEqual(new Map());
    world.observe('raw/readings', [0]);
    expect([...world.evaluate().keys()]).toEqual([
      'gauges/readings',
      'gauges/daily_peaks',
      'gauges/report',
    ]);
  });

  it('requests again a partition whose run read older data than what arrived meanwhile', () => {
    const world = chain();
    const first = world.observe('raw/readings', [0]);
    world.launch(world.evaluate());
    world.observe('raw/readings', [0]); // arrives while the run is queued
    expect(world.evaluate()).toEqual(new Map()); // in progress: wait
    world.finish('gauges/readings', [0], 'r-1', 'ok', first); // it read the first version
    world.finish('gauges/daily_peaks', [0], 'r-1');
    world.finish('gauges/report', [0], 'r-1');
    expect([...world.evaluate().keys()]).toEqual([
      'gauges/readings',
      'gauges/daily_peaks',
      'gauges/report',
    ]);
  });

  it('per partition: only the partitions that read the change', () => {
    const days = resolvePartitionSpace(dailyPartitions({ start: '2026-11-01' }), {
      now: Date.parse('2026-11-21T01:00Z'),
      dynamicKeys: () => [],
    });
    const world = chain(days);
    for (const key of ['gauges/readings', 'gauges/daily_peaks', 'gauges/report']) {
      world.finish(key, [...PartitionSet.all(days.size).indices()], 'r-0');
    }
    world.evaluate(); // baseline
    world.observe(
      'raw/readings',
      [days.indexOf('2026-11-18')],
      'triggered by sensor telemetry_inbox observing inbox/2026-11-18.csv',
    );
    const requested = world.evaluate();
    expect(requested.get('gauges/report')?.map((i) => days.keyAt(i))).toEqual(['2026-11-18']);
    const lines = explainCondition(world.results.get('gauges/readings')!, {
      key: 'gauges/readings',
      space: days,
      at: world.now,
    });
    expect(lines).toEqual([
      'gauges/readings[2026-11-18] requested: eager — upstream raw/readings[2026-11-18] has new data (observed 10:00:00, triggered by sensor telemetry_inbox observing inbox/2026-11-18.csv)',
    ]);
    expect(
      explainCondition(world.results.get('gauges/report')!, { key: 'gauges/report', space: days }),
    ).toEqual([
      'gauges/report[2026-11-18] requested: eager — upstream gauges/daily_peaks[2026-11-18] is requested in this evaluation',
    ]);
  });

  it('says why a partition was not requested', () => {
    const world = chain();
    world.observe('raw/readings', [0]);
    world.launch(world.evaluate());
    world.finish('gauges/readings', [0], 'r-1');
    world.evaluate();
    const lines = explainCondition(world.results.get('gauges/daily_peaks')!, {
      key: 'gauges/daily_peaks',
      space: one,
      partitions: PartitionSet.all(1),
    });
    expect(lines).toEqual(['gauges/daily_peaks not requested: eager — it is in progress']);
  });

  it('explains a materialization by a run with its time', () => {
    const world = chain();
    world.observe('raw/readings', [0]);
    world.launch(world.evaluate());
    world.finish('gauges/readings', [0], 'r-1');
    world.finish('gauges/daily_peaks', [0], 'r-1');
    world.finish('gauges/report', [0], 'r-1');
    world.evaluate();
    world.now = Date.parse('2026-11-20T10:02:03Z');
    world.finish('gauges/readings', [0], 'r-7'); // someone rematerialized it with new data
    world.evaluate();
    expect(
      explainCondition(world.results.get('gauges/daily_peaks')!, {
        key: 'gauges/daily_peaks',
        space: one,
        at: world.now,
      }),
    ).toEqual([
      'gauges/daily_peaks requested: eager — upstream gauges/readings has new data (materialized 10:02:03 by run r-7)',
    ]);
  });
});

describe('onCron()', () => {
  it('requests once per tick, after every upstream updated since the tick', () => {
    const world = new World(one)
      .add('raw/a', [], undefined, 'source')
      .add('raw/b', [], undefined, 'source')
      .add('daily', ['raw/a', 'raw/b'], onCron('0 6 * * *'));
    world.now = Date.parse('2026-11-20T05:00Z');
    world.evaluate(); // baseline
    world.now = Date.parse('2026-11-20T06:10Z');
    world.observe('raw/a', [0]);
    expect(world.evaluate()).toEqual(new Map()); // raw/b not yet
    expect(
      explainCondition(world.results.get('daily')!, {
        key: 'daily',
        space: one,
        partitions: PartitionSet.all(1),
        at: world.now,
      }),
    ).toEqual([
      'daily not requested: on_cron — upstream raw/b was not updated since the 06:00:00 tick',
    ]);
    world.observe('raw/b', [0]);
    const requested = world.evaluate();
    expect([...requested.keys()]).toEqual(['daily']);
    world.launch(requested);
    world.finish('daily', [0], 'r-1');
    world.observe('raw/a', [0]);
    expect(world.evaluate()).toEqual(new Map()); // once per tick
    world.now = Date.parse('2026-11-21T06:01Z');
    world.observe('raw/a', [0]);
    world.observe('raw/b', [0]);
    expect([...world.evaluate().keys()]).toEqual(['daily']);
  });
});

describe('onMissing()', () => {
  it('requests a new dynamic partition once, when what it reads exists', () => {
    const files = dynamicPartitions('inbox_files');
    const spaceOf = (keys: string[]) =>
      resolvePartitionSpace(files, { now: 0, dynamicKeys: () => keys });
    const first = spaceOf(['f1']);
    const facts = (space: typeof first, missingKeys: number[], parentMissing: number[]) =>
      fakeFacts({
        key: 'parsed',
        space,
        missing: missingKeys,
        parents: [
          {
            asset: fakeFacts({ key: 'raw/file', space, missing: parentMissing }),
            reads: Array.from({ length: space.size }, (_, i) => [i]),
          },
        ],
      });
    const a = evaluateCondition(onMissing(), facts(first, [], []));
    const second = spaceOf(['f1', 'f2']);
    const b = evaluateCondition(
      onMissing(),
      facts(second, [1], [1]),
      JSON.parse(JSON.stringify(a.memory)),
    );
    expect(b.requested.count).toBe(0); // f2's file not observed yet: wait
    const c = evaluateCondition(onMissing(), facts(second, [1], []), b.memory);
    expect([...c.requested.indices()]).toEqual([1]);
    const d = evaluateCondition(onMissing(), facts(second, [1], []), c.memory);
    expect(d.requested.count).toBe(0); // requested once
  });
});

describe('onOverdue()', () => {
  it('requests once when the asset becomes overdue', () => {
    const facts = (overdue: number[]) => fakeFacts({ key: 'x', space: one, overdue });
    const a = evaluateCondition(onOverdue(), facts([]));
    const b = evaluateCondition(onOverdue(), facts([0]), a.memory);
    const c = evaluateCondition(onOverdue(), facts([0]), b.memory);
    expect([a.requested.count, b.requested.count, c.requested.count]).toEqual([0, 1, 0]);
  });
});

describe('compositions as data', () => {
  it('print as their names, and without() drops a part', () => {
    expect(formatCondition(eager())).toBe('eager');
    expect(formatCondition(not(missing()))).toBe('not(missing)');
    const loose = without(eager(), not(upstreamMissing()));
    expect(loose.operands).toHaveLength(eager().operands.length - 1);
    expect(() => without(eager(), missing())).toThrow(/has no operand equal to 'missing'/);
  });
});
