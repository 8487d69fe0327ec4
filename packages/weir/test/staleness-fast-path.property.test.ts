/**
 * The fast path of staleness (an asset shown fresh by its status row, without its record)
 * gives exactly the states the full resolution from records gives, records included (when
 * every record is read, as `details` does), over random graphs and random histories: runs (all, some, forced), failures,
 * blocking and warning checks failing and passing again, code changes, data that changes or
 * comes out the same, changed sources.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnyAssetDefinition,
  asset,
  buildAssetGraph,
  check,
  defineProject,
  materialize,
  sourceAsset,
} from '../src/index.js';
import { encodeInputVersions, sameInputVersions } from '../src/storage/index.js';
import { resolveFromRows, resolveStaleness } from '../src/versioning/index.js';
import { tempInstance } from './helpers.js';

interface World {
  value: number[];
  fail: boolean[];
  blockingPasses: boolean[];
  warningPasses: boolean[];
  code: number[];
  source: number[];
}

const SOURCES = 2;

function project(n: number, parents: number[][], world: World) {
  const assets: AnyAssetDefinition[] = [];
  for (let s = 0; s < SOURCES; s++) {
    assets.push(
      sourceAsset({ key: `s${s}`, observe: () => ({ dataVersion: `s${s}@${world.source[s]}` }) }),
    );
  }
  for (let i = 0; i < n; i++) {
    assets.push(
      asset({
        key: `a${i}`,
        deps: parents[i]!.map((p) => (p < SOURCES ? `s${p}` : `a${p - SOURCES}`)),
        codeVersion: `c${world.code[i]}`,
        checks: [
          check({ name: 'blocking', evaluate: () => world.blockingPasses[i]! }),
          check({
            name: 'warning',
            severity: 'warn',
            evaluate: () => world.warningPasses[i]!,
          }),
        ],
        materialize: () => {
          if (world.fail[i]) throw new Error(`a${i} fails`);
          return world.value[i]!;
        },
      }),
    );
  }
  return defineProject({ assets });
}

const graphs = fc
  .integer({ min: 1, max: 6 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.uniqueArray(fc.nat(SOURCES + i - 1), { maxLength: 3 }),
        ),
      ),
    ),
  );

type Op =
  | { kind: 'value' | 'fail' | 'blocking' | 'warning' | 'code'; i: number }
  | { kind: 'source'; i: number }
  | { kind: 'run'; some: number[]; force: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('value', 'fail', 'blocking', 'warning', 'code'),
    i: fc.nat(5),
  }) as fc.Arbitrary<Op>,
  fc.record({ kind: fc.constant('source'), i: fc.nat(SOURCES - 1) }) as fc.Arbitrary<Op>,
  fc.record({
    kind: fc.constant('run'),
    some: fc.uniqueArray(fc.nat(5), { maxLength: 3 }),
    force: fc.boolean(),
  }) as fc.Arbitrary<Op>,
);

describe('staleness: the fast path from status rows', () => {
  it('gives the states the full resolution gives, for any history', async () => {
    let fastFresh = 0;
    await fc.assert(
      fc.asyncProperty(graphs, fc.array(op, { maxLength: 12 }), async ([n, parents], ops) => {
        const instance = tempInstance();
        const world: World = {
          value: Array(n).fill(0),
          fail: Array(n).fill(false),
          blockingPasses: Array(n).fill(true),
          warningPasses: Array(n).fill(true),
          code: Array(n).fill(0),
          source: Array(SOURCES).fill(0),
        };
        await materialize(project(n, parents, world), { instance });
        for (const step of [...ops, { kind: 'run', some: [], force: false } as Op]) {
          if (step.kind === 'run') {
            const selection = step.some.filter((i) => i < n).map((i) => `a${i}`);
            await materialize(project(n, parents, world), {
              instance,
              force: step.force,
              ...(selection.length === 0 ? {} : { selection }),
            });
          } else if (step.kind === 'source') world.source[step.i]!++;
          else if (step.i < n) {
            if (step.kind === 'value' || step.kind === 'code') world[step.kind][step.i]!++;
            else if (step.kind === 'fail') world.fail[step.i] = !world.fail[step.i];
            else if (step.kind === 'blocking')
              world.blockingPasses[step.i] = !world.blockingPasses[step.i];
            else world.warningPasses[step.i] = !world.warningPasses[step.i];
          }
          const graph = buildAssetGraph(project(n, parents, world));
          const records = new Map((await instance.eventLog.latest()).map((r) => [r.assetKey, r]));
          const rows = new Map((await instance.eventLog.statusRows()).map((r) => [r.assetKey, r]));
          const full = resolveStaleness(graph, { records, now: 1 });
          const resolved = resolveFromRows(graph, { records, now: 1, rows });
          expect(resolveStaleness(graph, { records, now: 1, resolved })).toEqual(full);
          // With only the records readState reads (sources, the undecided and their upstream),
          // the same states; a fast-fresh asset outside those has no record.
          const some = new Map([...records].filter(([key]) => key.startsWith('s')));
          const decided = resolveFromRows(graph, { records: some, now: 1, rows });
          const read = new Set(some.keys());
          for (const key of graph.keys) {
            if (decided.has(key)) continue;
            read.add(key);
            for (const parent of graph.parents(key)) read.add(parent);
          }
          for (const key of read) if (records.has(key)) some.set(key, records.get(key)!);
          const partial = resolveStaleness(graph, { records: some, now: 1, resolved: decided });
          for (const [key, state] of full) {
            expect({ ...partial.get(key) }).toEqual({
              ...state,
              record: read.has(key) ? state.record : undefined,
            });
          }
          for (const key of resolved.keys()) if (key.startsWith('a')) fastFresh++;
        }
      }),
      { numRuns: 60 },
    );
    // The fast path was taken, not only fallen back from.
    expect(fastFresh).toBeGreaterThan(50);
  });
});

describe('sameInputVersions', () => {
  it('is comparing with the encoding, keys and versions holding separators or missing', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\0', '/'), maxLength: 4 });
    const pairs = fc.array(fc.tuple(text, fc.option(text, { nil: undefined })), { maxLength: 4 });
    fc.assert(
      fc.property(pairs, text, fc.boolean(), (list, other, takeEncoding) => {
        const keys = list.map(([key]) => key);
        const versions = new Map(list);
        const versionOf = (key: string) => versions.get(key);
        const encoding = encodeInputVersions(keys, versionOf);
        const encoded = takeEncoding && encoding !== undefined ? encoding : other;
        expect(sameInputVersions(encoded, keys, versionOf)).toBe(encoding === encoded);
      }),
      { numRuns: 5_000 },
    );
  });
});
