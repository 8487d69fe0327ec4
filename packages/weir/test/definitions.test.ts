import { describe, expect, it } from 'vitest';
import { asset, buildAssetGraph, defineProject, resource, sourceAsset } from '../src/index.js';
import { definitionError } from './helpers.js';

const raw = sourceAsset({ key: 'raw/readings', observe: () => 'v1' });
const readings = asset({ key: 'gauges/readings', deps: [raw], materialize: () => [1, 2, 3] });
const peaks = asset({
  key: 'gauges/peaks',
  ins: { readings },
  materialize: (_ctx, { readings }) => Math.max(...readings),
});

describe('asset definitions', () => {
  it('orders the graph upstream first, ties broken by key', () => {
    const other = asset({ key: 'a/other', deps: [raw], materialize: () => 0 });
    const graph = buildAssetGraph(defineProject({ assets: [peaks, other, readings, raw] }));
    expect(graph.keys).toEqual(['raw/readings', 'a/other', 'gauges/readings', 'gauges/peaks']);
    expect(graph.node('gauges/peaks').inputs.get('readings')).toBe('gauges/readings');
    expect(graph.children('raw/readings')).toEqual(['a/other', 'gauges/readings']);
  });

  it('rejects invalid keys, naming the key and the rule', () => {
    for (const key of ['', 'has space', '/leading', 'trailing/', 'a//b', 'ü/x', '-dash']) {
      const error = definitionError(() => asset({ key, materialize: () => 1 }));
      expect(error.code).toBe('E_INVALID_KEY');
      expect(error.message).toContain(JSON.stringify(key));
    }
  });

  it('rejects two different definitions with one key', () => {
    const twin = asset({ key: 'gauges/readings', materialize: () => [] });
    const error = definitionError(() =>
      buildAssetGraph(defineProject({ assets: [raw, readings, twin] })),
    );
    expect(error.message).toContain("duplicate key 'gauges/readings'");
  });

  it('names an unknown dependency and suggests the closest keys', () => {
    const typo = asset({ key: 'gauges/report', deps: ['gauges/peak'], materialize: () => 1 });
    const error = definitionError(() =>
      buildAssetGraph(defineProject({ assets: [raw, readings, peaks, typo] })),
    );
    expect(error.message).toContain(
      "asset 'gauges/report' depends on 'gauges/peak', which is not in the project",
    );
    expect(error.message).toContain("did you mean 'gauges/peaks'");
  });

  it('names an upstream definition that was not added to the project', () => {
    const error = definitionError(() => buildAssetGraph(defineProject({ assets: [raw, peaks] })));
    expect(error.message).toContain(
      "asset 'gauges/peaks' reads input 'readings' from 'gauges/readings', which is not in the project; add it to defineProject({ assets })",
    );
  });

  it('names an assets entry that is not an asset (undefined: declared after defineProject)', () => {
    const early = asset({ key: 'early', materialize: () => 1 });
    expect(() => defineProject({ assets: [early, undefined as never] })).toThrow(
      /defineProject\(\) assets\[1\] is undefined/,
    );
    expect(() => defineProject({ assets: [{ key: 'x' } as never] })).toThrow(
      /assets\[0\] is not an asset \(object\)/,
    );
  });

  it('prints the path of a cycle', () => {
    const a = asset({ key: 'a', deps: ['c'], materialize: () => 1 });
    const b = asset({ key: 'b', deps: ['a'], materialize: () => 1 });
    const c = asset({ key: 'c', deps: ['b'], materialize: () => 1 });
    const d = asset({ key: 'd', deps: ['c'], materialize: () => 1 });
    const error = definitionError(() => buildAssetGraph(defineProject({ assets: [a, b, c, d] })));
    expect(error.code).toBe('E_CYCLE');
    expect(error.message).toBe('the asset graph has a cycle: a -> b -> c -> a');
    const self = asset({ key: 'self', deps: ['self'], materialize: () => 1 });
    expect(
      definitionError(() => buildAssetGraph(defineProject({ assets: [self] }))).message,
    ).toContain('self -> self');
  });

  it('requires every resource an asset uses to be declared in the project', () => {
    const db = resource({ key: 'db', create: () => ({ query: () => 1 }) });
    const user = asset({
      key: 'uses_db',
      resources: { db },
      materialize: (ctx) => ctx.resources.db.query(),
    });
    const error = definitionError(() => buildAssetGraph(defineProject({ assets: [user] })));
    expect(error.message).toContain(
      "asset 'uses_db' uses resource 'db', which the project does not declare",
    );
    expect(() => buildAssetGraph(defineProject({ assets: [user], resources: [db] }))).not.toThrow();
  });

  it('reports every problem at once', () => {
    const x = asset({ key: 'x', deps: ['nope'], materialize: () => 1 });
    const y = asset({ key: 'y', deps: ['nada'], materialize: () => 1 });
    const error = definitionError(() => buildAssetGraph(defineProject({ assets: [x, y] })));
    expect(error.message).toContain('2 problems');
    expect(error.message).toContain("'nope'");
    expect(error.message).toContain("'nada'");
  });

  it('validates fields at definition time', () => {
    expect(
      definitionError(() => asset({ key: 'k', io: 'xml' as 'json', materialize: () => 1 })).message,
    ).toContain("io 'xml'");
    expect(
      definitionError(() => asset({ key: 'k', retry: { maxAttempts: 0 }, materialize: () => 1 }))
        .message,
    ).toContain('maxAttempts');
    expect(
      definitionError(() =>
        asset({ key: 'k', ins: { x: 'raw/readings' as never }, materialize: () => 1 }),
      ).message,
    ).toContain("input 'x' is not an asset");
    expect(definitionError(() => defineProject({ assets: [], concurrency: 0 })).message).toContain(
      'concurrency',
    );
  });
});
