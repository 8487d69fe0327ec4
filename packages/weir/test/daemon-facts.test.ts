/**
 * The daemon's facts read from an instance: per partition, as `weir status` sees the state,
 * and driving the condition engine through a chain of assets.
 */
import { describe, expect, it } from 'vitest';
import { readFacts } from '../src/daemon/facts.js';
import {
  type AssetFacts,
  asset,
  buildAssetGraph,
  check,
  dailyPartitions,
  defineProject,
  eager,
  evaluateCondition,
  type Instance,
  lastNMapping,
  many,
  materialize,
  memoryWithRequested,
  onCron,
  type PartitionSet,
  type ProjectDefinition,
  sourceAsset,
  staticPartitions,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const KEYS = ['a', 'b', 'c', 'd'];

function keysOf(facts: AssetFacts, set: PartitionSet): string[] {
  return [...set.indices()].map((i) => facts.space.keyAt(i));
}

async function factsOf(
  project: ProjectDefinition,
  instance: Instance,
  options: {
    now?: number;
    requested?: Map<string, PartitionSet>;
    inProgress?: Map<string, Set<string>>;
  } = {},
): Promise<ReadonlyMap<string, AssetFacts>> {
  return readFacts({
    graph: buildAssetGraph(project),
    instance,
    now: options.now ?? Date.now(),
    ...options,
  });
}

async function newestId(instance: Instance): Promise<number> {
  return (await instance.eventLog.events({ descending: true, limit: 1 }))[0]?.id ?? 0;
}

/** `up` and `down` over static keys; `down` fails where told and is blocked on 'bad' values. */
function partitioned(world: { up: Record<string, string>; fails: Set<string>; version: string }) {
  const parts = staticPartitions(KEYS);
  const up = asset({
    key: 'up',
    partitions: parts,
    materialize: (ctx) => world.up[ctx.partition.key] ?? 'x',
  });
  const down = asset({
    key: 'down',
    partitions: parts,
    codeVersion: world.version,
    ins: { up },
    materialize: (ctx, { up }) => {
      if (world.fails.has(ctx.partition.key)) throw new Error('boom');
      return `${up}!`;
    },
    checks: [
      check({ name: 'not_bad', evaluate: (_ctx, value: string) => !value.startsWith('bad') }),
    ],
  });
  return defineProject({ assets: [up, down] });
}

describe('facts of a partitioned asset', () => {
  it('missing, failed, blocked and codeVersionChanged per partition, as status sees them', async () => {
    const instance = tempInstance();
    const world = {
      up: { a: '1', b: '1', c: 'bad', d: '1' },
      fails: new Set(['b']),
      version: 'v1',
    };
    await materialize(partitioned(world), { instance, selection: ['up'] });
    await materialize(partitioned(world), {
      instance,
      selection: ['down'],
      partitions: { keys: ['a', 'b', 'c'] },
    });
    const facts = (await factsOf(partitioned(world), instance)).get('down')!;
    expect(facts.kind).toBe('asset');
    expect(keysOf(facts, facts.missing())).toEqual(['b', 'c', 'd']);
    expect(keysOf(facts, facts.failed())).toEqual(['b', 'c']);
    expect(keysOf(facts, facts.blocked())).toEqual(['c']);
    expect(keysOf(facts, facts.codeVersionChanged())).toEqual([]);
    expect(keysOf(facts, facts.inProgress())).toEqual([]);
    expect(facts.cursor).toBe(await newestId(instance));

    const edited = (await factsOf(partitioned({ ...world, version: 'v2' }), instance)).get('down')!;
    expect(keysOf(edited, edited.codeVersionChanged())).toEqual(['a', 'c']);
    const queued = await factsOf(partitioned(world), instance, {
      inProgress: new Map([['down', new Set(['d'])]]),
    });
    expect(keysOf(facts, queued.get('down')!.inProgress())).toEqual(['d']);
  });

  it('changedAfter, materializedAfter, moved and changedSinceAttempt after upstream re-materializes', async () => {
    const instance = tempInstance();
    const world = { up: { a: '1', b: '1', c: '1', d: '1' }, fails: new Set(['c']), version: 'v1' };
    await materialize(partitioned(world), { instance, selection: ['up'] });
    await materialize(partitioned(world), {
      instance,
      selection: ['down'],
      partitions: { keys: ['a', 'b', 'c'] },
    });
    const before = await newestId(instance);
    let all = await factsOf(partitioned(world), instance);
    const edge = () => all.get('down')!.parents[0]!;
    // c failed in a run that read up's data; d was never attempted though up[d] has data.
    expect(keysOf(all.get('down')!, edge().changedSinceAttempt())).toEqual(['d']);
    expect(keysOf(all.get('down')!, edge().moved())).toEqual([]);

    // a gets new data, b the same data again.
    world.up.a = '2';
    await materialize(partitioned(world), {
      instance,
      selection: ['up'],
      partitions: { keys: ['a', 'b'] },
      force: true,
    });
    all = await factsOf(partitioned(world), instance);
    const up = all.get('up')!;
    expect(keysOf(up, up.materializedAfter(before))).toEqual(['a', 'b']);
    expect(keysOf(up, up.changedAfter(before))).toEqual(['a']);
    expect(keysOf(up, up.changedAfter(0))).toEqual(KEYS);
    expect(keysOf(up, edge().moved())).toEqual(['a']);
    expect(keysOf(up, edge().changedSinceAttempt())).toEqual(['a', 'd']);
    const [change] = up.changes(up.changedAfter(before));
    expect(change).toMatchObject({ kind: 'materialized', eventId: expect.any(Number) });
    expect(change!.eventId).toBeGreaterThan(before);
    expect(keysOf(up, change!.partitions)).toEqual(['a']);

    world.fails.clear();
    await materialize(partitioned(world), { instance, selection: ['down'] });
    all = await factsOf(partitioned(world), instance);
    expect(keysOf(up, edge().moved())).toEqual([]);
    expect(keysOf(up, edge().changedSinceAttempt())).toEqual([]);
    expect(keysOf(up, all.get('down')!.missing())).toEqual([]);
  });

  it('readersOf and readOf go through the partition mapping', async () => {
    const days = dailyPartitions({ start: '2026-11-01' });
    const daily = asset({ key: 'daily', partitions: days, materialize: () => 1 });
    const rolling = asset({
      key: 'rolling',
      partitions: days,
      ins: { window: many(daily, lastNMapping(3)) },
      materialize: () => 2,
    });
    const total = asset({ key: 'total', ins: { all: many(daily) }, materialize: () => 3 });
    const project = defineProject({ assets: [daily, rolling, total] });
    const now = Date.parse('2026-11-11T12:00:00Z');
    const facts = await factsOf(project, tempInstance(), { now });
    const roll = facts.get('rolling')!;
    const edge = roll.parents[0]!;
    const day = (...keys: string[]) => {
      const set = edge.asset.missing().complement();
      for (const key of keys) set.add(edge.asset.space.indexOf(key));
      return set;
    };
    expect(roll.space.size).toBe(10);
    expect(keysOf(roll, edge.readersOf(day('2026-11-05')))).toEqual([
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
    ]);
    expect(keysOf(edge.asset, edge.readOf(day('2026-11-05')))).toEqual([
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
    ]);
    const whole = facts.get('total')!.parents[0]!;
    expect(keysOf(facts.get('total')!, whole.readersOf(day('2026-11-02')))).toEqual(['']);
    expect(whole.readOf(whole.readersOf(day('2026-11-02'))).count).toBe(10);
  });
});

describe('facts of a source asset', () => {
  it('an observation with a new version changes it; the same version only updates it', async () => {
    const instance = tempInstance();
    const version = { current: 'v1' };
    const raw = sourceAsset({ key: 'raw', observe: () => version.current });
    const hourly = asset({
      key: 'hourly',
      ins: { raw },
      automation: onCron('0 * * * *'),
      materialize: (_ctx, { raw }) => raw,
    });
    const project = defineProject({ assets: [raw, hourly] });
    let facts = (await factsOf(project, instance)).get('raw')!;
    expect(facts.kind).toBe('source');
    expect(keysOf(facts, facts.missing())).toEqual(['']);

    await materialize(project, { instance });
    const first = await newestId(instance);
    const observe = async (dataVersion: string, timestamp: number) => {
      await instance.eventLog.append([
        {
          type: 'asset:observed',
          assetKey: 'raw',
          partition: '',
          timestamp,
          observation: { dataVersion, metadata: {} },
        },
      ]);
      return newestId(instance);
    };
    const t = Date.now() + 60_000;
    const same = await observe('v1', t);
    let all = await factsOf(project, instance);
    facts = all.get('raw')!;
    expect(facts.missing().isEmpty()).toBe(true);
    expect(keysOf(facts, facts.materializedAfter(first))).toEqual(['']);
    expect(facts.changedAfter(first).isEmpty()).toBe(true);
    expect(keysOf(facts, facts.updatedSince(t))).toEqual(['']);
    expect(facts.updatedSince(t + 1).isEmpty()).toBe(true);
    expect(all.get('hourly')!.parents[0]!.moved().isEmpty()).toBe(true);

    await observe('v2', t + 1);
    all = await factsOf(project, instance);
    facts = all.get('raw')!;
    expect(keysOf(facts, facts.changedAfter(same))).toEqual(['']);
    expect(all.get('hourly')!.parents[0]!.moved().count).toBe(1);
    expect(all.get('hourly')!.parents[0]!.changedSinceAttempt().count).toBe(1);
    const [change] = facts.changes(facts.changedAfter(same));
    expect(change).toMatchObject({ kind: 'observed', at: t + 1 });
  });
});

describe('facts drive the engine', () => {
  it('eager over source → a → b → c: a change flows down in one pass, waits while a is in progress', async () => {
    const instance = tempInstance();
    const version = { current: 'v1' };
    const raw = sourceAsset({ key: 'raw', observe: () => version.current });
    const a = asset({ key: 'a', ins: { raw }, automation: eager(), materialize: (_c, i) => i.raw });
    const b = asset({ key: 'b', ins: { a }, automation: eager(), materialize: (_c, i) => i.a });
    const c = asset({ key: 'c', ins: { b }, automation: eager(), materialize: (_c, i) => i.b });
    const project = defineProject({ assets: [raw, a, b, c] });
    await materialize(project, { instance });
    const memory = new Map<string, unknown>();
    /** One pass upstream first; `launched` says what the daemon could start of what was requested. */
    const pass = async (
      options: { inProgress?: Map<string, Set<string>>; launched?: string[] } = {},
    ) => {
      const requested = new Map<string, PartitionSet>();
      const facts = await factsOf(project, instance, { requested, ...options });
      const out: string[] = [];
      for (const key of ['a', 'b', 'c']) {
        const f = facts.get(key)!;
        const evaluation = evaluateCondition(eager(), f, memory.get(key));
        requested.set(key, evaluation.requested);
        const launched =
          options.launched === undefined || options.launched.includes(key)
            ? evaluation.requested
            : evaluation.requested.complement().intersect(evaluation.requested);
        memory.set(
          key,
          JSON.parse(JSON.stringify(memoryWithRequested(evaluation.memory, launched, f.space))),
        );
        if (!evaluation.requested.isEmpty()) out.push(key);
      }
      return out;
    };
    expect(await pass()).toEqual([]);

    version.current = 'v2';
    await instance.eventLog.append([
      {
        type: 'asset:observed',
        assetKey: 'raw',
        partition: '',
        timestamp: Date.now(),
        observation: { dataVersion: 'v2', metadata: {} },
      },
    ]);
    // a is requested for the new data, and b and c with it (ParentFacts.requested); the
    // daemon launches only a.
    expect(await pass({ launched: ['a'] })).toEqual(['a', 'b', 'c']);
    // While a is in progress nothing is requested: a is, b and c wait for it.
    expect(await pass({ inProgress: new Map([['a', new Set([''])]]) })).toEqual([]);
    await materialize(project, { instance, selection: ['a'] });
    // a materialized: b has new data to read, and c follows b in the same pass.
    expect(await pass()).toEqual(['b', 'c']);
    await materialize(project, { instance, selection: ['b', 'c'] });
    expect(await pass()).toEqual([]);
  });
});
