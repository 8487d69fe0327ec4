import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnyAssetDefinition,
  asset,
  assetStatus,
  buildAssetGraph,
  defineProject,
  materialize,
  openInstance,
} from '../src/index.js';
import { tempDir } from './helpers.js';

/** A random DAG: node i may depend on any j < i. */
const dagArbitrary = fc
  .integer({ min: 1, max: 8 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 14 }),
      fc.uniqueArray(fc.nat(n - 1), { maxLength: n }),
    ),
  );

function buildProject(n: number, edges: Array<[number, number]>, versions: Record<number, string>) {
  const parents = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of edges) if (a !== b) parents[Math.max(a, b)]!.add(Math.min(a, b));
  const assets: AnyAssetDefinition[] = [];
  for (let i = 0; i < n; i++) {
    const version = versions[i] ?? 'v1';
    assets.push(
      asset({
        key: `n${i}`,
        deps: [...parents[i]!].map((p) => `n${p}`),
        codeVersion: version,
        // The value depends on the code version, so a code change always changes the data.
        materialize: () => `n${i}@${version}`,
      }),
    );
  }
  return defineProject({ assets });
}

describe('staleness (property)', () => {
  it('a code change makes stale exactly its downstream closure; one run makes everything fresh again', async () => {
    await fc.assert(
      fc.asyncProperty(dagArbitrary, async ([n, edges, changed]) => {
        const instance = openInstance({ dir: tempDir() });
        try {
          const before = buildProject(n, edges, {});
          await materialize(before, { instance });
          expect((await assetStatus(before, { instance })).every((s) => s.status === 'fresh')).toBe(
            true,
          );

          const after = buildProject(n, edges, Object.fromEntries(changed.map((i) => [i, 'v2'])));
          const expected = buildAssetGraph(after).downstreamOf(changed.map((i) => `n${i}`));
          const stale = (await assetStatus(after, { instance }))
            .filter((s) => s.status !== 'fresh')
            .map((s) => s.key);
          expect(new Set(stale)).toEqual(expected);

          // Every stale asset is either rerun or found unchanged (its upstream came out the same);
          // every changed asset is rerun.
          const run = await materialize(after, { instance });
          expect(new Set([...run.summary.materialized, ...run.summary.unchanged])).toEqual(
            expected,
          );
          for (const i of changed) expect(run.summary.materialized).toContain(`n${i}`);
          expect((await assetStatus(after, { instance })).every((s) => s.status === 'fresh')).toBe(
            true,
          );
          expect((await materialize(after, { instance })).status).toBe('nothing-to-do');
        } finally {
          await instance.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
