/**
 * WarmStatus: kept in memory and brought up to date from the log, it always says what a cold
 * assetStatus says (observe: false) — after materializations, observations, failures, and
 * when time moves on past a freshness deadline.
 */
import { describe, expect, it } from 'vitest';
import {
  type AssetState,
  asset,
  assetStatus,
  defineProject,
  type Instance,
  materialize,
  type ProjectDefinition,
  sourceAsset,
  WarmStatus,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const brief = (states: readonly AssetState[]) =>
  states.map((s) => [s.key, s.status, s.freshness?.status ?? '-']);

async function agree(
  project: ProjectDefinition,
  instance: Instance,
  warm: WarmStatus,
  now: number,
) {
  const cold = await assetStatus(project, { instance, observe: false, now });
  const hot = await warm.status(now);
  expect(brief(hot)).toEqual(brief(cold));
  return brief(hot);
}

describe('WarmStatus', () => {
  it('says what a cold status says, after each change and as time passes', async () => {
    const instance = tempInstance();
    const version = { current: 'v1', fail: false };
    const raw = sourceAsset({ key: 'raw', observe: () => version.current });
    const a = asset({
      key: 'a',
      deps: [raw],
      freshness: { maxLag: '1h' },
      materialize: () => {
        if (version.fail) throw new Error('broken');
        return version.current;
      },
    });
    const b = asset({ key: 'b', ins: { a }, materialize: (_ctx, { a: value }) => `${value}!` });
    const lone = asset({ key: 'lone', materialize: () => 1 });
    const project = defineProject({ assets: [raw, a, b, lone] });
    const warm = new WarmStatus(project, { instance });
    const t0 = Date.now();
    await agree(project, instance, warm, t0);
    await materialize(project, { instance });
    expect(await agree(project, instance, warm, t0 + 10)).toContainEqual(['b', 'fresh', '-']);
    // A new observation recorded (as the daemon would): a and b stale, lone untouched.
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
    expect(await agree(project, instance, warm, t0 + 20)).toContainEqual(['b', 'stale', '-']);
    version.fail = true;
    await materialize(project, { instance, observe: false } as never);
    await agree(project, instance, warm, t0 + 30);
    // Two hours later, nothing new in the log: a is overdue.
    expect(await agree(project, instance, warm, t0 + 2 * 3_600_000)).toContainEqual([
      'a',
      'failed',
      'overdue',
    ]);
    version.fail = false;
    await materialize(project, { instance });
    await agree(project, instance, warm, t0 + 2 * 3_600_000 + 10);
  });
});
