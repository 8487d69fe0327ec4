/**
 * Code locations on PostgreSQL + S3 (a real server of each, started here): the instance is
 * named only in the project's `weir.instance.ts`, which a location's process never reads, so
 * its steps (and `weir check` of its assets) can only record into it because the project hands
 * the resolved instance to them.
 * Nothing is written to an embedded instance anywhere.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../postgres/test/_server.js';
import { type TestServer as S3Server, startS3rver } from '../../s3/test/_server.js';
import { projectDir } from './cli-helpers.js';

const WEIR = fileURLToPath(new URL('../bin/weir.js', import.meta.url));

/** `weir ARGS`, never spawnSync: s3rver answers from this process's event loop. */
function weir(dir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const child: ChildProcess = spawn(process.execPath, [WEIR, ...args], {
    cwd: dir,
    env: {
      ...process.env,
      NO_COLOR: '1',
      WEIR_DATABASE_URL: '',
      WEIR_ARTEFACTS: '',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, out })));
}

describe('code locations on PostgreSQL and S3', () => {
  let postgres: TestServer | undefined;
  let s3: S3Server | undefined;
  let dir: string;

  beforeAll(async () => {
    [postgres, s3] = await Promise.all([startTestServer(), startS3rver('weir-locations')]);
    const database = await postgres.createDatabase('locations');
    dir = projectDir({
      'weir.config.ts': `import { defineProject } from 'weir';\nexport default defineProject({ assets: [], locations: { prep: './prep', ml: './ml' } });\n`,
      'weir.instance.ts': `export default ${JSON.stringify({
        database: postgres.url(database),
        artefacts: 's3://weir-locations/project/',
        s3: { endpoint: s3.endpoint },
      })};\n`,
      'prep/package.json': JSON.stringify({ name: 'prep', type: 'module' }),
      'prep/weir.config.ts': `import { asset, defineProject } from 'weir';
export const numbers = asset({ key: 'prep/numbers', materialize: () => [1, 2, 3] });
export default defineProject({ assets: [numbers] });
`,
      'ml/package.json': JSON.stringify({ name: 'ml', type: 'module' }),
      'ml/weir.config.ts': `import { asset, check, defineProject, externalAsset } from 'weir';
const numbers = externalAsset<number[]>('prep/numbers');
const sum = asset({
  key: 'ml/sum',
  ins: { numbers },
  checks: [check({ name: 'six', evaluate: (_ctx, total: number) => total === 6 })],
  materialize: (ctx, { numbers }) => numbers.reduce((a, b) => a + b, 0),
});
export default defineProject({ assets: [numbers, sum] });
`,
    });
  }, 120_000);

  afterAll(async () => {
    await postgres?.stop();
    await s3?.stop();
  });

  it('runs each location’s steps against the project’s instance', async () => {
    const run = await weir(dir, 'materialize');
    expect(run.code, run.out).toBe(0);
    const value = await weir(dir, 'value', 'ml/sum', '--json');
    expect(value.code, value.out).toBe(0);
    expect(JSON.parse(value.out).value).toBe(6);
    expect((await weir(dir, 'materialize')).out).toMatch(/Nothing to do/);
    // weir check evaluates ml/sum's check in ml's process, which reads the value from S3.
    const checked = await weir(dir, 'check', 'ml/sum');
    expect(checked.code, checked.out).toBe(0);
    expect(checked.out).toMatch(/ml\/sum +six +passed/);
    const doctor = await weir(dir, 'doctor');
    expect(doctor.out).toMatch(/postgres/i);
    for (const folder of ['.', 'prep', 'ml']) {
      expect(existsSync(join(dir, folder, '.weir', 'events.db'))).toBe(false);
      expect(existsSync(join(dir, folder, '.weir', 'artefacts'))).toBe(false);
    }
  }, 120_000);
});
