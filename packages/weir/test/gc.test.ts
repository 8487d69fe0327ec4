/**
 * `collectGarbage()` (weir gc): unreferenced artefacts after a grace period, history past the
 * retention policy; never a current or usable version, nor what current versions read, nor
 * what a run in flight may read; events stay, and say what was collected.
 */
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asset,
  check,
  collectGarbage,
  defineProject,
  type Instance,
  type LocalArtefactStore,
  materialize,
  verify,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

function age(instance: Instance, location: string, ms: number): void {
  const when = new Date(Date.now() - ms);
  utimesSync(join((instance.artefacts as LocalArtefactStore).root, location), when, when);
}

async function locations(instance: Instance, key: string): Promise<string[]> {
  const events = await instance.eventLog.events({ assetKey: key, types: ['asset:materialized'] });
  return events.flatMap((e) =>
    e.type === 'asset:materialized' ? [e.materialization.artefact.location] : [],
  );
}

/** Materializes `n` versions of `level` (each a new value), and `report` reading the last. */
async function history(instance: Instance, n: number) {
  const made = [];
  for (let v = 1; v <= n; v++) {
    const level = asset({ key: 'level', codeVersion: `v${v}`, materialize: () => ({ v }) });
    const report = asset({
      key: 'report',
      ins: { level },
      codeVersion: '1',
      materialize: (_ctx, { level }) => `level ${level.v}`,
    });
    made.push(defineProject({ assets: [level, report] }));
    await materialize(made[made.length - 1]!, { instance });
  }
  return made[made.length - 1]!;
}

describe('gc', () => {
  it('removes unreferenced artefacts after the grace period, and keeps younger ones', async () => {
    const instance = tempInstance();
    const old = await instance.artefacts.putBytes(new TextEncoder().encode('"orphan"'));
    const young = await instance.artefacts.putBytes(new TextEncoder().encode('"in flight"'));
    age(instance, old.location, 2 * DAY);
    const report = await collectGarbage({ instance });
    expect(report.collected).toEqual([
      { location: old.location, bytes: old.size, reason: 'unreferenced' },
    ]);
    expect(await instance.artefacts.exists(young.location)).toBe(true);
    expect(await instance.artefacts.exists(old.location)).toBe(false);
  });

  it('a writer storing the same content again protects it (the store touches what it finds)', async () => {
    const instance = tempInstance();
    const bytes = new TextEncoder().encode('"shared"');
    const stored = await instance.artefacts.putBytes(bytes);
    age(instance, stored.location, 2 * DAY);
    await instance.artefacts.putBytes(bytes);
    expect((await collectGarbage({ instance })).collected).toEqual([]);
  });

  it('keeps current versions, what they read, the last K and recent history; dry-run removes nothing', async () => {
    const instance = tempInstance();
    await history(instance, 5);
    const levels = await locations(instance, 'level');
    const reports = await locations(instance, 'report');
    // Judged 60 days from now: all of it is older than the 30 days kept.
    const now = Date.now() + 60 * DAY;
    const policy = { keepLast: 2, keepDays: 30 };
    const dry = await collectGarbage({ instance, policy, dryRun: true, now });
    // level v1–v3 (the report reads v5, the current one); report's first three.
    expect(dry.collected.map((c) => c.location).sort()).toEqual(
      [...levels.slice(0, 3), ...reports.slice(0, 3)].sort(),
    );
    expect(dry.collected.every((c) => c.reason === 'history')).toBe(true);
    expect(await instance.artefacts.exists(levels[0]!)).toBe(true);
    expect(await instance.eventLog.events({ types: ['artefacts:collected'] })).toEqual([]);

    expect(
      (await collectGarbage({ instance, policy: { keepLast: 2 }, dryRun: true })).collected,
    ).toEqual([]);
    const done = await collectGarbage({ instance, policy, now });
    expect(done.collected).toEqual(dry.collected);
    expect(done.bytes).toBe(dry.bytes);
    for (const location of levels.slice(3))
      expect(await instance.artefacts.exists(location)).toBe(true);
    const [event] = await instance.eventLog.events({ types: ['artefacts:collected'] });
    expect(event).toMatchObject({
      type: 'artefacts:collected',
      bytes: dry.bytes,
      policy: { keepLast: 2, keepDays: 30 },
    });
  });

  it('reports collected history as collected in verify --all, never as missing', async () => {
    const instance = tempInstance();
    const project = await history(instance, 3);
    for (const location of await locations(instance, 'level')) age(instance, location, 60 * DAY);
    await collectGarbage({ instance, policy: { keepLast: 1, keepDays: 0 } });
    const report = await verify(project, { instance, all: true, selection: 'level' });
    expect(report.artefacts.map((a) => [a.current, a.status])).toEqual([
      [false, 'collected'],
      [false, 'collected'],
      [true, 'intact'],
    ]);
  });

  it('never collects the usable version when the newest materialization was blocked by a check', async () => {
    const instance = tempInstance();
    const make = (value: number) =>
      defineProject({
        assets: [
          asset({
            key: 'guarded',
            codeVersion: String(value),
            checks: [check({ name: 'positive', evaluate: (_ctx, v: number) => v > 0 })],
            materialize: () => value,
          }),
        ],
      });
    await materialize(make(1), { instance });
    await materialize(make(-1), { instance });
    await materialize(make(-2), { instance });
    const [usable, , newest] = await locations(instance, 'guarded');
    for (const location of await locations(instance, 'guarded')) age(instance, location, 60 * DAY);
    await collectGarbage({ instance, policy: { keepLast: 0, keepDays: 0 } });
    expect(await instance.artefacts.exists(usable!)).toBe(true);
    expect(await instance.artefacts.exists(newest!)).toBe(true);
  });

  it('keeps what a run in flight may read: versions superseded after it started', async () => {
    const instance = tempInstance();
    const version = (v: number) =>
      defineProject({
        assets: [asset({ key: 'level', codeVersion: `v${v}`, materialize: () => v })],
      });
    await materialize(version(1), { instance });
    // A run started elsewhere (another host: never judged dead here) while v1 was current.
    const started = {
      type: 'run:started' as const,
      runId: 'elsewhere',
      timestamp: Date.now(),
      selection: '*',
      force: false,
      steps: ['level'],
      host: 'another-host',
      pid: 1,
      weirVersion: '0',
    };
    await instance.eventLog.append([started]);
    await materialize(version(2), { instance });
    const [v1] = await locations(instance, 'level');
    age(instance, v1!, 60 * DAY);
    const policy = { keepLast: 0, keepDays: 0 };
    expect((await collectGarbage({ instance, policy })).collected).toEqual([]);
    await instance.eventLog.append([
      {
        type: 'run:finished',
        runId: 'elsewhere',
        timestamp: Date.now(),
        status: 'success',
        summary: { materialized: [], unchanged: [], failed: [], skipped: [], cancelled: [] },
      },
    ]);
    expect((await collectGarbage({ instance, policy })).collected.map((c) => c.location)).toEqual([
      v1,
    ]);
  });
});
