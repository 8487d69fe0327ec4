import { describe, expect, it } from 'vitest';
import {
  asset,
  buildAssetGraph,
  DefinitionError,
  defineProject,
  dynamicPartitions,
  eager,
  folderSensor,
  normalizeSensorResult,
  onCron,
  resource,
  schedule,
  sensor,
  sourceAsset,
  staticPartitions,
  UserCodeError,
} from '../src/index.js';
import { definitionError, thrownBy } from './helpers.js';

const raw = sourceAsset({ key: 'raw/readings', observe: () => 'v1', observeEvery: '30s' });
const readings = asset({ key: 'gauges/readings', deps: [raw], materialize: () => [1] });
const poll = () => undefined;

describe('sensor()', () => {
  it('parses its interval and timeout with the duration parser', () => {
    const s = sensor({ name: 'inbox', interval: '5m', timeout: '30s', poll });
    expect(s).toMatchObject({
      kind: 'sensor',
      name: 'inbox',
      intervalMs: 300_000,
      timeoutMs: 30_000,
    });
    expect(sensor({ name: 'fast', interval: 250, poll }).timeoutMs).toBe(60_000);
  });

  it('names the sensor and the problem in its errors', () => {
    expect(definitionError(() => sensor({ name: 'a b', interval: '1m', poll })).message).toContain(
      'invalid name "a b"',
    );
    expect(
      definitionError(() => sensor({ name: 'x', interval: '5 minutes', poll })).message,
    ).toMatch(/^sensor 'x' interval: invalid duration "5 minutes"/);
    expect(definitionError(() => sensor({ name: 'x', interval: 0, poll })).message).toBe(
      "sensor 'x' interval must be longer than 0",
    );
    const unknown = definitionError(() =>
      sensor({ name: 'x', interval: '1m', poll, intervall: '1m' } as never),
    );
    expect(unknown.message).toBe("sensor 'x' has an unknown option 'intervall'");
    expect(unknown.hint).toContain("did you mean 'interval'");
    expect(definitionError(() => sensor({ name: 'x', interval: '1m' } as never)).message).toContain(
      'needs a poll(ctx) function',
    );
  });
});

describe('normalizeSensorResult', () => {
  it('turns definitions into keys and fills the lists', () => {
    const tick = normalizeSensorResult(
      {
        cursor: 'c2',
        observations: [{ asset: raw, dataVersion: 'abc' }],
        dynamicPartitions: [{ name: dynamicPartitions('files'), add: ['f1'] }],
        runs: [{ selection: [readings, '2024'], partitions: { keys: ['a'] }, reason: 'new file' }],
      },
      'inbox',
    );
    expect(tick).toEqual({
      cursor: 'c2',
      observations: [
        { asset: 'raw/readings', partition: undefined, dataVersion: 'abc', metadata: {} },
      ],
      dynamicPartitions: [{ name: 'files', add: ['f1'], remove: [] }],
      runs: [
        { selection: 'gauges/readings, key:2024', partitions: { keys: ['a'] }, reason: 'new file' },
      ],
    });
    expect(normalizeSensorResult(undefined, 'inbox')).toEqual({
      cursor: undefined,
      observations: [],
      dynamicPartitions: [],
      runs: [],
    });
  });

  it('blames the sensor for a result of the wrong shape', () => {
    const error = thrownBy(
      () => normalizeSensorResult({ observations: [{ asset: 'raw/x' }] }, 'inbox'),
      UserCodeError,
    );
    expect(error.code).toBe('E_USER_CODE');
    expect(error.message).toBe(
      "sensor 'inbox' returned observations[0].dataVersion that is not a non-empty string",
    );
    expect(() => normalizeSensorResult({ cursor: 3 }, 'inbox')).toThrow(
      /cursor that is not a string/,
    );
    expect(() => normalizeSensorResult({ runs: [{ selection: ' ' }] }, 'inbox')).toThrow(
      /runs\[0\] with an invalid selection/,
    );
    expect(() =>
      normalizeSensorResult({ dynamicPartitions: [{ name: 'f', add: ['a b'] }] }, 'inbox'),
    ).toThrow(/dynamicPartitions\[0\].add: partition key 'a b'/);
    expect(() => normalizeSensorResult({ cursr: 'x' }, 'inbox')).toThrow(/unknown field 'cursr'/);
  });
});

describe('schedule()', () => {
  it('normalizes its selection and defaults', () => {
    const s = schedule({ name: 'nightly', cron: '5 0 * * *', selection: [readings] });
    expect(s).toMatchObject({
      kind: 'schedule',
      timezone: 'UTC',
      selection: 'gauges/readings',
      catchUp: 'latest',
      partition: undefined,
    });
  });

  it('rejects a bad cron, timezone, catch-up or partition rule', () => {
    expect(
      definitionError(() => schedule({ name: 's', cron: '5 0 * *', selection: '*' })).message,
    ).toMatch(/^schedule 's': cron '5 0 \* \*'/);
    expect(
      definitionError(() =>
        schedule({ name: 's', cron: '5 0 * * *', timezone: 'Mars/Olympus', selection: '*' }),
      ).message,
    ).toContain("unknown timezone 'Mars/Olympus'");
    expect(
      definitionError(() =>
        schedule({ name: 's', cron: '5 0 * * *', selection: '*', catchUp: 'some' as never }),
      ).hint,
    ).toContain("'latest'");
    expect(
      definitionError(() =>
        schedule({ name: 's', cron: '5 0 * * *', selection: '*', partition: 'yesterday' as never }),
      ).message,
    ).toContain('has partition "yesterday"');
    expect(
      definitionError(() => schedule({ name: 's', cron: '5 0 * * *', selection: '' })).message,
    ).toContain('selection is blank');
  });
});

describe('assets and source assets with automation', () => {
  it('keeps the condition, pool, slots and notifications', () => {
    const a = asset({
      key: 'gpu/model',
      automation: eager(),
      pool: 'gpu',
      slots: 2,
      onFailure: { url: 'https://hooks.example.org/x', headers: { authorization: 'Bearer t' } },
      materialize: () => 1,
    });
    expect(a.automation?.name).toBe('eager');
    expect(a).toMatchObject({ pool: 'gpu', slots: 2, onOverdue: [] });
    expect(a.onFailure).toEqual([
      { url: 'https://hooks.example.org/x', headers: { authorization: 'Bearer t' } },
    ]);
    expect(asset({ key: 'plain', materialize: () => 1 })).toMatchObject({
      automation: undefined,
      pool: undefined,
      slots: 1,
      onFailure: [],
    });
    expect(raw.observeEveryMs).toBe(30_000);
  });

  it('rejects what it cannot use', () => {
    expect(definitionError(() => asset({ key: 'a', slots: 2, materialize: () => 1 })).message).toBe(
      "asset 'a' sets slots without a pool",
    );
    expect(
      definitionError(() => asset({ key: 'a', pool: 'gpu', slots: 0, materialize: () => 1 }))
        .message,
    ).toContain('slots must be an integer ≥ 1');
    expect(
      definitionError(() =>
        asset({
          key: 'a',
          automation: { kind: 'condition', type: 'sometimes' } as never,
          materialize: () => 1,
        }),
      ).message,
    ).toContain("asset 'a' automation");
    expect(
      definitionError(() => asset({ key: 'a', onFailure: { command: [] }, materialize: () => 1 }))
        .message,
    ).toBe("asset 'a' onFailure: command must be a non-empty array of strings, the program first");
    expect(
      definitionError(() =>
        asset({
          key: 'a',
          onOverdue: [{ url: 'ftp://x' }, { command: ['x'] }] as never,
          materialize: () => 1,
        }),
      ).message,
    ).toContain("asset 'a' onOverdue[0]: url must be an http:// or https:// URL");
    expect(
      definitionError(() => sourceAsset({ key: 's', observe: () => 'v', observeEvery: 'often' }))
        .message,
    ).toContain("source asset 's' observeEvery: invalid duration");
  });
});

describe('defineProject() with sensors, schedules, pools and notifications', () => {
  const inbox = sensor({ name: 'inbox', interval: '1m', poll });
  const nightly = schedule({ name: 'nightly', cron: '0 1 * * *', selection: 'gauges/*' });

  it('gathers them, with defaults', () => {
    const project = defineProject({
      assets: [raw, readings],
      sensors: [inbox],
      schedules: [nightly],
      pools: { gpu: 1 },
      notifications: { onOverdue: { command: ['notify-send', 'weir'] } },
    });
    expect(project.sensors).toEqual([inbox]);
    expect(project.schedules).toEqual([nightly]);
    expect(project.pools).toEqual({ gpu: 1 });
    expect(project.notifications).toEqual({
      onFailure: [],
      onOverdue: [{ command: ['notify-send', 'weir'] }],
    });
    expect(defineProject({ assets: [] })).toMatchObject({ sensors: [], schedules: [], pools: {} });
  });

  it('wants names unique across sensors and schedules', () => {
    const twin = schedule({ name: 'inbox', cron: '0 1 * * *', selection: '*' });
    const error = definitionError(() =>
      defineProject({ assets: [], sensors: [inbox], schedules: [twin] }),
    );
    expect(error.message).toBe("the project has a sensor and a schedule both named 'inbox'");
    expect(() => defineProject({ assets: [], sensors: [inbox, inbox] })).toThrow(
      "the project has a sensor and a sensor both named 'inbox'",
    );
    expect(() => defineProject({ assets: [], sensors: [nightly as never] })).toThrow(
      'defineProject() sensors[0] is not built by sensor() or folderSensor()',
    );
  });

  it('checks pools and notifications', () => {
    expect(() => defineProject({ assets: [], pools: { gpu: 0 } })).toThrow(
      "pool 'gpu' must have an integer number of slots ≥ 1, got 0",
    );
    expect(() => defineProject({ assets: [], notifications: { onFailur: [] } as never })).toThrow(
      "project notifications has an unknown option 'onFailur'",
    );
  });
});

describe('the graph checks what automation refers to', () => {
  const problems = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(DefinitionError);
      return (error as DefinitionError).message;
    }
    throw new Error('expected a DefinitionError');
  };

  it('reports undeclared or too small pools', () => {
    const gpu = asset({ key: 'm', pool: 'gpus', materialize: () => 1 });
    const heavy = asset({ key: 'h', pool: 'gpu', slots: 3, materialize: () => 1 });
    const message = problems(() =>
      buildAssetGraph(defineProject({ assets: [gpu, heavy], pools: { gpu: 2 } })),
    );
    expect(message).toContain(
      "asset 'm' uses pool 'gpus', which the project does not declare: did you mean 'gpu'?",
    );
    expect(message).toContain("asset 'h' takes 3 slots of pool 'gpu', which has only 2");
  });

  it("reports a sensor's undeclared resource and a schedule's bad selection", () => {
    const db = resource({ key: 'db', create: () => ({}) });
    const s = sensor({ name: 'rows', interval: '1m', resources: { db }, poll });
    const sched = schedule({ name: 'n', cron: '0 1 * * *', selection: 'gauges/readingz' });
    const message = problems(() =>
      buildAssetGraph(defineProject({ assets: [raw, readings], sensors: [s], schedules: [sched] })),
    );
    expect(message).toContain(
      "sensor 'rows' uses resource 'db', which the project does not declare",
    );
    expect(message).toContain("schedule 'n' has an invalid selection");
  });

  it("reports 'previous-window' over assets that are not time windows", () => {
    const states = asset({
      key: 'by_state',
      partitions: staticPartitions(['CA', 'WA']),
      materialize: () => 1,
    });
    const sched = schedule({
      name: 'n',
      cron: '0 1 * * *',
      selection: 'by_state',
      partition: 'previous-window',
    });
    expect(
      problems(() => buildAssetGraph(defineProject({ assets: [states], schedules: [sched] }))),
    ).toContain("schedule 'n' asks for the previous window, but 'by_state' has static partitions");
  });

  it('reports condition ignore keys that are not parents', () => {
    const peaks = asset({
      key: 'gauges/peaks',
      deps: [readings],
      automation: onCron('0 6 * * *', 'UTC', { ignore: ['gauges/readingz', raw] }),
      materialize: () => 1,
    });
    const message = problems(() =>
      buildAssetGraph(defineProject({ assets: [raw, readings, peaks] })),
    );
    expect(message).toContain(
      "asset 'gauges/peaks' automation ignores 'gauges/readingz', which is not in the project: did you mean 'gauges/readings'?",
    );
    expect(message).toContain("automation ignores 'raw/readings', which it does not read");
  });
});

describe('folderSensor() definitions', () => {
  it('needs something to report and a valid pattern', () => {
    expect(
      definitionError(() => folderSensor({ name: 'f', path: 'inbox', pattern: '*.csv' })).message,
    ).toBe("folderSensor 'f' has nothing to report");
    expect(
      definitionError(() =>
        folderSensor({ name: 'f', path: 'inbox', pattern: '../*.csv', source: 'raw/x' }),
      ).message,
    ).toContain("must be relative to the folder, without '..'");
    expect(
      definitionError(() =>
        folderSensor({ name: 'f', path: 'inbox', pattern: 'a**/*.csv', source: 'raw/x' }),
      ).message,
    ).toContain("'**' must be a whole segment");
  });

  it('wants the source partitioned by the dynamic partitions it adds to', () => {
    const files = dynamicPartitions('files');
    const other = sourceAsset({
      key: 'raw/x',
      partitions: dynamicPartitions('other'),
      observe: () => 'v',
    });
    expect(
      definitionError(() =>
        folderSensor({ name: 'f', path: 'inbox', pattern: '*', source: other, partitions: files }),
      ).message,
    ).toContain(
      "adds keys to dynamic partitions 'files', but source 'raw/x' is partitioned by dynamic partitions 'other'",
    );
    expect(
      folderSensor({ name: 'f', path: 'inbox', pattern: '*', partitions: files }).intervalMs,
    ).toBe(30_000);
  });
});
