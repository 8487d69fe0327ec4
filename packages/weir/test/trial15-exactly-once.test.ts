/**
 * Exactly once, cases found by trying to break it: a step never starts from an input version
 * another run replaced after this run learnt it.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { THIS_PROCESS } from '../src/execution/recovery.js';
import { asset, assetStatus, dailyPartitions, defineProject, materialize } from '../src/index.js';
import { tempInstance } from './helpers.js';

/** A promise with its resolver, to hold a step until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves once `predicate` holds, polling. */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('inputs replaced by another run', () => {
  for (const how of ['forced', 'stale'] as const)
    it(`a step that waited for another run reads the input that run replaced meanwhile, not the one it planned from (${how})`, async () => {
      const instance = tempInstance();
      let version = 0;
      const gates = { a: gate(), c: gate(), b: gate() };
      let hold = false;
      const running = new Set<string>();
      const ran: string[] = [];
      const step = (key: keyof typeof gates) => async () => {
        ran.push(key);
        running.add(key);
        if (hold) await gates[key].promise;
        running.delete(key);
      };
      const a = asset({
        key: 'a',
        materialize: async () => {
          await step('a')();
          version += 1;
          return version;
        },
      });
      const cOf = (codeVersion: string) =>
        asset({
          key: 'c',
          codeVersion,
          materialize: async () => {
            await step('c')();
            return Number(codeVersion);
          },
        });
      const c = cOf('1');
      const bOf = (c: ReturnType<typeof cOf>) =>
        asset({
          key: 'b',
          codeVersion: '1',
          ins: { a, c },
          materialize: async (_ctx, inputs) => {
            // Only the first run's b waits (the second finds the lease held and waits for it).
            if (ran.filter((k) => k === 'b').length === 0) await step('b')();
            else ran.push('b');
            return inputs.a + inputs.c;
          },
        });
      const project = defineProject({ assets: [a, bOf(c), c] });
      // Run 2 rebuilds c because it is forced, or because its code changed.
      const c2 = how === 'forced' ? c : cOf('2');
      const project2 = defineProject({ assets: [a, bOf(c2), c2] });
      await materialize(project, { instance });
      ran.length = 0;
      hold = true;

      // Run 1 replaces a, then builds b from it. Run 2 plans before a is replaced, rebuilds c,
      // then finds b held by run 1 and, after it, builds b again (forced).
      const first = materialize(project, { instance, selection: 'a+', force: true });
      await until(() => running.has('a'));
      const second = materialize(project2, {
        instance,
        selection: 'c+',
        force: how === 'forced',
      });
      await until(() => running.has('c'));
      gates.a.open();
      await until(() => running.has('b'));
      gates.c.open();
      // Let run 2 record c and find b's lease held.
      await new Promise((resolve) => setTimeout(resolve, 100));
      gates.b.open();
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.status)).toEqual(['success', 'success']);

      expect(ran.filter((k) => k === 'b')).toHaveLength(2);
      // b was built last, by run 2: from the a that stands (run 1's), not the one run 2 planned from.
      const states = await assetStatus(project2, { instance });
      expect(
        states.map((s) => [s.key, s.status]),
        JSON.stringify(states.map((s) => s.causes)),
      ).toEqual([
        ['a', 'fresh'],
        ['c', 'fresh'],
        ['b', 'fresh'],
      ]);
      const [latestA, latestB] = await instance.eventLog.latest(['a', 'b']);
      expect(latestB!.usable!.materialization.inputs.a!.eventId).toBe(latestA!.usable!.id);
    });
});

describe('single-run ranges that overlap across runs', () => {
  it('a range waiting for another run runs only the partitions that run did not do', async () => {
    const instance = tempInstance();
    const ran: string[][] = [];
    const first = gate();
    let calls = 0;
    const vec = asset({
      key: 'vec',
      partitions: dailyPartitions({ start: '2024-01-01', end: '2024-01-11' }),
      backfillPolicy: 'single-run',
      materialize: async (ctx) => {
        ran.push([...ctx.partitions.keys]);
        calls += 1;
        if (calls === 1) await first.promise;
        return new Map(ctx.partitions.keys.map((k) => [k, k]));
      },
    });
    const project = defineProject({ assets: [vec] });
    const one = materialize(project, {
      instance,
      partitions: { from: '2024-01-01', to: '2024-01-06' },
    });
    await until(() => calls === 1);
    const two = materialize(project, { instance });
    // Let run 2 find its range held by run 1.
    await new Promise((resolve) => setTimeout(resolve, 100));
    first.open();
    const results = await Promise.all([one, two]);
    expect(results.map((r) => r.status)).toEqual(['success', 'success']);
    const counts = new Map<string, number>();
    for (const keys of ran) for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    expect(counts.size).toBe(10);
    expect(
      [...counts.values()].every((n) => n === 1),
      JSON.stringify(ran),
    ).toBe(true);
    const states = await assetStatus(project, { instance });
    expect(states.map((s) => s.status)).toEqual(['fresh']);
  });
});

describe('a dead holder whose pid now belongs to another process', () => {
  it('is judged dead by the start of its process, so its lease is taken over and its run closed', async () => {
    const instance = tempInstance();
    // A process alive now, with the pid the dead run had (pids are reused: after a reboot,
    // in a restarted container).
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const hourAgo = Date.now() - 3_600_000;
      // The dead run's process started at another time than the one with its pid now.
      const dead = { runId: 'r-dead', host: hostname(), pid: other.pid!, pidStart: 1 };
      await instance.eventLog.append([
        {
          type: 'run:started',
          ...dead,
          timestamp: hourAgo,
          selection: '*',
          force: false,
          steps: ['root'],
          weirVersion: '0',
        },
      ]);
      await instance.eventLog.startSteps({
        events: [
          {
            type: 'step:started',
            runId: 'r-dead',
            assetKey: 'root',
            partition: '',
            timestamp: hourAgo,
            attempt: 1,
          },
        ],
        expected: [],
      });
      const project = defineProject({ assets: [asset({ key: 'root', materialize: () => 1 })] });
      // It waited for the "live" holder for ever.
      const result = await Promise.race([
        materialize(project, { instance }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('still waiting for the dead holder')), 5_000),
        ),
      ]);
      expect(result.status).toBe('success');
      const [started] = await instance.eventLog.events({
        runId: result.runId,
        types: ['step:started'],
      });
      expect(started).toMatchObject({ tookOver: { runId: 'r-dead' } });
      expect(await instance.recover()).toEqual(['r-dead']);
    } finally {
      other.kill();
    }
  }, 10_000);
});

describe('a run of another thread of this process', () => {
  it('holds its lease: a run in this thread waits for it instead of taking it over', async () => {
    const instance = tempInstance();
    const other = {
      runId: 'r-other-thread',
      host: hostname(),
      pid: process.pid,
      ...(THIS_PROCESS.pidStart === undefined ? {} : { pidStart: THIS_PROCESS.pidStart }),
      threadId: THIS_PROCESS.threadId + 1000,
    };
    await instance.eventLog.append([
      {
        type: 'run:started',
        ...other,
        timestamp: Date.now(),
        selection: '*',
        force: false,
        steps: ['root'],
        weirVersion: '0',
      },
    ]);
    await instance.eventLog.startSteps({
      events: [
        {
          type: 'step:started',
          runId: other.runId,
          assetKey: 'root',
          partition: '',
          timestamp: Date.now(),
          attempt: 1,
        },
      ],
      expected: [],
    });
    let ran = 0;
    const project = defineProject({
      assets: [asset({ key: 'root', materialize: () => ++ran })],
    });
    const result = await materialize(project, { instance, signal: AbortSignal.timeout(500) });
    expect(result.status).toBe('cancelled');
    expect(ran).toBe(0);
    expect(await instance.eventLog.events({ runId: other.runId, types: ['step:failed'] })).toEqual(
      [],
    );
    expect(await instance.recover()).toEqual([]);
  });
});
