/**
 * Corrupt artefacts in a running project (issue 15, item 2): status and materialize notice an
 * artefact written over, a downstream never reads corrupt bytes (and so never records
 * provenance claiming the good version), `--force` repairs, and `weir check` names the asset.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalArtefactStore } from '../src/artefacts/index.js';
import {
  type AssetState,
  asset,
  assetStatus,
  boundsCheck,
  checkAssets,
  defineProject,
  type Instance,
  materialize,
  runLogs,
} from '../src/index.js';
import { tempInstance } from './helpers.js';
import { flipByte } from './support/corrupt.js';

let runs = 0;
const readings = asset({
  key: 'gauges/readings',
  checks: [boundsCheck('stageM', { min: 0 })],
  materialize: () => {
    runs += 1;
    return [{ stageM: 1.25 }, { stageM: 2.5 }];
  },
});
const peak = asset({
  key: 'gauges/peak',
  ins: { readings },
  materialize: (_ctx, { readings }) => Math.max(...readings.map((r) => r.stageM)),
});
const report = asset({
  key: 'gauges/report',
  ins: { peak },
  materialize: (_ctx, { peak }) => `peak ${peak} m`,
});
const project = defineProject({ assets: [readings, peak, report] });

async function artefactPath(instance: Instance, key: string): Promise<string> {
  const [record] = await instance.eventLog.latest([key]);
  const root = (instance.artefacts as LocalArtefactStore).root;
  return join(root, record!.usable!.materialization.artefact.location);
}

function byKey(states: AssetState[]): Record<string, AssetState> {
  return Object.fromEntries(states.map((s) => [s.key, s]));
}

describe('a corrupt artefact', () => {
  it('written over after it was stored: status says so, and materialize rebuilds only it', async () => {
    const instance = tempInstance();
    await materialize(project, { instance });
    flipByte(await artefactPath(instance, 'gauges/readings'));
    const states = byKey(await assetStatus(project, { instance }));
    expect(states['gauges/readings']!.status).toBe('stale');
    expect(states['gauges/readings']!.causes[0]).toMatchObject({
      category: 'artefact',
      problem: 'corrupt',
    });
    expect(states['gauges/readings']!.causes[0]!.reason).toMatch(/is corrupt/);
    const before = runs;
    const result = await materialize(project, { instance });
    expect(runs).toBe(before + 1);
    expect(result.summary.materialized).toEqual(['gauges/readings']);
    expect(result.summary.unchanged).toEqual(['gauges/peak', 'gauges/report']);
    expect((await assetStatus(project, { instance })).map((s) => s.status)).toEqual([
      'fresh',
      'fresh',
      'fresh',
    ]);
  });

  it('that only hashing can see: the downstream fails naming it and records nothing; --force repairs', async () => {
    const instance = tempInstance();
    await materialize(project, { instance });
    const path = await artefactPath(instance, 'gauges/readings');
    flipByte(path, { keepMtime: true });
    const history = async () =>
      (await instance.eventLog.events({ types: ['asset:materialized'] })).length;
    const recorded = await history();
    const failed = await materialize(project, { instance, selection: 'gauges/peak', force: true });
    expect(failed.status).toBe('failed');
    expect(failed.summary.failed).toEqual(['gauges/peak']);
    expect(await history()).toBe(recorded);
    const { events } = await runLogs(instance, failed.runId!);
    const error = events.find((e) => e.type === 'step:failed');
    expect(error?.type === 'step:failed' && error.error).toMatchObject({
      code: 'E_ARTEFACT_CORRUPT',
      message: expect.stringMatching(
        /^the artefact of gauges\/readings \(objects\/[0-9a-f]{2}\/[0-9a-f]{64}\) is corrupt/,
      ),
    });
    // Only one attempt: a corrupt input is not something a retry fixes.
    expect(events.filter((e) => e.type === 'step:started')).toHaveLength(1);

    const forced = await materialize(project, {
      instance,
      selection: 'gauges/readings',
      force: true,
    });
    expect(forced.status).toBe('success');
    const again = await materialize(project, { instance, selection: 'gauges/peak', force: true });
    expect(again.status).toBe('success');
  });

  it('weir check names the asset and the artefact instead of failing on bytes it cannot trust', async () => {
    const instance = tempInstance();
    await materialize(project, { instance });
    flipByte(await artefactPath(instance, 'gauges/readings'), { keepMtime: true });
    const [result] = await checkAssets(project, { instance, selection: 'gauges/readings' });
    expect(result!.checks).toEqual([]);
    expect(result!.error).toMatchObject({
      code: 'E_ARTEFACT_CORRUPT',
      message: expect.stringContaining('the artefact of gauges/readings'),
      hint: expect.stringContaining("'weir verify gauges/readings --repair'"),
    });
    expect(await instance.eventLog.events({ types: ['check:evaluated'] })).toHaveLength(1);
  });

  it('gone from the store: status says missing, and materialize makes it again', async () => {
    const instance = tempInstance();
    await materialize(project, { instance });
    const [record] = await instance.eventLog.latest(['gauges/report']);
    const location = record!.usable!.materialization.artefact.location;
    await instance.artefacts.remove(location, { unlessModifiedAfter: Date.now() + 1_000 });
    const [state] = await assetStatus(project, { instance, selection: 'gauges/report' });
    expect(state!.causes[0]).toMatchObject({ category: 'artefact', problem: 'missing' });
    const result = await materialize(project, { instance });
    expect(result.summary.materialized).toEqual(['gauges/report']);
    expect(await instance.artefacts.exists(location)).toBe(true);
  });
});
