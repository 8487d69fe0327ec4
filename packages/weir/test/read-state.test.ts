/**
 * The one read path: status, why and plan see a changed source at once, for partitioned and
 * unpartitioned readers alike, and reading writes nothing.
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  asset,
  assetStatus,
  defineProject,
  explain,
  type Instance,
  listRuns,
  materialize,
  planMaterialization,
  readState,
  sourceAsset,
  staticPartitions,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

function project(version: { current: string }) {
  const feed = sourceAsset({ key: 'raw/feed', observe: () => version.current });
  const agencies = staticPartitions(['a', 'b', 'c']);
  const perAgency = asset({
    key: 'norm/services',
    partitions: agencies,
    deps: [feed],
    materialize: (ctx) => `${ctx.partition.key}:${version.current}`,
  });
  const whole = asset({ key: 'norm/all', deps: [feed], materialize: () => version.current });
  return defineProject({ assets: [feed, perAgency, whole] });
}

async function eventCount(instance: Instance): Promise<number> {
  return (await instance.eventLog.events()).length;
}

describe('readState', () => {
  it('sees a changed source at once, for partitioned and unpartitioned readers, and writes nothing', async () => {
    const instance = tempInstance();
    const version = { current: 'v1' };
    const defs = project(version);
    expect((await materialize(defs, { instance })).status).toBe('success');
    version.current = 'v2';

    const before = await eventCount(instance);
    const states = new Map((await assetStatus(defs, { instance })).map((s) => [s.key, s]));
    expect(states.get('norm/all')?.status).toBe('stale');
    expect(states.get('norm/services')?.status).toBe('stale');
    expect(states.get('norm/services')?.partitions?.stale.count).toBe(3);
    const why = await explain(defs, 'norm/services', { instance, partition: 'b' });
    expect(why.partition?.causes.map((c) => c.category)).toEqual(['data']);
    const { plan } = await planMaterialization(defs, { instance });
    expect(plan.steps).toEqual(['norm/all', 'norm/services']);
    const snapshot = await readState(defs, { instance });
    expect(snapshot.observations.changed.map((c) => c.key)).toEqual(['raw/feed']);
    expect(await eventCount(instance)).toBe(before);

    // The first run sees it too (not only a second one), and then there is nothing to do.
    const run = await materialize(defs, { instance });
    expect([...run.summary.materialized].sort()).toEqual([
      'norm/all',
      'norm/services[a]',
      'norm/services[b]',
      'norm/services[c]',
    ]);
    expect((await materialize(defs, { instance })).status).toBe('nothing-to-do');
  });

  it('lists a run whose process died as crashed without closing it', async () => {
    const instance = tempInstance();
    const deadPid = 2 ** 22 + 7; // above Linux's pid_max default: no such process
    await instance.eventLog.append([
      {
        type: 'run:started',
        runId: 'r-dead',
        timestamp: Date.now(),
        selection: '*',
        force: false,
        steps: ['x'],
        host: hostname(),
        pid: deadPid,
        weirVersion: '0.0.0',
      },
    ]);
    const before = await eventCount(instance);
    expect((await listRuns(instance))[0]?.status).toBe('crashed');
    expect((await listRuns(instance, { status: 'crashed' })).map((r) => r.runId)).toEqual([
      'r-dead',
    ]);
    expect(await eventCount(instance)).toBe(before);
    expect(await instance.recover()).toEqual(['r-dead']);
    expect((await instance.eventLog.run('r-dead'))?.status).toBe('crashed');
  });
});

describe('selections and clocks', () => {
  it('takes a list of keys wherever it takes a selection, and names an unknown one the same way', async () => {
    const instance = tempInstance();
    const version = { current: 'v1' };
    const defs = project(version);
    const run = await materialize(defs, { instance, selection: ['raw/feed', 'norm/all'] });
    expect(run.summary.materialized).toEqual(['norm/all']);
    const [started] = await instance.eventLog.events({ types: ['run:started'] });
    expect(started).toMatchObject({ selection: 'raw/feed, norm/all' });
    const asList = await materialize(defs, { instance, selection: ['norm/al'] }).catch((e) => e);
    const asText = await materialize(defs, { instance, selection: 'norm/al' }).catch((e) => e);
    expect(asList).toMatchObject({ name: 'SelectionError', code: 'E_UNKNOWN_ASSET' });
    expect(asText).toMatchObject({ name: 'SelectionError', code: 'E_UNKNOWN_ASSET' });
    expect(asList.hint).toContain('norm/all');
  });

  it('refuses a clock that is not a time', async () => {
    const instance = tempInstance();
    await expect(
      assetStatus(project({ current: 'v1' }), { instance, now: Number.NaN }),
    ).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
