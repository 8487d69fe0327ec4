/**
 * What the PostgreSQL log does beyond the conformance suite: clear errors for a server it
 * cannot use, LISTEN/NOTIFY (onAppend, waitForEvents, a dropped listening connection), group
 * commit (issue order, a failing write failing alone), and Weir itself running on it (two
 * instances materializing one project at once: each partition once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asset,
  assetStatus,
  backendProblemOf,
  createInstance,
  Daemon,
  defineProject,
  EnvironmentError,
  LocalArtefactStore,
  many,
  materialize,
  staticPartitions,
  type WeirEvent,
  watchEvents,
} from 'weir';
import { PostgresEventLog } from '../src/index.js';
import { startTestServer, type TestServer } from './_server.js';

let server: TestServer;
let url: string;
let schemas = 0;
const open = (schema = `log_${++schemas}`) =>
  PostgresEventLog.open({ connectionString: url, schema });

beforeAll(async () => {
  server = await startTestServer();
  url = server.url(await server.createDatabase('weir_log'));
});

afterAll(async () => {
  await server?.stop();
});

const started = (runId: string, timestamp = 1, host = 'host'): WeirEvent => ({
  type: 'run:started',
  runId,
  timestamp,
  selection: '*',
  force: false,
  steps: [],
  host,
  pid: 1,
  weirVersion: '0.0.0',
});

const logLine = (runId: string, message: string, timestamp = 2): WeirEvent => ({
  type: 'step:log',
  runId,
  assetKey: 'a',
  partition: '',
  timestamp,
  level: 'info',
  message,
});

async function refusal(promise: Promise<unknown>): Promise<EnvironmentError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EnvironmentError);
  return error as EnvironmentError;
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('connecting', () => {
  it('names the host and port of an unreachable server and what to check', async () => {
    const port = await closedPort();
    const error = await refusal(
      PostgresEventLog.open({ connectionString: `postgres://weir:x@127.0.0.1:${port}/weir` }),
    );
    expect(error.code).toBe('E_STORAGE');
    expect(error.message).toBe(
      `cannot reach the PostgreSQL server at 127.0.0.1:${port}: connection refused`,
    );
    expect(error.hint).toMatch(/running on 127\.0\.0\.1 and listens on port \d+/);
    expect(error.hint).toMatch(/WEIR_DATABASE_URL/);
  });

  it('says which user the server refused, and which database it lacks', async () => {
    const password = await refusal(
      PostgresEventLog.open({
        connectionString: `postgres://weir:wrong@127.0.0.1:${server.port}/postgres`,
      }),
    );
    expect(password.message).toMatch(
      new RegExp(
        `^the PostgreSQL server at 127\\.0\\.0\\.1:${server.port} refused user 'weir' for database 'postgres': password authentication failed`,
      ),
    );
    expect(password.hint).toMatch(/user name and password/);
    const missing = await refusal(
      PostgresEventLog.open({ connectionString: server.url('no_such_database') }),
    );
    expect(missing.message).toBe(
      `the PostgreSQL server at 127.0.0.1:${server.port} has no database 'no_such_database'`,
    );
    expect(missing.hint).toMatch(/createdb no_such_database/);
  });

  it('says a password is missing, which URL (masked), and the three ways to give one', async () => {
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = join(tmpdir(), 'weir-no-such-pgpass');
    try {
      const url = `postgres://weir@127.0.0.1:${server.port}/postgres?sslmode=disable`;
      const error = await refusal(PostgresEventLog.open({ connectionString: url }));
      expect(error.code).toBe('E_STORAGE');
      expect(error.message).toBe(
        `the PostgreSQL server at 127.0.0.1:${server.port} asks for a password for user 'weir' (${url}), and none was given: not in the URL, PGPASSWORD or ~/.pgpass`,
      );
      expect(error.message).not.toMatch(/SASL|SCRAM/);
      expect(error.hint).toContain(`postgres://weir:PASSWORD@127.0.0.1:${server.port}/postgres`);
      expect(error.hint).toMatch(/PGPASSWORD/);
      expect(error.hint).toMatch(/~\/\.pgpass/);
      expect(backendProblemOf(error)).toBe('authentication');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('marks each refusal with its kind, for weir doctor', async () => {
    const port = await closedPort();
    const refused = await refusal(
      PostgresEventLog.open({ connectionString: `postgres://weir:x@127.0.0.1:${port}/weir` }),
    );
    expect(backendProblemOf(refused)).toBe('unreachable');
    const wrong = await refusal(
      PostgresEventLog.open({
        connectionString: `postgres://weir:wrong@127.0.0.1:${server.port}/postgres`,
      }),
    );
    expect(backendProblemOf(wrong)).toBe('authentication');
    const missing = await refusal(
      PostgresEventLog.open({ connectionString: server.url('no_such_database') }),
    );
    expect(backendProblemOf(missing)).toBe('missing');
  });

  it('names a host that does not resolve', async () => {
    const error = await refusal(
      PostgresEventLog.open({ host: 'no-such-host.invalid', port: 5432, connectTimeoutMs: 3000 }),
    );
    expect(error.message).toMatch(/no-such-host\.invalid:5432/);
    expect(error.message).toMatch(/does not resolve/);
  });
});

describe('LISTEN/NOTIFY', () => {
  it('tells onAppend listeners of appends by other connections, with the newest id', async () => {
    const log = await open();
    const other = await PostgresEventLog.open({ connectionString: url, schema: log.schema });
    const elsewhere = await open();
    const heard: number[] = [];
    let wake: () => void = () => {};
    const stop = await log.onAppend((id) => {
      heard.push(id);
      wake();
    });
    const next = () => new Promise<void>((resolve) => (wake = resolve));
    let arrived = next();
    const [first] = await other.append([started('r1')]);
    await arrived;
    expect(heard).toEqual([first!.id]);
    // Another log's appends (another schema) are not this log's.
    await elsewhere.append([started('r1'), started('r2')]);
    arrived = next();
    const batch = await other.append([started('r2'), started('r3')]);
    await arrived;
    expect(heard).toEqual([first!.id, batch[1]!.id]);
    stop();
    await other.append([started('r4')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toHaveLength(2);
    await Promise.all([log.close(), other.close(), elsewhere.close()]);
  });

  it('waitForEvents returns at once when there is news, wakes on an append, and times out', async () => {
    const log = await open();
    const other = await PostgresEventLog.open({ connectionString: url, schema: log.schema });
    const [a] = await other.append([started('r1')]);
    expect(await log.waitForEvents(0, { timeoutMs: 10_000 })).toBe(a!.id);
    const waited = performance.now();
    const waiting = log.waitForEvents(a!.id, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [b] = await other.append([started('r2')]);
    expect(await waiting).toBe(b!.id);
    expect(performance.now() - waited).toBeLessThan(5_000);
    expect(await log.waitForEvents(b!.id, { timeoutMs: 50 })).toBe(b!.id);
    const controller = new AbortController();
    const aborted = log.waitForEvents(b!.id, { signal: controller.signal });
    controller.abort();
    expect(await aborted).toBe(b!.id);
    await Promise.all([log.close(), other.close()]);
  });

  it('watchEvents yields what other connections append, filtered, as it is committed', async () => {
    const log = await open();
    const other = await PostgresEventLog.open({ connectionString: url, schema: log.schema });
    await other.append([started('before')]);
    const controller = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const events of log.watchEvents({
        signal: controller.signal,
        filter: { types: ['run:started'] },
        recheckMs: 60_000,
      })) {
        for (const event of events) if (event.type === 'run:started') seen.push(event.runId);
        if (seen.length === 3) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.append([started('r1'), logLine('r1', 'not a start')]);
    await other.append([started('r2')]);
    await other.append([started('r3')]);
    const deadline = setTimeout(() => controller.abort(), 10_000);
    await watching;
    clearTimeout(deadline);
    expect(seen).toEqual(['r1', 'r2', 'r3']);
    await Promise.all([log.close(), other.close()]);
  });

  it('weir’s own watchers (the server’s live views, the daemon) wait on NOTIFY instead of polling', async () => {
    const log = await open();
    let looks = 0;
    const lastEventId = log.lastEventId.bind(log);
    log.lastEventId = () => {
      looks++;
      return lastEventId();
    };
    const dir = mkdtempSync(join(tmpdir(), 'weir-pg-watch-'));
    const instance = createInstance({ eventLog: log, artefacts: new LocalArtefactStore(dir) });
    const other = await PostgresEventLog.open({ connectionString: url, schema: log.schema });
    const controller = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      for await (const events of watchEvents(instance, { signal: controller.signal })) {
        seen.push(...events.map((e) => e.id));
      }
    })();
    // A second of quiet: polling every 20 ms would look ~50 times; waiting looks once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(looks).toBeLessThanOrEqual(6);
    const appended = performance.now();
    const [event] = await other.append([started('woken')]);
    while (!seen.includes(event!.id) && performance.now() - appended < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(seen).toContain(event!.id);
    expect(performance.now() - appended).toBeLessThan(500);
    controller.abort();
    await watching;
    // The daemon too: idle for a second, it looks only when its passes do.
    looks = 0;
    const stop = new AbortController();
    const daemon = new Daemon(defineProject({ assets: [] }), { instance, signal: stop.signal });
    const running = daemon.run();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    stop.abort();
    await running;
    expect(looks).toBeLessThanOrEqual(25); // polling every 20 ms: about 60
    await Promise.all([log.close(), other.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens again after its connection is dropped, and hands over what was appended meanwhile', async () => {
    const log = await open();
    const heard: number[] = [];
    await log.onAppend((id) => heard.push(id));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN weir_events'",
    );
    await admin.end();
    const other = await PostgresEventLog.open({ connectionString: url, schema: log.schema });
    const [event] = await other.append([started('r1')]);
    const deadline = Date.now() + 10_000;
    while (!heard.includes(event!.id) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(heard).toContain(event!.id);
    await Promise.all([log.close(), other.close()]);
  });
});

describe('group commit', () => {
  it('records writes issued together in issue order, in one transaction', async () => {
    const log = await open();
    await log.append([started('r1')]);
    const appends = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.append([logLine('r1', `${i}a`), logLine('r1', `${i}b`)]),
      ),
    );
    const ids = appends.flat().map((event) => event.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids[ids.length - 1]! - ids[0]!).toBe(ids.length - 1);
    expect((await log.events({ runId: 'r1', types: ['step:log'] })).map((e) => e.id)).toEqual(ids);
    await log.close();
  });

  it('fails a write the server refuses alone, drawing no ids for it', async () => {
    const log = await open();
    const [before] = await log.append([started('r1')]);
    const results = await Promise.allSettled([
      log.append([logLine('r1', 'one')]),
      // Not an integer epoch: the server refuses it.
      log.append([logLine('r1', 'two', 2.5)]),
      log.append([logLine('r1', 'three')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (results[1] as PromiseRejectedResult).reason as EnvironmentError;
    expect(refused).toBeInstanceOf(EnvironmentError);
    expect(refused.message).toMatch(/invalid input syntax for type bigint/);
    const kept = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    expect(kept.map((e) => e.id)).toEqual([before!.id + 1, before!.id + 2]);
    expect(await log.lastEventId()).toBe(before!.id + 2);
    await log.close();
  });

  it('refuses keys that PostgreSQL text cannot hold, saying so', async () => {
    const log = await open();
    const error = await refusal(
      log.append([{ ...logLine('r1', 'x'), assetKey: 'a\0b' } as WeirEvent]),
    );
    expect(error.message).toMatch(/NUL character/);
    expect(await log.lastEventId()).toBe(0);
    await log.close();
  });
});

describe('Weir on PostgreSQL', () => {
  it('takes over the step of a run on another host that stopped renewing its lease, recording why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-pg-ttl-'));
    const report = asset({ key: 'report', codeVersion: 'v1', materialize: () => 42 });
    const project = defineProject({ assets: [report] });
    const log = await open();
    // A run on another machine took the step two minutes ago and has not been heard of since.
    const longAgo = Date.now() - 120_000;
    await log.append([started('elsewhere', longAgo, 'another-host')]);
    const claim = await log.startSteps({
      events: [
        {
          type: 'step:started',
          runId: 'elsewhere',
          assetKey: 'report',
          partition: '',
          timestamp: longAgo,
          attempt: 1,
        },
      ],
      expected: [{ assetKey: 'report', partition: '', materializationId: 0 }],
    });
    expect(claim.status).toBe('started');
    const instance = createInstance({
      eventLog: log,
      artefacts: new LocalArtefactStore(join(dir, 'artefacts')),
    });
    try {
      const result = await materialize(project, { instance });
      expect(result.status).toBe('success');
      const [failed] = await log.events({ runId: 'elsewhere', types: ['step:failed'] });
      expect(failed).toMatchObject({ assetKey: 'report', error: { name: 'ProcessDied' } });
      expect(failed?.type === 'step:failed' && failed.error.message).toMatch(
        /not renewed for 1\d\d s \(host another-host\)/,
      );
      const [taken] = await log.events({ runId: result.runId!, types: ['step:started'] });
      expect(taken?.type === 'step:started' && taken.tookOver?.runId).toBe('elsewhere');
      expect(await log.leases('report', [''])).toEqual([]);
    } finally {
      await instance.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two instances materializing one project at once run each partition once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-pg-e2e-'));
    const ran: string[] = [];
    const regions = staticPartitions(Array.from({ length: 12 }, (_, i) => `r${i}`));
    const perRegion = asset({
      key: 'per_region',
      partitions: regions,
      codeVersion: 'v1',
      materialize: async (ctx) => {
        ran.push(ctx.partition.key);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { region: ctx.partition.key };
      },
    });
    const total = asset({
      key: 'total',
      ins: { perRegion: many(perRegion) },
      codeVersion: 'v1',
      materialize: (_ctx, { perRegion }) => perRegion.size,
    });
    const project = defineProject({ assets: [perRegion, total], concurrency: 3 });
    const schema = `e2e_${++schemas}`;
    const instances = await Promise.all(
      [0, 1].map(async () =>
        createInstance({
          eventLog: await open(schema),
          artefacts: new LocalArtefactStore(join(dir, 'artefacts')),
        }),
      ),
    );
    try {
      const results = await Promise.all(
        instances.map((instance) => materialize(project, { instance })),
      );
      expect(results.map((r) => r.status)).toEqual(['success', 'success']);
      expect([...ran].sort()).toEqual(regions.keys.slice().sort());
      const log = instances[0]!.eventLog;
      const materialized = await log.events({ types: ['asset:materialized'] });
      expect(
        materialized.filter((e) => e.type === 'asset:materialized' && e.assetKey === 'per_region'),
      ).toHaveLength(12);
      const states = await assetStatus(project, { instance: instances[1]! });
      expect(states.map((s) => [s.key, s.status])).toEqual([
        ['per_region', 'fresh'],
        ['total', 'fresh'],
      ]);
      // Nothing stale: nothing runs, nothing is recorded.
      const before = await log.lastEventId();
      expect((await materialize(project, { instance: instances[1]! })).status).toBe(
        'nothing-to-do',
      );
      expect(await log.lastEventId()).toBe(before);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
