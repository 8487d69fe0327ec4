/**
 * The daemon with an injected clock: sensor cursors survive a restart, a failing or hanging
 * sensor is isolated, eager propagation launches one run per change, schedules tick with
 * catch-up, overdue assets are notified, one daemon per instance, pause and resume.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDynamicPartitions,
  asset,
  assetStatus,
  assetValue,
  Daemon,
  type DaemonActivity,
  type DaemonOptions,
  dailyPartitions,
  defineProject,
  dynamicPartitions,
  eager,
  type Instance,
  listRuns,
  many,
  onOverdue,
  type ProjectDefinition,
  removeDynamicPartitions,
  schedule,
  sensor,
  sourceAsset,
  staticPartitions,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');

/** A clock the test moves. */
function clock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

const daemons: Daemon[] = [];
afterEach(async () => {
  for (const daemon of daemons.splice(0)) await daemon.idle();
});

function daemonOf(project: ProjectDefinition, instance: Instance, options: Partial<DaemonOptions>) {
  const daemon = new Daemon(project, { instance, ...options });
  daemons.push(daemon);
  return daemon;
}

/** A local HTTP server that keeps the JSON bodies POSTed to it (the notifications). */
async function hookServer() {
  const received: Array<Record<string, unknown>> = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { received, url, server };
}

/** A source fed by a sensor (`version.current`), and a chain a → b → c, each eager. */
function chainProject(version: { current: string }, calls: string[]) {
  const raw = sourceAsset({ key: 'raw', observe: () => version.current });
  const a = asset({
    key: 'a',
    deps: [raw],
    automation: eager(),
    materialize: () => {
      calls.push('a');
      return version.current;
    },
  });
  const b = asset({
    key: 'b',
    ins: { a },
    automation: eager(),
    materialize: (_ctx, { a: value }) => {
      calls.push('b');
      return `${value}!`;
    },
  });
  const c = asset({
    key: 'c',
    ins: { b },
    automation: eager(),
    materialize: (_ctx, { b: value }) => {
      calls.push('c');
      return `${value}?`;
    },
  });
  const inbox = sensor({
    name: 'inbox',
    interval: '30s',
    poll: (ctx) => ({
      cursor: version.current,
      ...(ctx.cursor === version.current
        ? {}
        : { observations: [{ asset: raw, dataVersion: version.current }] }),
    }),
  });
  return defineProject({ assets: [raw, a, b, c], sensors: [inbox] });
}

describe('the daemon', () => {
  it('polls a sensor at its interval with the cursor it left, and a restarted daemon goes on from it', async () => {
    const instance = tempInstance();
    const seen: Array<string | undefined> = [];
    let n = 0;
    const counter = sensor({
      name: 'counter',
      interval: '1m',
      poll: (ctx) => {
        seen.push(ctx.cursor);
        n += 1;
        return { cursor: `c${n}` };
      },
    });
    const project = defineProject({ assets: [], sensors: [counter] });
    const time = clock();
    const first = daemonOf(project, instance, { now: time.now });
    expect((await first.pass()).sensors.map((e) => e.cursor)).toEqual(['c1']);
    time.advance(30_000);
    expect((await first.pass()).sensors).toEqual([]);
    time.advance(30_000);
    expect((await first.pass()).sensors.map((e) => e.cursor)).toEqual(['c2']);
    // Another process (the first one killed): the cursor comes from the log.
    const second = daemonOf(project, instance, { now: time.now, staleMs: 0 });
    time.advance(60_000);
    expect((await second.pass()).sensors.map((e) => e.cursor)).toEqual(['c3']);
    expect(seen).toEqual([undefined, 'c1', 'c2']);
  });

  it('records a sensor that throws or hangs as a failed tick, keeps its cursor, and the others tick', async () => {
    const instance = tempInstance();
    let fail = false;
    const flaky = sensor({
      name: 'flaky',
      interval: '10s',
      poll: () => {
        if (fail) throw new Error('the API answered 503');
        return { cursor: 'kept' };
      },
    });
    const hanging = sensor({
      name: 'hanging',
      interval: '10s',
      timeout: 50,
      poll: () => new Promise<undefined>(() => {}),
    });
    const fine = sensor({ name: 'fine', interval: '10s', poll: () => ({ cursor: 'ok' }) });
    const project = defineProject({ assets: [], sensors: [flaky, hanging, fine] });
    const time = clock();
    const daemon = daemonOf(project, instance, { now: time.now });
    await daemon.pass();
    fail = true;
    time.advance(10_000);
    const ticks = new Map((await daemon.pass()).sensors.map((e) => [e.name, e]));
    expect(ticks.get('flaky')).toMatchObject({
      outcome: 'failed',
      cursor: 'kept',
      error: { message: 'the API answered 503' },
    });
    expect(ticks.get('hanging')).toMatchObject({ outcome: 'timed-out' });
    expect(ticks.get('hanging')?.error?.message).toMatch(/did not answer within 0.05 s/);
    expect(ticks.get('fine')).toMatchObject({ outcome: 'nothing', cursor: 'ok' });
    const records = await instance.eventLog.automationRecords();
    expect(records.sensors.get('flaky')?.cursor).toBe('kept');
  });

  it('running, does not hold the other sensors back while one is slow to answer', async () => {
    const instance = tempInstance();
    let fastPolls = 0;
    const slow = sensor({
      name: 'slow',
      interval: 100,
      timeout: '5s',
      poll: () => new Promise<undefined>(() => {}),
    });
    const fast = sensor({
      name: 'fast',
      interval: 100,
      poll: () => {
        fastPolls += 1;
        return { cursor: String(fastPolls) };
      },
    });
    const project = defineProject({ assets: [], sensors: [slow, fast] });
    const stop = new AbortController();
    const daemon = daemonOf(project, instance, { signal: stop.signal });
    const running = daemon.run();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stop.abort();
    const stopping = Date.now();
    await running;
    expect(fastPolls).toBeGreaterThanOrEqual(4);
    // Stopping does not wait for the slow one's timeout, and records no failed tick for it:
    // it did not fail, it was stopped.
    expect(Date.now() - stopping).toBeLessThan(2_000);
    const records = await instance.eventLog.automationRecords();
    expect(records.sensors.has('slow')).toBe(false);
    expect(records.sensors.get('fast')?.cursor).toBe(String(fastPolls));
  });

  it('propagates a change eagerly over three levels in one run, and launches nothing when nothing changed', async () => {
    const instance = tempInstance();
    const version = { current: 'v1' };
    const calls: string[] = [];
    const project = chainProject(version, calls);
    const time = clock();
    const daemon = daemonOf(project, instance, { now: time.now });
    const first = await daemon.pass();
    expect(first.sensors[0]?.observations).toBe(1);
    expect(first.evaluations.filter((e) => e.count > 0).map((e) => e.assetKey)).toEqual([
      'a',
      'b',
      'c',
    ]);
    await daemon.idle();
    expect(calls).toEqual(['a', 'b', 'c']);
    const runs = await listRuns(instance);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.started.trigger).toMatchObject({ kind: 'condition', name: 'a' });

    // Nothing changed: passes launch nothing.
    time.advance(30_000);
    await daemon.pass();
    await daemon.idle();
    expect(await listRuns(instance)).toHaveLength(1);

    // One change: one run again.
    version.current = 'v2';
    time.advance(30_000);
    await daemon.pass();
    await daemon.idle();
    await daemon.pass();
    await daemon.idle();
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(await listRuns(instance)).toHaveLength(2);
  });

  it('is one daemon per instance: another stands by, and takes over when the first stops renewing', async () => {
    const instance = tempInstance();
    const version = { current: 'v1' };
    const calls: string[] = [];
    const project = chainProject(version, calls);
    const time = clock();
    const one = daemonOf(project, instance, { now: time.now, staleMs: 60_000 });
    const two = daemonOf(project, instance, { now: time.now, staleMs: 60_000 });
    expect((await one.pass()).leader).toBe(true);
    expect((await two.pass()).leader).toBe(false);
    await one.idle();
    expect(calls).toEqual(['a', 'b', 'c']);
    time.advance(61_000);
    version.current = 'v2';
    const took = await two.pass();
    expect(took.leader).toBe(true);
    await two.idle();
    expect((await one.pass()).leader).toBe(false);
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('a daemon standing by says so, and waits between looks instead of claiming the role in a loop', async () => {
    const instance = tempInstance();
    const project = chainProject({ current: 'v1' }, []);
    const one = daemonOf(project, instance, {});
    expect((await one.pass()).leader).toBe(true);
    // The second daemon's log, counting its claims of the role (the real log underneath).
    let claims = 0;
    const eventLog = new Proxy(instance.eventLog, {
      get(target, name, receiver) {
        if (name === 'claimRole') claims += 1;
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const stop = new AbortController();
    const activities: DaemonActivity[] = [];
    const two = daemonOf(
      project,
      { ...instance, eventLog },
      { signal: stop.signal, onActivity: (a) => activities.push(a) },
    );
    const running = two.run();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stop.abort();
    await running;
    expect(activities[0]).toMatchObject({ type: 'standing', leader: false });
    expect(claims).toBeLessThanOrEqual(2);
  });

  it('runs a schedule tick once, catching up the missed ticks its rule asks for', async () => {
    const instance = tempInstance();
    let built = 0;
    const report = asset({
      key: 'report',
      codeVersion: 'v1',
      materialize: () => {
        built += 1;
        return built;
      },
    });
    const hourly = schedule({ name: 'hourly', cron: '0 * * * *', selection: [report] });
    const project = defineProject({ assets: [report], schedules: [hourly] });
    const time = clock(Date.parse('2026-11-20T09:59:00Z'));
    const daemon = daemonOf(project, instance, { now: time.now });
    expect((await daemon.pass()).schedules).toEqual([]);
    time.advance(60_000);
    const ticked = (await daemon.pass()).schedules;
    expect(ticked.map((e) => new Date(e.tick).toISOString())).toEqual(['2026-11-20T10:00:00.000Z']);
    await daemon.idle();
    expect(built).toBe(1);
    expect((await daemon.pass()).schedules).toEqual([]);
    // Down for three hours: 'latest' (the default) runs the newest missed tick only.
    time.advance(3 * 3_600_000 + 60_000);
    const caught = (await daemon.pass()).schedules;
    expect(caught.map((e) => new Date(e.tick).toISOString())).toEqual(['2026-11-20T13:00:00.000Z']);
    await daemon.idle();
    // The report was up to date: a tick runs what is stale, as `weir materialize` does.
    expect(built).toBe(1);
  });

  it("catches up every missed tick across the change to summer time with catchUp 'all', each for its own day", async () => {
    const instance = tempInstance();
    const built: string[] = [];
    const days = dailyPartitions({ start: '2026-03-01', timezone: 'Europe/Berlin' });
    const daily = asset({
      key: 'daily',
      partitions: days,
      materialize: (ctx) => {
        built.push(ctx.partition.key);
        return ctx.partition.key;
      },
    });
    const nightly = schedule({
      name: 'nightly',
      cron: '30 2 * * *', // 02:30 does not exist in Berlin on 2026-03-29
      timezone: 'Europe/Berlin',
      selection: [daily],
      partition: 'previous-window',
      catchUp: 'all',
    });
    const project = defineProject({ assets: [daily], schedules: [nightly] });
    const time = clock(Date.parse('2026-03-27T12:00:00Z'));
    const daemon = daemonOf(project, instance, { now: time.now });
    expect((await daemon.pass()).schedules).toEqual([]);
    time.advance(4 * 86_400_000); // down until 2026-03-31 12:00Z
    const ticks = (await daemon.pass()).schedules;
    await daemon.idle();
    expect(ticks.map((e) => new Date(e.tick).toISOString())).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // the gap: the first instant after it, 03:00 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
    expect(built.sort()).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30']);
    expect((await daemon.pass()).schedules).toEqual([]);
  });

  it('does not wait for a free run slot to record a tick: a full queue holds back no pass', async () => {
    const instance = tempInstance();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let built = 0;
    const slow = asset({ key: 'slow', materialize: async () => released.then(() => 1) });
    const report = asset({
      key: 'report',
      materialize: () => {
        built += 1;
        return built;
      },
    });
    const kick = sensor({
      name: 'kick',
      interval: '1h',
      poll: () => ({ cursor: 'kicked', runs: [{ selection: 'slow' }] }),
    });
    const hourly = schedule({ name: 'hourly', cron: '0 * * * *', selection: [report] });
    const project = defineProject({ assets: [slow, report], sensors: [kick], schedules: [hourly] });
    const time = clock(Date.parse('2026-11-20T09:59:30Z'));
    const daemon = daemonOf(project, instance, { now: time.now, maxRuns: 1 });
    await daemon.pass(); // the sensor's run of `slow` takes the only slot
    time.advance(60_000);
    const started = performance.now();
    const { schedules } = await daemon.pass();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(schedules.map((e) => e.runIds)).toEqual([[]]); // queued, not yet started
    release();
    await daemon.idle();
    expect(built).toBe(1);
  });

  it('notifies an overdue asset once, and its recovery', async () => {
    const { received, url, server } = await hookServer();
    try {
      const instance = tempInstance();
      const daily = asset({
        key: 'daily',
        freshness: { maxLag: '1h' },
        onOverdue: { url },
        materialize: () => 1,
      });
      const project = defineProject({ assets: [daily] });
      const time = clock();
      const { materialize } = await import('../src/index.js');
      await materialize(project, { instance });
      const daemon = daemonOf(project, instance, { now: () => Date.now() + time.now() - T0 });
      await daemon.pass();
      await daemon.idle();
      expect(received).toEqual([]);
      time.advance(2 * 3_600_000);
      const overdue = await daemon.pass();
      expect(overdue.freshness.map((e) => e.freshness.status)).toEqual(['overdue']);
      await daemon.idle();
      expect(received).toMatchObject([{ kind: 'overdue', assetKey: 'daily' }]);
      time.advance(60_000);
      expect((await daemon.pass()).freshness).toEqual([]);
      await daemon.idle();
      expect(received).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('with a freshness policy per partition, notifies each partition that becomes overdue, and its recovery', async () => {
    const { received, url, server } = await hookServer();
    try {
      const instance = tempInstance();
      const versions = new Map([
        ['dcyf', 'd1'],
        ['sfhsa', 's1'],
      ]);
      const feed = sourceAsset({
        key: 'agency_feed',
        partitions: dynamicPartitions('agencies'),
        freshness: {
          partitions: (agency) => (agency === 'dcyf' ? { maxLag: '30d' } : { maxLag: '1h' }),
        },
        onOverdue: { url },
        observe: (ctx) => versions.get(ctx.partition.key)!,
      });
      const project = defineProject({ assets: [feed] });
      await addDynamicPartitions(instance, 'agencies', ['dcyf', 'sfhsa']);
      const { materialize } = await import('../src/index.js');
      await materialize(project, { instance });
      const time = clock();
      const daemon = daemonOf(project, instance, { now: () => Date.now() + time.now() - T0 });
      await daemon.pass();
      await daemon.idle();
      expect(received).toEqual([]);
      time.advance(2 * 3_600_000);
      const overdue = await daemon.pass();
      expect(overdue.freshness.map((e) => [e.partition, e.freshness.status])).toEqual([
        ['', 'overdue'],
        ['sfhsa', 'overdue'],
      ]);
      await daemon.idle();
      expect(received).toMatchObject([
        { kind: 'overdue', assetKey: 'agency_feed', partition: 'sfhsa' },
      ]);
      expect(String(received[0]!.message)).toMatch(
        /^agency_feed\[sfhsa\] is overdue: last changed 2h ago/,
      );
      time.advance(60_000);
      // The agency delivers, observed at the daemon's time.
      await instance.eventLog.append([
        {
          type: 'asset:observed',
          assetKey: 'agency_feed',
          partition: 'sfhsa',
          timestamp: Date.now() + time.now() - T0,
          observation: { dataVersion: 's2', metadata: {} },
        },
      ]);
      await daemon.pass();
      await daemon.idle();
      expect(received.map((r) => [r.kind, r.partition])).toEqual([
        ['overdue', 'sfhsa'],
        ['recovered', 'sfhsa'],
      ]);
    } finally {
      server.close();
    }
  });

  it('with a freshness policy per partition, onOverdue() recomputes only the overdue partitions', async () => {
    const instance = tempInstance();
    const built: string[] = [];
    const report = asset({
      key: 'report',
      partitions: staticPartitions(['hourly', 'monthly']),
      freshness: {
        partitions: (key) => (key === 'hourly' ? { maxLag: '1h' } : { maxLag: '30d' }),
      },
      automation: onOverdue(),
      materialize: (ctx) => {
        built.push(ctx.partition.key);
        return built.length;
      },
    });
    const project = defineProject({ assets: [report] });
    const { materialize } = await import('../src/index.js');
    await materialize(project, { instance });
    const time = clock();
    const daemon = daemonOf(project, instance, { now: () => Date.now() + time.now() - T0 });
    await daemon.pass();
    await daemon.idle();
    expect(built.sort()).toEqual(['hourly', 'monthly']);
    time.advance(2 * 3_600_000);
    await daemon.pass();
    await daemon.idle();
    expect(built.slice(2)).toEqual(['hourly']);
  });

  it('records a tick that found nothing and kept its cursor only once, however often the sensor is polled', async () => {
    const instance = tempInstance();
    let polls = 0;
    const quiet = sensor({
      name: 'quiet',
      interval: '1s',
      poll: () => {
        polls += 1;
        return { cursor: 'same' };
      },
    });
    const project = defineProject({ assets: [], sensors: [quiet] });
    const time = clock();
    const daemon = daemonOf(project, instance, { now: time.now });
    for (let i = 0; i < 5; i++) {
      await daemon.pass();
      // Not due again before its interval, although the quiet tick was not recorded.
      time.advance(500);
      await daemon.pass();
      time.advance(500);
    }
    expect(polls).toBe(5);
    expect(await instance.eventLog.events({ types: ['sensor:ticked'] })).toHaveLength(1);
  });

  it('resumes once a run it launched whose process died, so its requests are not lost', async () => {
    const instance = tempInstance();
    const version = { current: 'v1' };
    const calls: string[] = [];
    const project = chainProject(version, calls);
    // A daemon launched a run for the chain, and was killed (its pid is gone) before any step.
    await instance.eventLog.append([
      {
        type: 'run:started',
        runId: 'r-killed',
        timestamp: Date.now(),
        selection: 'a,b,c',
        force: false,
        steps: ['a', 'b', 'c'],
        host: hostname(),
        pid: 2 ** 22 + 12_345,
        weirVersion: 'test',
        trigger: { kind: 'condition', name: 'a', reason: 'a requested: eager' },
      },
    ]);
    const time = clock();
    const daemon = daemonOf(project, instance, { now: time.now });
    await daemon.pass();
    await daemon.idle();
    const runs = await listRuns(instance);
    const resumed = runs.filter((r) =>
      r.started.trigger?.reason.startsWith('resuming run r-killed'),
    );
    expect(resumed).toHaveLength(1);
    expect(runs.find((r) => r.runId === 'r-killed')?.status).toBe('crashed');
    expect(calls.filter((c) => c === 'c')).toHaveLength(1);
    // Resumed once: a later pass (or another daemon) does not resume it again.
    time.advance(10_000);
    await daemon.pass();
    await daemon.idle();
    const again = daemonOf(project, instance, { now: time.now, staleMs: 0 });
    time.advance(10_000);
    await again.pass();
    await again.idle();
    expect(
      (await listRuns(instance)).filter((r) =>
        r.started.trigger?.reason.startsWith('resuming run r-killed'),
      ),
    ).toHaveLength(1);
  });

  it('recomputes an asset whose onOverdue() condition requested it, although nothing upstream changed', async () => {
    const instance = tempInstance();
    let built = 0;
    const daily = asset({
      key: 'daily',
      freshness: { maxLag: '1h' },
      automation: onOverdue(),
      materialize: () => {
        built += 1;
        return built;
      },
    });
    const project = defineProject({ assets: [daily] });
    const { materialize } = await import('../src/index.js');
    await materialize(project, { instance });
    const time = clock();
    const daemon = daemonOf(project, instance, { now: () => Date.now() + time.now() - T0 });
    await daemon.pass();
    await daemon.idle();
    expect(built).toBe(1);
    time.advance(2 * 3_600_000);
    await daemon.pass();
    await daemon.idle();
    expect(built).toBe(2);
    const runs = await listRuns(instance);
    expect(runs[0]?.started.force).toBe(true);
  });

  it('brings a reader up to date when a partition it read is removed (nothing new upstream, but what it read moved)', async () => {
    const instance = tempInstance();
    const files = dynamicPartitions('files');
    const rows = asset({
      key: 'rows',
      partitions: files,
      automation: eager(),
      materialize: (ctx) => ctx.partition.key,
    });
    const total = asset({
      key: 'total',
      ins: { rows: many(rows) },
      automation: eager(),
      materialize: (_ctx, { rows: all }) => [...all.values()].join(','),
    });
    const project = defineProject({ assets: [rows, total] });
    const time = clock();
    const daemon = daemonOf(project, instance, { now: time.now });
    await addDynamicPartitions(instance, 'files', ['a', 'b']);
    for (let i = 0; i < 3; i++) {
      await daemon.pass();
      await daemon.idle();
    }
    expect((await assetValue(project, { key: 'total', instance })).value).toBe('a,b');
    await removeDynamicPartitions(instance, 'files', ['b']);
    for (let i = 0; i < 3; i++) {
      await daemon.pass();
      await daemon.idle();
    }
    expect((await assetValue(project, { key: 'total', instance })).value).toBe('a');
    const status = await assetStatus(project, { instance, observe: false });
    expect(status.map((s) => [s.key, s.status])).toEqual([
      ['rows', 'fresh'],
      ['total', 'fresh'],
    ]);
  });

  it('observes a source with observeEvery on its cadence, and what reads it follows', async () => {
    const instance = tempInstance();
    const version = { current: 'v1' };
    let observations = 0;
    const feed = sourceAsset({
      key: 'feed',
      observeEvery: '10s',
      observe: () => {
        observations += 1;
        return version.current;
      },
    });
    const copy = asset({
      key: 'copy',
      deps: [feed],
      automation: eager(),
      materialize: () => version.current,
    });
    const project = defineProject({ assets: [feed, copy] });
    const time = clock();
    const daemon = daemonOf(project, instance, { now: time.now });
    const first = await daemon.pass();
    expect(first.observed.map((e) => e.observation.dataVersion)).toEqual(['v1']);
    await daemon.idle();
    version.current = 'v2';
    const before = observations;
    time.advance(5_000);
    expect((await daemon.pass()).observed).toEqual([]);
    expect(observations).toBe(before); // not due yet: not even looked at
    time.advance(5_000);
    expect((await daemon.pass()).observed.map((e) => e.observation.dataVersion)).toEqual(['v2']);
    await daemon.idle();
    await daemon.pass();
    await daemon.idle();
    expect((await assetValue(project, { key: 'copy', instance })).value).toBe('v2');
  });

  it("tells the project's onFailure when a sensor starts failing, once, not at every failed tick", async () => {
    const { received, url, server } = await hookServer();
    try {
      const instance = tempInstance();
      let failing = true;
      const broken = sensor({
        name: 'api',
        interval: '1s',
        poll: () => {
          if (failing) throw new Error('the API answered 503');
          return undefined;
        },
      });
      const project = defineProject({
        assets: [],
        sensors: [broken],
        notifications: { onFailure: { url } },
      });
      const time = clock();
      const daemon = daemonOf(project, instance, { now: time.now });
      for (let i = 0; i < 3; i++) {
        await daemon.pass();
        time.advance(1_000);
      }
      await daemon.idle();
      expect(received).toMatchObject([
        { kind: 'failure', sensor: 'api', message: 'sensor api failed: the API answered 503' },
      ]);
      // It recovers (recorded once), then fails again: a second spell, a second notification.
      failing = false;
      await daemon.pass();
      time.advance(1_000);
      await daemon.pass();
      time.advance(1_000);
      failing = true;
      await daemon.pass();
      await daemon.idle();
      expect(received).toHaveLength(2);
      const ticks = await instance.eventLog.events({ types: ['sensor:ticked'] });
      expect(ticks.map((e) => (e as { outcome: string }).outcome)).toEqual([
        'failed',
        'failed',
        'failed',
        'nothing',
        'failed',
      ]);
    } finally {
      server.close();
    }
  });

  it('skips a paused sensor until it is resumed', async () => {
    const instance = tempInstance();
    let polls = 0;
    const counter = sensor({
      name: 'counter',
      interval: '1s',
      poll: () => {
        polls += 1;
        return undefined;
      },
    });
    const project = defineProject({ assets: [], sensors: [counter] });
    const time = clock();
    const daemon = daemonOf(project, instance, { now: time.now });
    await instance.eventLog.append([
      { type: 'automation:paused', name: 'counter', timestamp: time.now() },
    ]);
    await daemon.pass();
    expect(polls).toBe(0);
    await instance.eventLog.append([
      { type: 'automation:resumed', name: 'counter', timestamp: time.now() },
    ]);
    time.advance(1_000);
    await daemon.pass();
    expect(polls).toBe(1);
  });
});
