import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AssetDefinition,
  asset,
  assetHistory,
  assetStatus,
  defineProject,
  materialize,
  resource,
  runLogs,
  sourceAsset,
} from '../src/index.js';
import { tempDir, tempInstance } from './helpers.js';

/** A small hydrology-like graph whose source is a file and whose code versions are explicit. */
function gaugeProject(dir: string, versions: Record<string, string> = {}, calls: string[] = []) {
  const csvPath = join(dir, 'readings.csv');
  if (!existsSync(csvPath)) writeFileSync(csvPath, 'A,1.5\nB,2.5\n');
  const csv = sourceAsset({ key: 'raw/csv', observe: () => readFileSync(csvPath, 'utf8') });
  const readings = asset({
    key: 'gauges/readings',
    deps: [csv],
    codeVersion: versions.readings ?? 'r1',
    materialize: () => {
      calls.push('gauges/readings');
      return readFileSync(csvPath, 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const [station, stage] = line.split(',');
          return { station: station!, stage: Number(stage) };
        });
    },
  });
  const peak = asset({
    key: 'gauges/peak',
    ins: { readings },
    codeVersion: versions.peak ?? 'p1',
    materialize: (_ctx, { readings }) => {
      calls.push('gauges/peak');
      return Math.max(...readings.map((r) => r.stage));
    },
  });
  const stations = asset({
    key: 'gauges/stations',
    ins: { readings },
    codeVersion: versions.stations ?? 's1',
    materialize: (_ctx, { readings }) => {
      calls.push('gauges/stations');
      return readings.map((r) => r.station).sort();
    },
  });
  const report = asset({
    key: 'reports/summary',
    ins: { peak, stations },
    codeVersion: versions.report ?? 'x1',
    materialize: (_ctx, { peak, stations }) => {
      calls.push('reports/summary');
      return `${stations.length} stations, peak ${peak} m`;
    },
  });
  return {
    project: defineProject({ assets: [csv, readings, peak, stations, report] }),
    csvPath,
    report,
  };
}

describe('incremental materialization', () => {
  it('runs everything once, then nothing when nothing changed, and says so', async () => {
    const instance = tempInstance();
    const dir = tempDir();
    const calls: string[] = [];
    const { project } = gaugeProject(dir, {}, calls);
    const first = await materialize(project, { instance });
    expect(first.status).toBe('success');
    expect(first.summary.materialized).toEqual([
      'gauges/readings',
      'gauges/peak',
      'gauges/stations',
      'reports/summary',
    ]);
    expect(calls).toHaveLength(4);

    const second = await materialize(project, { instance });
    expect(second.status).toBe('nothing-to-do');
    expect(second.runId).toBeUndefined();
    expect(second.plan.upToDate).toHaveLength(4);
    expect(calls).toHaveLength(4);
    expect((await assetStatus(project, { instance })).map((s) => s.status)).toEqual([
      'fresh',
      'fresh',
      'fresh',
      'fresh',
      'fresh',
    ]);
  });

  it('reruns exactly the downstream of a changed code version', async () => {
    const instance = tempInstance();
    const dir = tempDir();
    await materialize(gaugeProject(dir).project, { instance });
    const calls: string[] = [];
    const { project } = gaugeProject(dir, { peak: 'p2' }, calls);
    const states = await assetStatus(project, { instance });
    expect(Object.fromEntries(states.map((s) => [s.key, s.status]))).toEqual({
      'raw/csv': 'fresh',
      'gauges/readings': 'fresh',
      'gauges/peak': 'stale',
      'gauges/stations': 'fresh',
      'reports/summary': 'stale',
    });
    expect(states.find((s) => s.key === 'gauges/peak')!.causes).toMatchObject([
      { category: 'code', from: 'p1', to: 'p2' },
    ]);
    expect(states.find((s) => s.key === 'reports/summary')!.causes).toMatchObject([
      { category: 'dependency', dependency: 'gauges/peak' },
    ]);
    const run = await materialize(project, { instance });
    // The new code computes the same peak, so the summary that reads it need not rerun.
    expect(run.summary.materialized).toEqual(['gauges/peak']);
    expect(run.summary.unchanged).toEqual(['reports/summary']);
    expect(calls).toEqual(['gauges/peak']);
    expect((await assetStatus(project, { instance })).every((s) => s.status === 'fresh')).toBe(
      true,
    );
  });

  it('reruns the downstream when a changed code version changes the data', async () => {
    const instance = tempInstance();
    const dir = tempDir();
    await materialize(gaugeProject(dir).project, { instance });
    const calls: string[] = [];
    const { project } = gaugeProject(dir, { stations: 's2' }, calls);
    // A different implementation with a different result: reversed order.
    const changed = defineProject({
      assets: project.assets.map((a) =>
        a.key === 'gauges/stations' && a.kind === 'asset'
          ? asset({
              key: 'gauges/stations',
              ins: {
                readings: a.ins.readings as AssetDefinition<
                  'gauges/readings',
                  Array<{ station: string }>
                >,
              },
              codeVersion: 's2',
              materialize: (_ctx, { readings }) => {
                calls.push('gauges/stations');
                return readings.map((r) => r.station).reverse();
              },
            })
          : a,
      ),
    });
    const run = await materialize(changed, { instance });
    expect(run.summary.materialized).toEqual(['gauges/stations', 'reports/summary']);
    expect(calls).toEqual(['gauges/stations', 'reports/summary']);
  });

  it('derives a code version from the function source when none is given', async () => {
    const instance = tempInstance();
    const make = (body: () => number) =>
      defineProject({ assets: [asset({ key: 'derived', materialize: body })] });
    await materialize(
      make(() => 1),
      { instance },
    );
    expect(
      (
        await materialize(
          make(() => 1),
          { instance },
        )
      ).status,
    ).toBe('nothing-to-do');
    const edited = make(() => 2);
    const [state] = await assetStatus(edited, { instance });
    expect(state!.status).toBe('stale');
    expect(state!.causes[0]!.category).toBe('code');
  });

  it('reruns exactly the downstream of a changed source observation', async () => {
    const instance = tempInstance();
    const dir = tempDir();
    const calls: string[] = [];
    const { project, csvPath } = gaugeProject(dir, {}, calls);
    await materialize(project, { instance });
    calls.length = 0;
    writeFileSync(csvPath, 'A,1.5\nB,2.5\nC,0.5\n');
    const run = await materialize(project, { instance });
    expect(run.summary.materialized).toEqual([
      'gauges/readings',
      'gauges/peak',
      'gauges/stations',
      'reports/summary',
    ]);
    // Same peak (2.5) after the change: the peak's data version did not move.
    const history = await assetHistory(instance, 'gauges/peak');
    expect(history).toHaveLength(2);
    const [newest, oldest] = history;
    expect(newest!.type === 'asset:materialized' && oldest!.type === 'asset:materialized').toBe(
      true,
    );
    if (newest!.type === 'asset:materialized' && oldest!.type === 'asset:materialized') {
      expect(newest!.materialization.dataVersion).toBe(oldest!.materialization.dataVersion);
    }
  });

  it('a selection runs only what it names, and upstream closures pull in stale upstream', async () => {
    const instance = tempInstance();
    const dir = tempDir();
    const { project, csvPath } = gaugeProject(dir);
    const blocked = await materialize(project, { instance, selection: 'gauges/peak' });
    expect(blocked.status).toBe('failed');
    expect(blocked.plan.blocked[0]).toMatchObject({
      key: 'gauges/peak',
      blockedBy: ['gauges/readings'],
    });
    expect(blocked.reasons['gauges/peak']).toContain('+gauges/peak');

    const run = await materialize(project, { instance, selection: '+gauges/peak' });
    expect(run.summary.materialized).toEqual(['gauges/readings', 'gauges/peak']);
    writeFileSync(csvPath, 'A,9.5\n');
    const narrow = await materialize(project, { instance, selection: 'gauges/peak' });
    expect(narrow.status).toBe('nothing-to-do');
    expect(narrow.plan.staleUpstream).toEqual([
      { key: 'gauges/peak', upstream: [{ key: 'gauges/readings', status: 'stale' }] },
    ]);
  });

  it('--force recomputes the selection regardless of staleness', async () => {
    const instance = tempInstance();
    const calls: string[] = [];
    const { project } = gaugeProject(tempDir(), {}, calls);
    await materialize(project, { instance });
    calls.length = 0;
    const run = await materialize(project, { instance, selection: 'gauges/stations', force: true });
    expect(run.summary.materialized).toEqual(['gauges/stations']);
    expect(calls).toEqual(['gauges/stations']);
  });

  it('records full provenance for every materialization', async () => {
    const instance = tempInstance();
    const { project } = gaugeProject(tempDir());
    const run = await materialize(project, { instance });
    const [event] = await assetHistory(instance, 'reports/summary');
    expect(event?.type).toBe('asset:materialized');
    if (event?.type !== 'asset:materialized') return;
    const m = event.materialization;
    expect(event.runId).toBe(run.runId);
    expect(m.codeVersion).toBe('x1');
    expect(Object.keys(m.inputs).sort()).toEqual(['gauges/peak', 'gauges/stations']);
    const [peak] = await assetHistory(instance, 'gauges/peak');
    expect(m.inputs['gauges/peak']).toEqual({
      dataVersion: peak?.type === 'asset:materialized' ? peak.materialization.dataVersion : '',
      eventId: peak!.id,
    });
    expect(m.dataVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(m.artefact).toMatchObject({ format: 'json', type: 'blob', contentHash: m.dataVersion });
    expect(m.endedAt).toBeGreaterThanOrEqual(m.startedAt);
    expect(m.host).toBeTruthy();
    expect(m.weirVersion).toBe('0.1.0');
    expect(m.configHash).toMatch(/^[0-9a-f]{16}$/);
    const bytes = await instance.artefacts.read(m.artefact.location);
    expect(JSON.parse(Buffer.from(bytes).toString())).toBe('2 stations, peak 2.5 m');
  });
});

describe('failure isolation and retries', () => {
  it('retries with backoff, skips the downstream of a failed step, and finishes independent branches', async () => {
    const instance = tempInstance();
    let flakyCalls = 0;
    const source = asset({ key: 'source', materialize: () => [1, 2, 3] });
    const flaky = asset({
      key: 'flaky',
      ins: { source },
      retry: { maxAttempts: 3, initialDelayMs: 5 },
      materialize: (ctx, { source }) => {
        flakyCalls++;
        ctx.log.info(`attempt ${ctx.attempt}`);
        if (ctx.attempt < 2) throw new Error('the gauge API timed out');
        return source.length;
      },
    });
    const broken = asset({
      key: 'broken',
      ins: { source },
      retry: { maxAttempts: 2, initialDelayMs: 1 },
      materialize: (): number => {
        throw new Error('stage column missing');
      },
    });
    const afterBroken = asset({
      key: 'after_broken',
      ins: { broken },
      materialize: (_c, { broken }) => broken + 1,
    });
    const further = asset({
      key: 'further',
      ins: { afterBroken },
      materialize: (_c, { afterBroken }) => afterBroken,
    });
    const independent = asset({
      key: 'independent',
      ins: { flaky },
      materialize: (_c, { flaky }) => flaky * 2,
    });
    const project = defineProject({
      assets: [source, flaky, broken, afterBroken, further, independent],
    });

    const result = await materialize(project, { instance, concurrency: 1 });
    expect(result.status).toBe('failed');
    expect(flakyCalls).toBe(2);
    expect(result.summary.materialized.sort()).toEqual(['flaky', 'independent', 'source']);
    expect(result.summary.failed).toEqual(['broken']);
    expect(result.summary.skipped.sort()).toEqual(['after_broken', 'further']);
    expect(result.reasons.further).toBe('upstream broken failed');
    expect(result.reasons.broken).toContain('stage column missing');

    const { events } = await runLogs(instance, result.runId!);
    expect(
      events.filter((e) => e.type === 'step:retrying').map((e) => 'assetKey' in e && e.assetKey),
    ).toEqual(['broken', 'flaky']);
    expect(
      events.filter((e) => e.type === 'step:log').map((e) => e.type === 'step:log' && e.message),
    ).toEqual(['attempt 1', 'attempt 2']);
    const failed = events.find((e) => e.type === 'step:failed');
    expect(failed?.type === 'step:failed' && failed.attempt).toBe(2);

    const states = Object.fromEntries(
      (await assetStatus(project, { instance })).map((s) => [s.key, s]),
    );
    expect(states.broken!.status).toBe('failed');
    expect(states.broken!.causes[0]!.reason).toContain('stage column missing');
    expect(states.after_broken!.status).toBe('missing');
    expect(states.independent!.status).toBe('fresh');
  });

  it('a failed step keeps the previous good version current', async () => {
    const instance = tempInstance();
    let fail = false;
    const a = asset({
      key: 'a',
      codeVersion: '1',
      materialize: () => {
        if (fail) throw new Error('bad day');
        return 42;
      },
    });
    const b = asset({ key: 'b', ins: { a }, materialize: (_c, { a }) => a + 1 });
    const project = defineProject({ assets: [a, b] });
    await materialize(project, { instance });
    fail = true;
    const run = await materialize(project, { instance, selection: 'a', force: true });
    expect(run.status).toBe('failed');
    const [state] = await assetStatus(project, { instance, selection: 'a' });
    expect(state!.status).toBe('failed');
    const [good] = await assetHistory(instance, 'a');
    expect(good?.type === 'asset:materialized' && good.materialization.dataVersion).toBe(
      state!.dataVersion,
    );
    // b still holds what it read from the good `a`; it says its upstream failed.
    const [bState] = await assetStatus(project, { instance, selection: 'b' });
    expect(bState!.causes).toMatchObject([
      { category: 'dependency', dependency: 'a', dependencyStatus: 'failed' },
    ]);
    fail = false;
    const recovered = await materialize(project, { instance });
    // `a` reran and came out the same (42): `b` did not need to run.
    expect(recovered.summary.materialized).toEqual(['a']);
    expect(recovered.summary.unchanged).toEqual(['b']);
  });

  it('a broken source stops only what depends on it', async () => {
    const instance = tempInstance();
    const down = sourceAsset({
      key: 'raw/agency_feed',
      observe: () => {
        throw new Error('HTTP 503 from the agency');
      },
    });
    const up = sourceAsset({ key: 'raw/other_feed', observe: () => 'v1' });
    const fromDown = asset({ key: 'from_down', deps: [down], materialize: () => 1 });
    const fromUp = asset({ key: 'from_up', deps: [up], materialize: () => 2 });
    const result = await materialize(defineProject({ assets: [down, up, fromDown, fromUp] }), {
      instance,
    });
    expect(result.status).toBe('failed');
    expect(result.summary.materialized).toEqual(['from_up']);
    expect(result.summary.failed).toEqual(['raw/agency_feed']);
    expect(result.summary.skipped).toEqual(['from_down']);
    expect(result.reasons.from_down).toContain('raw/agency_feed could not be observed');
  });
});

describe('formats, resources and context', () => {
  it('stores bytes and files by content hash and hands files downstream as paths', async () => {
    const instance = tempInstance();
    const bytes = asset({
      key: 'geo/tile',
      io: 'bytes',
      materialize: () => new Uint8Array([1, 2, 3]),
    });
    const tiles = asset({
      key: 'geo/tiles',
      io: 'files',
      ins: { bytes },
      materialize: async (ctx, { bytes }) => {
        const { mkdir, writeFile } = await import('node:fs/promises');
        await mkdir(join(ctx.outputPath, 'z0'), { recursive: true });
        await writeFile(join(ctx.outputPath, 'z0', 'tile.bin'), bytes);
        await writeFile(join(ctx.outputPath, 'index.json'), '{"zooms":[0]}');
      },
    });
    const size = asset({
      key: 'geo/size',
      ins: { tiles },
      materialize: (_c, { tiles }) => {
        expect(tiles.type).toBe('directory');
        return readFileSync(join(tiles.path, 'z0', 'tile.bin')).length;
      },
    });
    const project = defineProject({ assets: [bytes, tiles, size] });
    await materialize(project, { instance });
    const [tilesEvent] = await assetHistory(instance, 'geo/tiles');
    // Files inside a stored directory are read-only, like stored single files.
    const stored = await instance.artefacts.localPath(
      tilesEvent?.type === 'asset:materialized' ? tilesEvent.materialization.artefact.location : '',
    );
    expect(statSync(join(stored, 'z0', 'tile.bin')).mode & 0o222).toBe(0);
    expect(
      tilesEvent?.type === 'asset:materialized' && tilesEvent.materialization.artefact.type,
    ).toBe('directory');
    const [sizeEvent] = await assetHistory(instance, 'geo/size');
    const sizeBytes = await instance.artefacts.read(
      sizeEvent?.type === 'asset:materialized' ? sizeEvent.materialization.artefact.location : '',
    );
    expect(Buffer.from(sizeBytes).toString()).toBe('3');
    // The same files again are the same data version: the downstream stays fresh.
    const forced = await materialize(project, { instance, selection: 'geo/tiles', force: true });
    expect(forced.summary.materialized).toEqual(['geo/tiles']);
    const [again] = await assetHistory(instance, 'geo/tiles');
    expect(again?.type === 'asset:materialized' && again.materialization.dataVersion).toBe(
      tilesEvent?.type === 'asset:materialized' && tilesEvent.materialization.dataVersion,
    );
    expect((await assetStatus(project, { instance, selection: 'geo/size' }))[0]!.status).toBe(
      'fresh',
    );
  });

  it('keeps an empty directory and an empty blob apart in the store', async () => {
    const instance = tempInstance();
    const empty = asset({ key: 'empty_bytes', io: 'bytes', materialize: () => new Uint8Array(0) });
    const folder = asset({
      key: 'empty_folder',
      io: 'files',
      materialize: async (ctx) => {
        const { mkdir } = await import('node:fs/promises');
        await mkdir(ctx.outputPath);
      },
    });
    const reader = asset({
      key: 'reader',
      ins: { empty, folder },
      materialize: async (_c, { empty, folder }) => {
        const { readdir } = await import('node:fs/promises');
        return { bytes: empty.byteLength, entries: (await readdir(folder.path)).length };
      },
    });
    const result = await materialize(defineProject({ assets: [empty, folder, reader] }), {
      instance,
      concurrency: 1,
    });
    expect(result.status).toBe('success');
  });

  it('says clearly when a files asset writes nothing or a json asset returns undefined', async () => {
    const instance = tempInstance();
    const nothing = asset({ key: 'nothing', io: 'files', materialize: () => {} });
    const undef = asset({ key: 'undef', materialize: () => undefined });
    const result = await materialize(defineProject({ assets: [nothing, undef] }), { instance });
    expect(result.reasons.nothing).toContain("io 'files' but wrote nothing at ctx.outputPath");
    expect(result.reasons.undef).toContain("asset 'undef' returned undefined");
  });

  it('gives typed resources, created once per run and disposed at the end, and hashes their config', async () => {
    const instance = tempInstance();
    const created: string[] = [];
    const makeProject = (floodStageM: number) => {
      const settings = resource({
        key: 'settings',
        config: { floodStageM },
        create: (config) => {
          created.push('create');
          return config;
        },
        dispose: () => {
          created.push('dispose');
        },
      });
      const a = asset({
        key: 'a',
        resources: { settings },
        materialize: (ctx) => ctx.resources.settings.floodStageM,
      });
      const b = asset({
        key: 'b',
        resources: { settings },
        materialize: (ctx) => ctx.resources.settings.floodStageM * 2,
      });
      return defineProject({ assets: [a, b], resources: [settings] });
    };
    await materialize(makeProject(3.2), { instance });
    expect(created).toEqual(['create', 'dispose']);
    await materialize(makeProject(4), { instance, force: true });
    const [newest, oldest] = await assetHistory(instance, 'a');
    const hash = (e: typeof newest) =>
      e?.type === 'asset:materialized' ? e.materialization.configHash : '';
    expect(hash(newest)).not.toBe(hash(oldest));
  });

  it('takes metadata and a user-supplied data version', async () => {
    const instance = tempInstance();
    const a = asset({
      key: 'a',
      materialize: (ctx) => {
        ctx.addMetadata({ rows: 2, bounds: [0, 4.5] });
        ctx.setDataVersion('2024-01-07');
        return [1, 2];
      },
    });
    await materialize(defineProject({ assets: [a] }), { instance });
    const [event] = await assetHistory(instance, 'a');
    expect(event?.type === 'asset:materialized' && event.materialization).toMatchObject({
      dataVersion: '2024-01-07',
      metadata: { rows: 2, bounds: [0, 4.5] },
    });
  });

  it('runs independent steps in parallel under the concurrency limit', async () => {
    const instance = tempInstance();
    let running = 0;
    let most = 0;
    const leaves: AssetDefinition<string, number>[] = [];
    for (let i = 0; i < 8; i++) {
      leaves.push(
        asset({
          key: `leaf_${i}`,
          materialize: async () => {
            most = Math.max(most, ++running);
            await new Promise((resolve) => setTimeout(resolve, 20));
            running--;
            return i;
          },
        }),
      );
    }
    await materialize(defineProject({ assets: leaves }), { instance, concurrency: 3 });
    expect(most).toBe(3);
  });

  it('cancels: steps in flight are recorded as cancelled and nothing after them starts', async () => {
    const instance = tempInstance();
    const controller = new AbortController();
    const slow = asset({
      key: 'slow',
      materialize: async () => {
        controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 50));
        return 1;
      },
    });
    const after = asset({ key: 'after', ins: { slow }, materialize: (_c, { slow }) => slow });
    const project = defineProject({ assets: [slow, after] });
    const result = await materialize(project, { instance, signal: controller.signal });
    expect(result.status).toBe('cancelled');
    expect(result.summary.cancelled.sort()).toEqual(['after', 'slow']);
    const run = await instance.eventLog.run(result.runId!);
    expect(run?.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await assetHistory(instance, 'slow')).toEqual([]);
    expect((await materialize(project, { instance })).summary.materialized).toEqual([
      'slow',
      'after',
    ]);
  });
});
