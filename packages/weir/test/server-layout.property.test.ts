/**
 * The lineage layout on random DAGs with groups: every asset has a box, boxes never overlap,
 * every edge goes rightwards, clusters never overlap and hold exactly their group's assets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asset, buildAssetGraph, defineProject } from '../src/index.js';
import { layoutGraph } from '../src/server/_layout.js';

const dag = fc
  .integer({ min: 1, max: 60 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: n * 3 }),
      fc.array(fc.constantFrom(undefined, 'raw', 'clean', 'marts', 'ml'), {
        minLength: n,
        maxLength: n,
      }),
    ),
  )
  .map(([n, pairs, groups]) => {
    const deps = Array.from({ length: n }, () => new Set<number>());
    for (const [a, b] of pairs) {
      const [from, to] = [a % n, b % n];
      if (from < to) deps[to]!.add(from);
    }
    const assets = deps.map((parents, i) =>
      asset({
        key: `a${i}`,
        ...(groups[i] === undefined ? {} : { group: groups[i] }),
        deps: [...parents].map((p) => `a${p}`),
        materialize: () => i,
      }),
    );
    return buildAssetGraph(defineProject({ assets }));
  });

const overlap = (a: number[], b: number[]) =>
  a[0]! < b[0]! + b[2]! && b[0]! < a[0]! + a[2]! && a[1]! < b[1]! + b[3]! && b[1]! < a[1]! + a[3]!;

describe('layoutGraph', () => {
  it('lays out any DAG left to right without overlaps', () => {
    fc.assert(
      fc.property(dag, (graph) => {
        const layout = layoutGraph(graph);
        expect(layout.nodes).toHaveLength(graph.size);
        graph.keys.forEach((key, i) => {
          const box = layout.nodes[i]!;
          expect(box.every(Number.isFinite)).toBe(true);
          for (const parent of graph.node(key).parents) {
            const from = layout.nodes[graph.keys.indexOf(parent)]!;
            expect(from[0] + from[2]).toBeLessThan(box[0]);
          }
          for (let j = 0; j < i; j++) expect(overlap(box, layout.nodes[j]!)).toBe(false);
          expect(box[0] + box[2]).toBeLessThanOrEqual(layout.width);
          expect(box[1] + box[3]).toBeLessThanOrEqual(layout.height);
        });
        const boxes = layout.groups.map((g) => [g.x, g.y, g.width, g.height]);
        boxes.forEach((box, i) => {
          for (let j = 0; j < i; j++) expect(overlap(box, boxes[j]!)).toBe(false);
        });
        for (const group of layout.groups) {
          graph.keys.forEach((key, i) => {
            const [x, y, w, h] = layout.nodes[i]!;
            const within =
              x >= group.x &&
              y >= group.y &&
              x + w <= group.x + group.width &&
              y + h <= group.y + group.height;
            expect(within).toBe(graph.node(key).group === group.name);
          });
        }
      }),
      { numRuns: 150 },
    );
  });
});
