/**
 * `verify()` (weir verify): artefacts against their hashes, reproducibility from recorded
 * inputs and code, and repair of what a reproduction gives back exactly; it never changes
 * current data or the index.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asset,
  dailyPartitions,
  defineProject,
  type Instance,
  type LocalArtefactStore,
  many,
  materialize,
  sourceAsset,
  staticPartitions,
  verify,
} from '../src/index.js';
import { tempInstance } from './helpers.js';
import { flipByte } from './support/corrupt.js';

const raw = asset({ key: 'raw', materialize: () => [3, 1, 2] });
const sorted = asset({
  key: 'sorted',
  ins: { raw },
  materialize: (_ctx, { raw }) => ({ values: [...raw].sort(), count: raw.length }),
});
const total = asset({
  key: 'total',
  ins: { sorted },
  materialize: (_ctx, { sorted }) => sorted.values.reduce((a, b) => a + b, 0),
});

async function locationOf(instance: Instance, key: string): Promise<string> {
  const [record] = await instance.eventLog.latest([key]);
  return record!.usable!.materialization.artefact.location;
}

function pathOf(instance: Instance, location: string): string {
  return join((instance.artefacts as LocalArtefactStore).root, location);
}

async function snapshotOf(instance: Instance) {
  return {
    latest: await instance.eventLog.latest(),
    events: (await instance.eventLog.events()).length,
  };
}

describe('verify', () => {
  it('checks every current artefact against its hash and names the corrupt one', async () => {
    const instance = tempInstance();
    await materialize(defineProject({ assets: [raw, sorted, total] }), { instance });
    flipByte(pathOf(instance, await locationOf(instance, 'sorted')), { keepMtime: true });
    const report = await verify(defineProject({ assets: [raw, sorted, total] }), { instance });
    expect(report.artefacts.map((a) => [a.assetKey, a.status, a.current])).toEqual([
      ['raw', 'intact', true],
      ['sorted', 'corrupt', true],
      ['total', 'intact', true],
    ]);
    expect(report.reproductions).toEqual([]);
  });

  it('proves a deterministic project reproducible, recording nothing and changing no index', async () => {
    const instance = tempInstance();
    const project = defineProject({ assets: [raw, sorted, total] });
    await materialize(project, { instance });
    const before = await snapshotOf(instance);
    const report = await verify(project, { instance, reproduce: true });
    expect(report.reproductions.map((r) => [r.assetKey, r.status])).toEqual([
      ['raw', 'reproduced'],
      ['sorted', 'reproduced'],
      ['total', 'reproduced'],
    ]);
    expect(await snapshotOf(instance)).toEqual(before);
  });

  it('names a non-deterministic asset and what differed', async () => {
    const instance = tempInstance();
    let calls = 0;
    const jittery = asset({
      key: 'jittery',
      ins: { raw },
      codeVersion: 'v1',
      materialize: (_ctx, { raw }) => ({ sum: raw.length, seed: ++calls }),
    });
    const project = defineProject({ assets: [raw, jittery] });
    await materialize(project, { instance });
    const report = await verify(project, { instance, reproduce: true, selection: 'jittery' });
    const [check] = report.reproductions;
    expect(check).toMatchObject({ assetKey: 'jittery', status: 'differs' });
    expect(check!.differences).toContain('seed: 1 → 2');
    expect(check!.differences![0]).toMatch(/^data version [0-9a-f]{12} → [0-9a-f]{12}$/);
  });

  it('says it cannot reproduce a materialization made by other code', async () => {
    const instance = tempInstance();
    const v1 = asset({ key: 'versioned', codeVersion: 'v1', materialize: () => 1 });
    await materialize(defineProject({ assets: [v1] }), { instance });
    const v2 = asset({ key: 'versioned', codeVersion: 'v2', materialize: () => 2 });
    const report = await verify(defineProject({ assets: [v2] }), { instance, reproduce: true });
    expect(report.reproductions[0]).toMatchObject({ status: 'cannot-reproduce' });
    expect(report.reproductions[0]!.reason).toMatch(/code changed since \(recorded v1, now v2\)/);
  });

  it('says it cannot reproduce a step whose source moved on since', async () => {
    const instance = tempInstance();
    let version = 'a';
    const feed = sourceAsset({ key: 'feed', observe: () => version });
    const reader = asset({ key: 'reader', deps: [feed], materialize: () => `read ${version}` });
    const project = defineProject({ assets: [feed, reader] });
    await materialize(project, { instance });
    version = 'b';
    const report = await verify(project, { instance, reproduce: true, selection: 'reader' });
    expect(report.reproductions[0]!.reason).toMatch(/its source feed changed since/);
  });

  it('says so when a partitioned source moved on, or cannot be observed now', async () => {
    const instance = tempInstance();
    const versions: Record<string, string> = { a: 'a1', b: 'b1' };
    const sites = staticPartitions(['a', 'b']);
    const feed = sourceAsset({
      key: 'feed',
      partitions: sites,
      observe: (ctx) => {
        const v = versions[ctx.partition.key]!;
        if (v === 'broken') throw new Error('the feed is down');
        return v;
      },
    });
    const reader = asset({
      key: 'reader',
      partitions: sites,
      ins: { feed },
      materialize: (ctx) => `read ${versions[ctx.partition.key]}`,
    });
    const project = defineProject({ assets: [feed, reader] });
    await materialize(project, { instance });
    versions.a = 'a2';
    const moved = await verify(project, { instance, reproduce: true, selection: 'reader' });
    const reason = (p: string) => moved.reproductions.find((r) => r.partition === p);
    expect(reason('a')).toMatchObject({ status: 'cannot-reproduce' });
    expect(reason('a')!.reason).toMatch(/its source feed changed since/);
    expect(reason('b')).toMatchObject({ status: 'reproduced' });
    versions.a = 'broken';
    const down = await verify(project, { instance, reproduce: true, selection: 'reader' });
    const downOf = (p: string) => down.reproductions.find((r) => r.partition === p)!;
    expect(downOf('b').status).toBe('reproduced'); // b's own partition of the feed is fine
    expect(downOf('a').status).toBe('cannot-reproduce');
    expect(downOf('a').reason).toMatch(
      /cannot tell whether its source feed moved on: observing it failed now \(the feed is down\)/,
    );
  });

  it('reproduces partitions from the versions they read, and repairs a corrupt one', async () => {
    const instance = tempInstance();
    const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-04' });
    let bump = 1;
    const daily = asset({
      key: 'daily',
      partitions: days,
      codeVersion: 'v1',
      materialize: (ctx) => ({ day: ctx.partition.key, level: bump }),
    });
    const summary = asset({
      key: 'summary',
      ins: { days: many(daily) },
      materialize: (_ctx, { days }) => [...days.values()].map((d) => `${d.day}=${d.level}`),
    });
    const project = defineProject({ assets: [daily, summary] });
    await materialize(project, { instance });
    // A newer version of one day: what the summary read is history now.
    bump = 2;
    await materialize(project, {
      instance,
      selection: 'daily',
      force: true,
      partitions: { keys: ['2024-01-03'] },
    });
    const proof = await verify(project, { instance, reproduce: true, selection: 'summary' });
    expect(proof.reproductions.map((r) => [r.assetKey, r.status])).toEqual([
      ['summary', 'reproduced'],
    ]);
    // Days made with bump = 1 now come out with bump = 2: reported, never hidden.
    const days1 = await verify(project, { instance, reproduce: true, selection: 'daily' });
    expect(days1.reproductions.map((r) => [r.partition, r.status])).toEqual([
      ['2024-01-01', 'differs'],
      ['2024-01-02', 'differs'],
      ['2024-01-03', 'reproduced'],
    ]);
    expect(days1.reproductions[0]!.differences).toContain('level: 1 → 2');

    const [record] = await instance.eventLog.partitionRecords('daily', ['2024-01-03']);
    const location = record!.usable!.materialization.artefact.location;
    flipByte(pathOf(instance, location), { keepMtime: true });
    const before = await snapshotOf(instance);
    const report = await verify(project, { instance, repair: true, selection: 'daily' });
    expect(report.artefacts.filter((a) => a.repair !== undefined)).toEqual([
      expect.objectContaining({
        partition: '2024-01-03',
        status: 'intact',
        repair: { repaired: true },
      }),
    ]);
    expect(await instance.artefacts.verify(location, { deep: true })).toMatchObject({
      status: 'intact',
    });
    expect((await snapshotOf(instance)).latest).toEqual(before.latest);
    const [event] = await instance.eventLog.events({ types: ['artefact:repaired'] });
    expect(event).toMatchObject({ assetKey: 'daily', partition: '2024-01-03', found: 'corrupt' });
  });

  it('says it cannot reproduce a step whose input artefact is gone', async () => {
    const instance = tempInstance();
    const project = defineProject({ assets: [raw, sorted] });
    await materialize(project, { instance });
    const location = await locationOf(instance, 'raw');
    await instance.artefacts.remove(location, { unlessModifiedAfter: Date.now() + 1000 });
    const report = await verify(project, { instance, reproduce: true, selection: 'sorted' });
    expect(report.reproductions[0]!.status).toBe('cannot-reproduce');
    expect(report.reproductions[0]!.reason).toMatch(
      /the artefact its input raw had then \(objects\/.+\) is no longer in the store/,
    );
  });

  it('does not repair what a reproduction cannot give back exactly', async () => {
    const instance = tempInstance();
    let calls = 0;
    const counter = asset({ key: 'counter', codeVersion: '1', materialize: () => ++calls });
    const project = defineProject({ assets: [counter] });
    await materialize(project, { instance });
    const location = await locationOf(instance, 'counter');
    await instance.artefacts.remove(location, { unlessModifiedAfter: Date.now() + 1000 });
    const report = await verify(project, { instance, repair: true });
    expect(report.artefacts[0]).toMatchObject({
      status: 'missing',
      repair: { repaired: false, reason: expect.stringMatching(/not deterministic/) },
    });
  });

  it('judges a step with its own data version by that version, whatever its bytes', async () => {
    const instance = tempInstance();
    let made = 0;
    // Bytes that differ on every run (a build counter, as a time or a page layout would),
    // content that does not.
    const stamped = asset({
      key: 'stamped',
      io: 'bytes',
      materialize: (ctx) => {
        ctx.setDataVersion('content-v1');
        return new TextEncoder().encode(`built ${++made}: 42`);
      },
    });
    const project = defineProject({ assets: [stamped] });
    await materialize(project, { instance });
    const report = await verify(project, { instance, reproduce: true });
    expect(report.reproductions.map((r) => r.status)).toEqual(['reproduced']);
    const unstamped = asset({
      key: 'stamped',
      io: 'bytes',
      materialize: () => new TextEncoder().encode(`built ${++made}: 42`),
    });
    const other = tempInstance();
    await materialize(defineProject({ assets: [unstamped] }), { instance: other });
    const differs = await verify(defineProject({ assets: [unstamped] }), {
      instance: other,
      reproduce: true,
    });
    expect(differs.reproductions.map((r) => r.status)).toEqual(['differs']);
  });
});
