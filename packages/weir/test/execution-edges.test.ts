import { describe, expect, it } from 'vitest';
import {
  asset,
  assetHistory,
  check,
  defineProject,
  materialize,
  type RunSummary,
  resource,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every planned step is in exactly one list of the summary. */
function expectEachOnce(summary: RunSummary) {
  const all = [
    ...summary.materialized,
    ...summary.unchanged,
    ...summary.failed,
    ...summary.skipped,
    ...summary.cancelled,
  ];
  expect(new Set(all).size).toBe(all.length);
}

describe('the scheduler on edge cases (regressions from review)', () => {
  it('a failure skips only steps that read it through planned steps, never one already running', async () => {
    const instance = tempInstance();
    const make = (version: string, failA: boolean) => {
      const a = asset({
        key: 'a',
        codeVersion: version,
        materialize: async () => {
          await sleep(30);
          if (failA) throw new Error('a broke');
          return 1;
        },
      });
      const b = asset({
        key: 'b',
        ins: { a },
        codeVersion: '1',
        materialize: (_c, { a }) => a + 1,
      });
      const c = asset({
        key: 'c',
        ins: { b },
        codeVersion: version,
        materialize: async (_c, { b }) => {
          await sleep(100);
          return b + 1;
        },
      });
      return defineProject({ assets: [a, b, c] });
    };
    await materialize(make('1', false), { instance });
    // a and c changed; b (between them) is up to date and not selected.
    const result = await materialize(make('2', true), { instance, selection: 'a,c' });
    expect(result.summary.failed).toEqual(['a']);
    expect(result.summary.materialized).toEqual(['c']); // c reads b, which did not change
    expect(result.summary.skipped).toEqual([]);
    expectEachOnce(result.summary);
    const events = await instance.eventLog.events({
      runId: result.runId!,
      types: ['step:skipped'],
    });
    expect(events).toEqual([]);
  });

  it('a step cancelled while its checks run does not record its materialization', async () => {
    const instance = tempInstance();
    const controller = new AbortController();
    const slowCheck = check({
      name: 'slow',
      evaluate: async () => {
        await sleep(150);
        return true;
      },
    });
    const a = asset({ key: 'a', checks: [slowCheck], materialize: () => 1 });
    setTimeout(() => controller.abort(), 40);
    const result = await materialize(defineProject({ assets: [a] }), {
      instance,
      signal: controller.signal,
    });
    expect(result.status).toBe('cancelled');
    await sleep(250);
    expect(await assetHistory(instance, 'a')).toEqual([]);
  });

  it('a listener that throws inside a step stops the run; the step is not blamed', async () => {
    const instance = tempInstance();
    const fine = asset({ key: 'fine', materialize: () => 1 });
    await expect(
      materialize(defineProject({ assets: [fine] }), {
        instance,
        onEvent: (event) => {
          if (event.type === 'asset:materialized') throw new Error('display crashed');
        },
      }),
    ).rejects.toThrow('display crashed');
    expect(await instance.eventLog.events({ types: ['step:failed'] })).toEqual([]);
    const [run] = await instance.eventLog.runs();
    expect(run?.finished?.reason).toContain('display crashed');
  });

  it('closes the run when a listener throws, instead of leaving it running', async () => {
    const instance = tempInstance();
    const bad = asset({
      key: 'bad',
      materialize: (): number => {
        throw new Error('x');
      },
    });
    const after = asset({ key: 'after', ins: { bad }, materialize: (_c, { bad }) => bad });
    const project = defineProject({ assets: [bad, after] });
    await expect(
      materialize(project, {
        instance,
        onEvent: (event) => {
          if (event.type === 'step:skipped') throw new Error('display crashed');
        },
      }),
    ).rejects.toThrow('display crashed');
    const [run] = await instance.eventLog.runs();
    expect(run?.status).toBe('failed');
    expect(run?.finished?.reason).toContain('display crashed');
  });

  it('a resource that fails to create is created again on retry', async () => {
    const instance = tempInstance();
    let creates = 0;
    const db = resource({
      key: 'db',
      create: () => {
        creates++;
        if (creates === 1) throw new Error('connection refused');
        return { query: () => 42 };
      },
    });
    const a = asset({
      key: 'a',
      resources: { db },
      retry: { maxAttempts: 3, initialDelayMs: 1 },
      materialize: (ctx) => ctx.resources.db.query(),
    });
    const result = await materialize(defineProject({ assets: [a], resources: [db] }), { instance });
    expect(result.status).toBe('success');
    expect(creates).toBe(2);
  });

  it('an abort from inside a listener counts every step once', async () => {
    const instance = tempInstance();
    const controller = new AbortController();
    const fails = asset({
      key: 'fails',
      materialize: (): number => {
        throw new Error('no');
      },
    });
    const slow = asset({
      key: 'slow',
      materialize: async () => {
        await sleep(80);
        return 1;
      },
    });
    const after = asset({ key: 'after', ins: { fails }, materialize: (_c, { fails }) => fails });
    const result = await materialize(defineProject({ assets: [fails, slow, after] }), {
      instance,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'step:failed') controller.abort();
      },
    });
    expect(result.status).toBe('cancelled');
    expectEachOnce(result.summary);
    expect(result.summary.failed).toEqual(['fails']);
    const cancelledEvents = await instance.eventLog.events({
      runId: result.runId!,
      types: ['step:cancelled'],
    });
    expect(cancelledEvents.map((e) => 'assetKey' in e && e.assetKey)).not.toContain('fails');
  });

  it('refuses a concurrency below 1 instead of waiting forever', async () => {
    const instance = tempInstance();
    const a = asset({ key: 'a', materialize: () => 1 });
    await expect(
      materialize(defineProject({ assets: [a] }), { instance, concurrency: 0 }),
    ).rejects.toThrow('concurrency must be a whole number ≥ 1, got 0');
  });
});
