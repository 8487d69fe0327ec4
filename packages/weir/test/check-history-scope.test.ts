/**
 * A check's history on a partitioned asset: every partition's results by default (a day is
 * compared with the days before it), its own partition's with `history: 'partition'` (one
 * partition per agency, each its own size), in a run and in `weir check`.
 */
import { describe, expect, it } from 'vitest';
import {
  asset,
  check,
  checkAssets,
  defineProject,
  materialize,
  rowCountCheck,
  staticPartitions,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const agencies = staticPartitions(['big', 'small']);

function project(seen: Map<string, number[]>, scope?: 'asset' | 'partition') {
  const records = asset({
    key: 'records',
    partitions: agencies,
    checks: [
      check<number[]>({
        name: 'sizes_seen',
        ...(scope === undefined ? {} : { history: scope }),
        evaluate: (ctx, value) => {
          const previous = ctx.previousResults.map((r) => r.metadata.size as number);
          seen.set(`${ctx.partition}:${value.length}`, previous);
          return { passed: true, metadata: { size: value.length } };
        },
      }),
    ],
    materialize: (ctx) =>
      Array.from({ length: ctx.partition.key === 'big' ? 100 : 3 }, (_, i) => i),
  });
  return defineProject({ assets: [records] });
}

describe("check history: 'asset' or 'partition'", () => {
  it('compares with every partition by default, with its own partition when asked', async () => {
    for (const [scope, expected] of [
      [undefined, [100]],
      ['partition', []],
    ] as const) {
      const instance = tempInstance();
      const seen = new Map<string, number[]>();
      await materialize(project(seen, scope), { instance, partitions: { keys: ['big'] } });
      await materialize(project(seen, scope), { instance, partitions: { keys: ['small'] } });
      expect(seen.get('small:3')).toEqual(expected);
      await materialize(project(seen, scope), {
        instance,
        force: true,
        partitions: { keys: ['small'] },
      });
      expect(seen.get('small:3')).toEqual(scope === undefined ? [3, 100] : [3]);
    }
  });

  it('holds in weir check as in a run', async () => {
    const instance = tempInstance();
    const seen = new Map<string, number[]>();
    await materialize(project(seen, 'partition'), { instance });
    seen.clear();
    await checkAssets(project(seen, 'partition'), { instance });
    expect(seen.get('big:100')).toEqual([]);
    expect(seen.get('small:3')).toEqual([]);
  });

  it('lets a volume check judge each agency by its own size', async () => {
    const instance = tempInstance();
    const volume = (history: 'asset' | 'partition') =>
      asset({
        key: 'records',
        partitions: agencies,
        checks: [rowCountCheck({ maxDropFraction: 0.5, history })],
        materialize: (ctx) =>
          Array.from({ length: ctx.partition.key === 'big' ? 100 : 3 }, (_, i) => ({ i })),
      });
    await materialize(defineProject({ assets: [volume('partition')] }), { instance });
    const again = await materialize(defineProject({ assets: [volume('partition')] }), {
      instance,
      force: true,
    });
    expect(again.status).toBe('success');
    const mixed = tempInstance();
    await materialize(defineProject({ assets: [volume('asset')] }), { instance: mixed });
    const compared = await materialize(defineProject({ assets: [volume('asset')] }), {
      instance: mixed,
      force: true,
    });
    expect(compared.status).not.toBe('success');
  });

  it("refuses another value than 'asset' or 'partition'", () => {
    expect(() => check({ name: 'x', history: 'agency' as 'asset', evaluate: () => true })).toThrow(
      /history "agency"; use 'asset' \(every partition's results\) or 'partition'/,
    );
  });
});
