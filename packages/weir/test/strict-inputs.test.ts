/**
 * Strict inputs (issue 15, item 4; issue 14's "a Map becomes {}"): a blank selection is an
 * error, and a json asset refuses values JSON would store lossily, naming where they are.
 */
import { describe, expect, it } from 'vitest';
import { encodeValue } from '../src/artefacts/index.js';
import { graphOf, selectKeys } from '../src/execution/index.js';
import {
  asset,
  defineProject,
  materialize,
  runLogs,
  SelectionError,
  UserCodeError,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const a = asset({ key: 'a', materialize: () => 1 });
const b = asset({ key: 'b', ins: { a }, materialize: (_ctx, { a }) => a + 1 });
const project = defineProject({ assets: [a, b] });

describe('selections', () => {
  it('an empty or blank selection is an error; * and an omitted selection mean everything', () => {
    const graph = graphOf(project);
    for (const blank of ['', ' ', '\t\n']) {
      const error = (() => {
        try {
          selectKeys(graph, blank);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(SelectionError);
      expect((error as SelectionError).code).toBe('E_SELECTION_EMPTY');
      expect((error as SelectionError).hint).toContain("'*'");
    }
    expect(() => selectKeys(graph, [])).toThrow(/lists no assets/);
    expect([...selectKeys(graph, '*')]).toEqual(['a', 'b']);
    expect([...selectKeys(graph, undefined)]).toEqual(['a', 'b']);
  });

  it('materialize with a blank selection runs nothing and records nothing', async () => {
    const instance = tempInstance();
    await expect(materialize(project, { instance, selection: ' ' })).rejects.toThrow(
      /selection is empty/,
    );
    expect(await instance.eventLog.events()).toEqual([]);
  });
});

function refusal(value: unknown): UserCodeError {
  try {
    encodeValue('json', value, 'gauges/readings');
  } catch (error) {
    expect(error).toBeInstanceOf(UserCodeError);
    return error as UserCodeError;
  }
  throw new Error('expected the value to be refused');
}

describe('json values', () => {
  it('refuses non-finite numbers with the path to the bad field', () => {
    const rows = [0, 1, 2, 3].map((i) => ({ station: 'A', stage_m: i === 3 ? Number.NaN : i }));
    expect(refusal({ rows }).message).toBe(
      "asset 'gauges/readings' returned a value JSON cannot store faithfully: rows[3].stage_m is NaN",
    );
    expect(refusal([1, Number.POSITIVE_INFINITY]).message).toMatch(/\[1\] is Infinity$/);
    expect(refusal({ 'odd key': -Infinity }).message).toMatch(/\["odd key"\] is -Infinity$/);
    expect(refusal(Number.NaN).message).toMatch(/the value itself is NaN$/);
    expect(refusal({ n: Number.NaN }).hint).toMatch(/null for a missing value/);
  });

  it('refuses a Map, a Set, typed arrays and Promises, which JSON stores as {}, with a hint', () => {
    const map = refusal({ byStation: new Map([['A', 1]]) });
    expect(map.message).toMatch(/byStation is a Map$/);
    expect(map.hint).toMatch(/Object\.fromEntries/);
    expect(refusal([new Set([1])]).message).toMatch(/\[0\] is a Set$/);
    expect(refusal({ series: new Float64Array(2) }).message).toMatch(/series is a Float64Array$/);
    expect(refusal({ later: Promise.resolve(1) }).hint).toMatch(/await/);
    expect(refusal({ when: new Date(Number.NaN) }).message).toMatch(/when is an invalid Date$/);
  });

  it('names the path of a bigint and of a cycle, which JSON.stringify rejects without one', () => {
    expect(refusal({ rows: [{ count: 10n }] }).message).toMatch(/rows\[0\]\.count is a bigint$/);
    const loop: Record<string, unknown> = { name: 'x' };
    loop.self = { back: loop };
    expect(refusal(loop).message).toMatch(/self\.back is a circular reference$/);
  });

  it('refuses a value nested too deep for the tools that read it back, at any depth', () => {
    const nest = (levels: number) => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    expect(() => encodeValue('json', nest(999), 'k')).not.toThrow();
    // Past the limit, and past the depth at which JSON.stringify itself runs out of stack.
    // A toJSON whose result has a toJSON of its own: JSON.stringify calls the first only.
    class Wrapped {
      constructor(readonly x: number) {}
      toJSON() {
        return new Wrapped(this.x);
      }
    }
    expect(new TextDecoder().decode(encodeValue('json', new Wrapped(1), 'k'))).toBe('{"x":1}');
    for (const levels of [1_001, 8_000, 50_000]) {
      const error = refusal(nest(levels));
      expect(error.message).toMatch(/a\.a\.a.*… is nested more than 1,000 levels deep$/);
      expect(error.hint).toMatch(/flatten it/);
    }
  });

  it('keeps what JSON stores faithfully: Dates via toJSON, Buffers, dropped functions and undefined', () => {
    const text = new TextDecoder().decode(
      encodeValue(
        'json',
        { at: new Date(0), raw: Buffer.from([1]), fn: () => 1, gone: undefined, n: [1.5, null] },
        'k',
      ),
    );
    expect(JSON.parse(text)).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      raw: { type: 'Buffer', data: [1] },
      n: [1.5, null],
    });
  });

  it('a step returning a Map fails alone with the clear error, and records nothing for it', async () => {
    const instance = tempInstance();
    const lossy = asset({
      key: 'lossy',
      // The type refuses it too; `as unknown` stands for a value whose type hides the Map.
      materialize: () => ({ byDay: new Map([['2024-01-01', 1]]) }) as unknown,
    });
    const fine = asset({ key: 'fine', materialize: () => ({ peak: 1 }) });
    const result = await materialize(defineProject({ assets: [lossy, fine] }), { instance });
    expect(result.summary.failed).toEqual(['lossy']);
    expect(result.summary.materialized).toEqual(['fine']);
    const { events } = await runLogs(instance, result.runId!);
    const failed = events.find((e) => e.type === 'step:failed');
    expect(failed?.type === 'step:failed' && failed.error.message).toBe(
      "asset 'lossy' returned a value JSON cannot store faithfully: byDay is a Map",
    );
    expect(events.filter((e) => e.type === 'asset:materialized')).toHaveLength(1);
  });
});
