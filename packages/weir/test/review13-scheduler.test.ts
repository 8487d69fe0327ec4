/**
 * Regressions found reviewing issue 13 (the scheduler apart from its executor): cancellation
 * before or during a run's opening, and a run that stops on a storage or listener error.
 */
import { describe, expect, it } from 'vitest';
import {
  asset,
  createInstance,
  defineProject,
  type EventLog,
  type Executor,
  type Instance,
  inProcessExecutor,
  materialize,
  type RunSummary,
  type StoredEvent,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same storage with another executor. */
function withExecutor(base: Instance, executor: Executor): Instance {
  return createInstance({ eventLog: base.eventLog, artefacts: base.artefacts, executor });
}

/** An executor that records which units it was handed, then runs them in this process. */
function recording(started: string[]): Executor {
  return {
    name: 'recording',
    execute(unit, run) {
      started.push(unit.label);
      return inProcessExecutor.execute(unit, run);
    },
  };
}

function labels(summary: RunSummary): string[] {
  return [
    ...summary.materialized,
    ...summary.unchanged,
    ...summary.failed,
    ...summary.skipped,
    ...summary.cancelled,
  ].sort();
}

describe('cancellation reaches the scheduler however early it comes', () => {
  it('an already aborted signal starts no unit', async () => {
    const base = tempInstance();
    const started: string[] = [];
    const a = asset({ key: 'a', materialize: () => 1 });
    const b = asset({ key: 'b', ins: { a }, materialize: (_c, { a }) => a + 1 });
    const controller = new AbortController();
    controller.abort();
    const result = await materialize(defineProject({ assets: [a, b] }), {
      instance: withExecutor(base, recording(started)),
      signal: controller.signal,
    });
    expect(started).toEqual([]);
    expect(result.status).toBe('cancelled');
    expect(result.summary.cancelled).toEqual(['a', 'b']);
    const types = (await base.eventLog.events({ runId: result.runId! })).map((e) => e.type);
    expect(types).toEqual(['run:started', 'run:finished']);
  });

  it('an abort from a listener as the run opens starts no unit', async () => {
    const base = tempInstance();
    const started: string[] = [];
    const assets = [0, 1, 2].map((i) => asset({ key: `a${i}`, materialize: () => i }));
    const controller = new AbortController();
    const result = await materialize(defineProject({ assets }), {
      instance: withExecutor(base, recording(started)),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'run:started') controller.abort();
      },
    });
    expect(started).toEqual([]);
    expect(result.status).toBe('cancelled');
    expect(labels(result.summary)).toEqual(['a0', 'a1', 'a2']);
  });

  it('a unit that becomes ready after an abort from a listener is not started', async () => {
    const base = tempInstance();
    const started: string[] = [];
    const a = asset({ key: 'a', materialize: () => 1 });
    const b = asset({
      key: 'b',
      materialize: async () => {
        await sleep(100);
        return 2;
      },
    });
    const c = asset({ key: 'c', ins: { a }, materialize: (_c, { a }) => a });
    const controller = new AbortController();
    const result = await materialize(defineProject({ assets: [a, b, c] }), {
      instance: withExecutor(base, recording(started)),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'asset:materialized' && event.assetKey === 'a') controller.abort();
      },
    });
    // a settles as what it was; c, released by it, never reaches the executor.
    expect(started.sort()).toEqual(['a', 'b']);
    expect(result.summary.materialized).toEqual(['a']);
    expect(result.summary.cancelled.sort()).toEqual(['b', 'c']);
    const cancelled = await base.eventLog.events({
      runId: result.runId!,
      types: ['step:cancelled'],
    });
    expect(cancelled.map((e) => (e as StoredEvent<'step:cancelled'>).assetKey)).toEqual(['b']);
  });
});

/**
 * The instance's event log, failing every append (plain, or a step's fenced outcome) that
 * contains an event `failWhen` accepts.
 */
function failingLog(log: EventLog, failWhen: (events: readonly unknown[]) => boolean): EventLog {
  return new Proxy(log, {
    get(target, property, receiver) {
      if (property === 'append') {
        return (events: Parameters<EventLog['append']>[0]) =>
          failWhen(events) ? Promise.reject(new Error('disk full')) : target.append(events);
      }
      if (property === 'appendHolding') {
        return (...args: Parameters<EventLog['appendHolding']>) =>
          failWhen(args[2])
            ? Promise.reject(new Error('disk full'))
            : target.appendHolding(...args);
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a run that stops on a storage or listener error', () => {
  it('closes with a summary of the units that settled before it stopped', async () => {
    const base = tempInstance();
    const a0 = asset({ key: 'a0', materialize: () => 0 });
    const a1 = asset({ key: 'a1', deps: [a0], materialize: () => 1 });
    const a2 = asset({ key: 'a2', deps: [a1], materialize: () => 2 });
    const eventLog = failingLog(base.eventLog, (events) =>
      events.some((e) => (e as { type: string; assetKey?: string }).assetKey === 'a2'),
    );
    const instance = createInstance({ eventLog, artefacts: base.artefacts });
    await expect(
      materialize(defineProject({ assets: [a0, a1, a2] }), { instance }),
    ).rejects.toThrow('disk full');
    const [run] = await base.eventLog.runs();
    expect(run?.status).toBe('failed');
    expect(run?.finished?.summary.materialized).toEqual(['a0', 'a1']);
  });

  it('is closed when a listener throws on the event that opens it', async () => {
    const instance = tempInstance();
    const a = asset({ key: 'a', materialize: () => 1 });
    await expect(
      materialize(defineProject({ assets: [a] }), {
        instance,
        onEvent: (event) => {
          if (event.type === 'run:started') throw new Error('display crashed');
        },
      }),
    ).rejects.toThrow('display crashed');
    const [run] = await instance.eventLog.runs();
    expect(run?.status).toBe('failed');
    expect(run?.finished?.reason).toBe('the run stopped: display crashed');
  });

  it('waits for the units in flight, so nothing is recorded after the run is closed', async () => {
    const base = tempInstance();
    const quick = asset({ key: 'quick', materialize: () => 0 });
    const slow = [1, 2].map((i) =>
      asset({
        key: `slow${i}`,
        materialize: async () => {
          await sleep(60 * i);
          return i;
        },
      }),
    );
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await expect(
        materialize(defineProject({ assets: [quick, ...slow] }), {
          instance: base,
          concurrency: 3,
          onEvent: (event) => {
            if (event.type === 'step:started' && event.assetKey === 'quick')
              throw new Error('display crashed');
          },
        }),
      ).rejects.toThrow('display crashed');
      await sleep(250);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
    const events = await base.eventLog.events();
    expect(events.at(-1)?.type).toBe('run:finished');
    const [run] = await base.eventLog.runs();
    expect(run?.status).toBe('failed');
    // What the log holds of the run is what its summary says.
    const materialized = events
      .filter((e) => e.type === 'asset:materialized')
      .map((e) => (e as StoredEvent<'asset:materialized'>).assetKey);
    expect(materialized.sort()).toEqual(['slow1', 'slow2']);
    expect(run?.finished?.summary.materialized.sort()).toEqual(['slow1', 'slow2']);
  });

  it('an executor that throws does not leave the scheduler waiting for it', async () => {
    const base = tempInstance();
    const executor: Executor = {
      name: 'broken',
      async execute(unit, run) {
        if (unit.key === 'a') throw new Error('worker lost');
        return inProcessExecutor.execute(unit, run);
      },
    };
    const a = asset({ key: 'a', materialize: () => 1 });
    const b = asset({
      key: 'b',
      materialize: async () => {
        await sleep(50);
        return 2;
      },
    });
    await expect(
      materialize(defineProject({ assets: [a, b] }), {
        instance: withExecutor(base, executor),
      }),
    ).rejects.toThrow('worker lost');
    const events = await base.eventLog.events();
    expect(events.at(-1)?.type).toBe('run:finished');
    const [run] = await base.eventLog.runs();
    expect(run?.finished?.summary.materialized).toEqual(['b']);
  });
});

describe('an executor is a seam users implement', () => {
  it('an outcome the scheduler does not understand stops the run and names the executor', async () => {
    const base = tempInstance();
    const executor: Executor = {
      name: 'remote',
      execute: async () => ({ status: 'done' }) as never,
    };
    const a = asset({ key: 'a', materialize: () => 1 });
    await expect(
      materialize(defineProject({ assets: [a] }), { instance: withExecutor(base, executor) }),
    ).rejects.toThrow('executor \'remote\' returned {"status":"done"} for a, not a step outcome');
    const [run] = await base.eventLog.runs();
    expect(run?.status).toBe('failed');
  });
});
