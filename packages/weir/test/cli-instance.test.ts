/**
 * The instance a `weir` command uses, through the CLI: `weir.instance.ts` and the project's
 * `instance` field move the event log and the artefacts, the environment overrides both,
 * `weir doctor` says which instance it is and where each part comes from, and what is wrong is
 * said plainly (a misspelt setting, a server that does not answer, a backend not installed),
 * never as an internal error. (PostgreSQL and S3 servers that do answer: the social-services
 * example's instances.test.ts.)
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, projectDir, weir } from './cli-helpers.js';

const CONFIG = `
import { asset, defineProject } from 'weir';
const numbers = asset({ key: 'numbers', materialize: () => [1, 2, 3] });
const doubled = asset({ key: 'doubled', ins: { numbers }, materialize: (_ctx, { numbers }) => numbers.map((n) => n * 2) });
export default defineProject({ assets: [numbers, doubled] });
`;

const WEIR = fileURLToPath(new URL('../bin/weir.js', import.meta.url));

/** `weir ARGS` with variables added to the environment (or removed: undefined). */
function weirWith(
  env: Record<string, string | undefined>,
  cwd: string,
  ...args: string[]
): CliResult {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const result = spawnSync(process.execPath, [WEIR, ...args], {
    cwd,
    encoding: 'utf8',
    env: merged,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Said as an error, with no stack and not as a bug. */
function plainError(result: CliResult): void {
  expect(result.stderr).toMatch(/^error: /m);
  expect(result.stderr).not.toMatch(/internal error|This is a bug/);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

let closedPort = 0;
beforeAll(async () => {
  // A port nothing listens on: taken, then given back.
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
});

describe('weir.instance.ts and the project instance field', () => {
  it('move the event log and the artefacts; the environment overrides them', () => {
    const dir = projectDir({
      'weir.config.ts': CONFIG,
      'weir.instance.ts': `import type { InstanceSettings } from 'weir';
import { join } from 'node:path';
import { folder } from './where.js';
export default { database: \`sqlite:\${join(folder, 'log.db')}\`, artefacts: 'store' } satisfies InstanceSettings;
`,
      'where.ts': `export const folder = 'state';\n`,
    });
    const first = weir(dir, 'materialize');
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(dir, 'state', 'log.db'))).toBe(true);
    expect(existsSync(join(dir, 'store', 'objects'))).toBe(true);
    expect(existsSync(join(dir, '.weir', 'events.db'))).toBe(false);
    expect(weir(dir, 'materialize').stdout).toContain('Nothing to do');

    const doctor = weir(dir, 'doctor');
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain('instance: configured');
    expect(doctor.stdout).toMatch(/event log +state\/log\.db +from weir\.instance\.ts database/);
    expect(doctor.stdout).toMatch(/artefacts +store +from weir\.instance\.ts artefacts/);
    expect(doctor.stdout).toMatch(/event log state\/log\.db: healthy \(\d+ events\)/);

    // The environment wins: a new, empty log, so everything is missing there.
    const other = weirWith({ WEIR_DATABASE_URL: 'sqlite:other.db' }, dir, 'status');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toMatch(/doubled +missing/);
    expect(existsSync(join(dir, 'other.db'))).toBe(true);
  });

  it('is read from the project when there is no instance file', () => {
    const dir = projectDir({
      'weir.config.ts': CONFIG.replace(
        'assets: [numbers, doubled] }',
        "assets: [numbers, doubled], instance: { dir: 'var', artefacts: 'blobs' } }",
      ),
    });
    expect(weir(dir, 'materialize').code).toBe(0);
    expect(existsSync(join(dir, 'var', 'events.db'))).toBe(true);
    expect(existsSync(join(dir, 'blobs', 'objects'))).toBe(true);
    const doctor = weir(dir, 'doctor', '--json');
    const report = JSON.parse(doctor.stdout) as {
      healthy: boolean;
      instance: { embedded: boolean };
    };
    expect(report).toMatchObject({ healthy: true, instance: { embedded: false } });
  });

  it('names a misspelt setting, where it is, and the right name', () => {
    const inProject = projectDir({
      'weir.config.ts': CONFIG.replace(
        'assets: [numbers, doubled] }',
        "assets: [numbers, doubled], instance: { databse: 'x.db' } }",
      ),
    });
    const result = weir(inProject, 'status');
    expect(result.code).toBe(2);
    plainError(result);
    expect(result.stderr).toContain("error: weir.config.ts instance: unknown setting 'databse'");
    expect(result.stderr).toContain("hint: did you mean 'database'?");

    const inFile = projectDir({
      'weir.config.ts': CONFIG,
      'weir.instance.ts':
        "export default { artefacts: 's3://bucket', s3: { regoin: 'eu-west-1' } };\n",
    });
    const fromFile = weir(inFile, 'materialize');
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain("weir.instance.ts s3: unknown setting 'regoin'");
    expect(fromFile.stderr).toContain("did you mean 'region'?");
  });

  it('may be JavaScript, and only one of them', () => {
    const dir = projectDir({
      'weir.config.ts': CONFIG,
      'weir.instance.mjs': "export default { dir: 'mjs-state' };\n",
    });
    expect(weir(dir, 'materialize').code).toBe(0);
    expect(existsSync(join(dir, 'mjs-state', 'events.db'))).toBe(true);
    writeFileSync(join(dir, 'weir.instance.ts'), "export default { dir: 'ts-state' };\n");
    const both = weir(dir, 'status');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      'error: weir.instance.ts and weir.instance.mjs both configure the instance',
    );
  });

  it('says when the instance file does not load', () => {
    const dir = projectDir({
      'weir.config.ts': CONFIG,
      'weir.instance.ts': "export const database = 'x.db';\n",
    });
    const result = weir(dir, 'status');
    expect(result.code).toBe(2);
    plainError(result);
    expect(result.stderr).toMatch(/weir\.instance\.ts has no default export/);
  });
});

describe('a server that does not answer', () => {
  it('PostgreSQL: every command says which server and what to check, exit 1', () => {
    const dir = projectDir({ 'weir.config.ts': CONFIG });
    const env = { WEIR_DATABASE_URL: `postgres://weir:secret@127.0.0.1:${closedPort}/weir` };
    for (const args of [['status'], ['materialize']]) {
      const result = weirWith(env, dir, ...args);
      expect(result.code, result.stderr).toBe(1);
      plainError(result);
      expect(result.stderr).toContain(
        `error: cannot reach the PostgreSQL server at 127.0.0.1:${closedPort}: connection refused`,
      );
      expect(result.stderr).toMatch(/hint: check that PostgreSQL is running on 127\.0\.0\.1/);
      expect(result.stderr).not.toContain('secret');
    }
    const doctor = weirWith(env, dir, 'doctor');
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(
      `event log postgres://weir@127.0.0.1:${closedPort}/weir (schema weir): unreachable`,
    );
    expect(doctor.stdout).toContain('from WEIR_DATABASE_URL');
    expect(doctor.stdout).not.toContain('secret');
  });

  it('S3: the endpoint is named, exit 1; status answers from the event log with a warning', () => {
    const dir = projectDir({ 'weir.config.ts': CONFIG });
    const env = {
      WEIR_ARTEFACTS: 's3://weir/prod',
      WEIR_S3_ENDPOINT: `http://127.0.0.1:${closedPort}`,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
    };
    const result = weirWith(env, dir, 'materialize');
    expect(result.code, result.stderr).toBe(1);
    plainError(result);
    expect(result.stderr).toContain(`cannot reach the S3 endpoint 127.0.0.1:${closedPort}`);
    // The event log is the truth: status reads it and says the artefacts went unchecked.
    const status = weirWith(env, dir, 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/numbers +missing/);
    expect(status.stderr).toContain(
      `warning: artefacts were not checked (status is from the event log alone): cannot reach the S3 endpoint 127.0.0.1:${closedPort}`,
    );
    expect(status.stderr).toMatch(/hint: check that the S3 server at 127\.0\.0\.1:\d+ is running/);
    expect(status.stderr).not.toMatch(/NodeVersionSupportWarning|^\s+at /m);
    const json = weirWith(env, dir, 'status', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveLength(2);
    const doctor = weirWith(env, dir, 'doctor');
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /artefacts s3:\/\/weir\/prod\/ at http:\/\/127\.0\.0\.1:\d+: unreachable/,
    );
    expect(doctor.stdout).toMatch(/event log \.weir\/events\.db/);

    // AWS itself, with no region anywhere.
    const noRegion = weirWith(
      {
        ...env,
        WEIR_S3_ENDPOINT: undefined,
        AWS_REGION: undefined,
        AWS_DEFAULT_REGION: undefined,
        AWS_PROFILE: undefined,
        AWS_CONFIG_FILE: '/nonexistent',
      },
      dir,
      'status',
    );
    expect(noRegion.code).toBe(1);
    plainError(noRegion);
    expect(noRegion.stderr).toContain(
      'the S3 store s3://weir/prod/ (WEIR_ARTEFACTS) has no region',
    );
  });
});

describe('a backend the project has not installed', () => {
  const outside = mkdtempSync(join(tmpdir(), 'weir-no-backends-'));
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('says which package to install, and where', () => {
    // Outside the workspace: weir is installed (linked), @weir/postgres and @weir/s3 are not.
    mkdirSync(join(outside, 'node_modules'));
    symlinkSync(
      fileURLToPath(new URL('..', import.meta.url)),
      join(outside, 'node_modules', 'weir'),
    );
    writeFileSync(join(outside, 'weir.config.ts'), CONFIG);
    const pg = weirWith({ WEIR_DATABASE_URL: 'postgres://localhost/weir' }, outside, 'status');
    expect(pg.code).toBe(1);
    plainError(pg);
    expect(pg.stderr).toContain(
      'error: WEIR_DATABASE_URL is a PostgreSQL URL: install @weir/postgres in the project (it is looked up from',
    );
    const s3 = weirWith({ WEIR_ARTEFACTS: 's3://bucket/x' }, outside, 'status');
    expect(s3.code).toBe(1);
    expect(s3.stderr).toContain(
      'error: WEIR_ARTEFACTS is an S3 URL: install @weir/s3 in the project (it is looked up from',
    );
    // Not `npm install @weir/s3`, which fails with a 404: the way that works.
    expect(s3.stderr).toMatch(
      /hint: @weir\/s3 is not on the npm registry: .*npm pack -w packages\/s3/,
    );
  });
});
