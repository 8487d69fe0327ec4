/**
 * "Nothing to do" is true, on random graphs that mix sources (partitioned or not),
 * partitioned and unpartitioned assets: after sources change, what status, plan and the first
 * run see as stale equals a brute-force reference (the partitions that read a changed source
 * partition, transitively, walked edge by edge), reading writes nothing, and one run makes
 * everything fresh.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnyAssetDefinition,
  asset,
  assetStatus,
  defineProject,
  type Instance,
  many,
  materialize,
  planMaterialization,
  sourceAsset,
  staticPartitions,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const KEYS = ['a', 'b', 'c'];
const SPACE = staticPartitions(KEYS);

interface NodeSpec {
  source: boolean;
  partitioned: boolean;
  parents: number[];
}

const graphs = fc
  .integer({ min: 2, max: 6 })
  .chain((n) =>
    fc.tuple(
      fc.integer({ min: 1, max: Math.min(2, n - 1) }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      fc.array(fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 3 }), {
        minLength: n,
        maxLength: n,
      }),
    ),
  )
  .map(([sources, partitioned, parentPicks]) =>
    partitioned.map(
      (isPartitioned, i): NodeSpec => ({
        source: i < sources,
        partitioned: isPartitioned,
        parents:
          i < sources ? [] : [...new Set(parentPicks[i]!.map((p) => p % i))].sort((x, y) => x - y),
      }),
    ),
  );

/** Each change bumps a source (one partition of a partitioned one); `null` runs materialize. */
const steps = fc.array(
  fc.oneof(
    fc.record({ source: fc.nat(1), partition: fc.constantFrom(...KEYS) }),
    fc.constant(null),
  ),
  { minLength: 1, maxLength: 6 },
);

function build(specs: readonly NodeSpec[], versions: Map<string, number>) {
  const defs: AnyAssetDefinition[] = [];
  const key = (i: number) => `n${i}`;
  for (const [i, spec] of specs.entries()) {
    if (spec.source) {
      defs.push(
        sourceAsset({
          key: key(i),
          ...(spec.partitioned ? { partitions: SPACE } : {}),
          observe: (ctx) => `v${versions.get(`${key(i)}/${ctx.partition?.key ?? ''}`) ?? 0}`,
        }),
      );
      continue;
    }
    const ins: Record<string, unknown> = {};
    for (const p of spec.parents) {
      const parent = defs[p]!;
      ins[`in${p}`] = specs[p]!.partitioned && !spec.partitioned ? many(parent) : parent;
    }
    defs.push(
      asset({
        key: key(i),
        ...(spec.partitioned ? { partitions: SPACE } : {}),
        ins: ins as Record<string, AnyAssetDefinition>,
        materialize: (ctx, inputs) =>
          JSON.stringify([ctx.partition?.key ?? '', inputs], (_k, v) =>
            v instanceof Map
              ? [...v]
              : typeof v === 'object' && v && 'observedAt' in v
                ? v.dataVersion
                : v,
          ),
      }),
    );
  }
  return defineProject({ assets: defs });
}

/** The reference: partitions (`key[p]` or `key`) reading a changed source partition, transitively. */
function affected(specs: readonly NodeSpec[], changed: ReadonlySet<string>): Set<string> {
  const hit = new Set<string>();
  const labels = (i: number) =>
    specs[i]!.partitioned ? KEYS.map((p) => `n${i}[${p}]`) : [`n${i}`];
  for (const [i, spec] of specs.entries()) {
    if (spec.source) {
      for (const label of labels(i)) if (changed.has(label)) hit.add(label);
      continue;
    }
    for (const label of labels(i)) {
      const partition = spec.partitioned ? label.slice(label.indexOf('[') + 1, -1) : undefined;
      const reads = spec.parents.flatMap((p) => {
        if (!specs[p]!.partitioned) return [`n${p}`];
        return partition === undefined ? labels(p) : [`n${p}[${partition}]`];
      });
      if (reads.some((read) => hit.has(read))) hit.add(label);
    }
  }
  return hit;
}

async function notFresh(
  instance: Instance,
  project: ReturnType<typeof build>,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const state of await assetStatus(project, { instance })) {
    if (state.kind === 'source') continue;
    if (state.partitions === undefined) {
      if (state.status !== 'fresh') found.add(state.key);
      continue;
    }
    for (const i of state.partitions.fresh.complement().indices()) {
      found.add(`${state.key}[${state.partitions.space.keyAt(i)}]`);
    }
  }
  return found;
}

describe('staleness against a brute-force reference', () => {
  it('status, plan and the first run see exactly what reads a changed source; reading writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(graphs, steps, async (specs, plan) => {
        const instance = tempInstance();
        const versions = new Map<string, number>();
        const project = build(specs, versions);
        expect((await materialize(project, { instance })).status).toBe('success');
        let atLastRun = new Map(versions);
        const sourceLabel = (i: number, p: string) =>
          specs[i]!.partitioned ? `n${i}[${p}]` : `n${i}`;
        for (const step of [...plan, null]) {
          if (step !== null) {
            const i = step.source % specs.filter((s) => s.source).length;
            const id = `n${i}/${specs[i]!.partitioned ? step.partition : ''}`;
            versions.set(id, (versions.get(id) ?? 0) + 1);
            continue;
          }
          const changed = new Set<string>();
          for (const [i, spec] of specs.entries()) {
            if (!spec.source) continue;
            for (const p of spec.partitioned ? KEYS : ['']) {
              const id = `n${i}/${p}`;
              if ((versions.get(id) ?? 0) !== (atLastRun.get(id) ?? 0))
                changed.add(sourceLabel(i, p));
            }
          }
          const expected = affected(specs, changed);
          for (const label of changed) expected.delete(label);
          const before = (await instance.eventLog.events()).length;
          expect(await notFresh(instance, project)).toEqual(expected);
          const planned = await planMaterialization(project, { instance });
          expect(planned.plan.steps.length > 0).toBe(expected.size > 0);
          expect((await instance.eventLog.events()).length).toBe(before);
          const run = await materialize(project, { instance });
          expect(new Set(run.summary.materialized)).toEqual(expected);
          expect((await materialize(project, { instance })).status).toBe('nothing-to-do');
          expect((await notFresh(instance, project)).size).toBe(0);
          atLastRun = new Map(versions);
        }
        await instance.close();
      }),
      { numRuns: 40 },
    );
  });
});
