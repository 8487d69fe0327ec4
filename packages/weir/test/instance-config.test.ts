/**
 * Instance configuration (instance/config.ts): which source wins, how each form of the event
 * log and the artefact store is read, and the errors for what is malformed, each naming its
 * source and the form expected.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type InstanceSources, resolveInstanceConfig } from '../src/instance/index.js';

const root = mkdtempSync(join(tmpdir(), 'weir-instance-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const projectFile = join(root, 'weir.config.ts');

function resolveWith(sources: Partial<InstanceSources>) {
  return resolveInstanceConfig({ projectFile, env: {}, ...sources });
}

function failure(sources: Partial<InstanceSources>): {
  code: string;
  message: string;
  hint?: string;
} {
  try {
    resolveWith(sources);
  } catch (error) {
    return error as { code: string; message: string; hint?: string };
  }
  throw new Error('resolved without an error');
}

const PG = 'postgres://weir:s%40cret@db.internal:6543/analytics';

describe('the instance configuration', () => {
  it('is the embedded instance beside the project file by default', () => {
    const config = resolveWith({});
    expect(config).toMatchObject({
      dir: join(root, '.weir'),
      embedded: true,
      eventLog: { kind: 'sqlite', path: join(root, '.weir', 'events.db'), from: 'the default' },
      artefacts: { kind: 'local', path: join(root, '.weir', 'artefacts'), from: 'the default' },
    });
    // The project's dir moves the whole embedded instance.
    expect(resolveWith({ project: { dir: 'state' } })).toMatchObject({
      dir: join(root, 'state'),
      embedded: true,
    });
  });

  it('takes each setting from the environment, then weir.instance.ts, then the project', () => {
    const file = {
      path: join(root, 'weir.instance.ts'),
      settings: {
        database: 'sqlite:file.db',
        artefacts: 'file-artefacts',
        postgres: { schema: 'from_file' },
      },
    };
    const project = { database: 'project.db', artefacts: 'project-artefacts', dir: 'state' };
    const fromFile = resolveWith({ file, project });
    expect(fromFile.eventLog).toEqual({
      kind: 'sqlite',
      path: join(root, 'file.db'),
      from: 'weir.instance.ts database',
    });
    expect(fromFile.artefacts).toMatchObject({ path: join(root, 'file-artefacts') });
    expect(fromFile.dir).toBe(join(root, 'state')); // the file does not say: the project does
    expect(fromFile.embedded).toBe(false);

    const fromEnv = resolveWith({
      file,
      project,
      env: { WEIR_DATABASE_URL: `${PG}?sslmode=require`, WEIR_ARTEFACTS: 's3://bucket/prod' },
    });
    expect(fromEnv.eventLog).toEqual({
      kind: 'postgres',
      url: `${PG}?sslmode=require`,
      schema: 'from_file',
      from: 'WEIR_DATABASE_URL',
      host: 'db.internal',
      port: 6543,
      database: 'analytics',
      user: 'weir',
    });
    expect(fromEnv.artefacts).toMatchObject({
      kind: 's3',
      bucket: 'bucket',
      prefix: 'prod/',
      from: 'WEIR_ARTEFACTS',
      forcePathStyle: false,
      cacheDir: join(root, 'state', 's3-cache'),
    });
    expect(resolveWith({ project, env: { WEIR_DATABASE_URL: '  ' } }).eventLog.from).toBe(
      'weir.config.ts instance.database',
    );
  });

  it('reads the forms of an event log', () => {
    const log = (value: string) => resolveWith({ env: { WEIR_DATABASE_URL: value } }).eventLog;
    expect(log('postgresql://localhost/db?schema=tenant_a')).toMatchObject({
      kind: 'postgres',
      url: 'postgresql://localhost/db',
      schema: 'tenant_a',
      port: 5432,
      database: 'db',
      user: undefined,
    });
    expect(log('sqlite:///var/lib/weir/events.db')).toMatchObject({
      kind: 'sqlite',
      path: '/var/lib/weir/events.db',
    });
    expect(log('sqlite:logs/events.db')).toMatchObject({ path: join(root, 'logs', 'events.db') });
    mkdirSync(join(root, 'shared'), { recursive: true });
    expect(log('shared')).toMatchObject({ path: join(root, 'shared', 'events.db') });
    expect(
      resolveWith({
        env: { WEIR_DATABASE_URL: PG },
        project: { durability: 'normal', postgres: { maxConnections: 8 } },
      }).eventLog,
    ).toMatchObject({ schema: 'weir', durability: 'normal', maxConnections: 8 });
  });

  it('reads an S3 store with its endpoint and region from the environment first', () => {
    const s3 = (env: Record<string, string>, project?: unknown) =>
      resolveWith({ env: { WEIR_ARTEFACTS: 's3://weir-artefacts', ...env }, project }).artefacts;
    expect(s3({})).toEqual({
      kind: 's3',
      bucket: 'weir-artefacts',
      prefix: '',
      forcePathStyle: false,
      cacheDir: join(root, '.weir', 's3-cache'),
      from: 'WEIR_ARTEFACTS',
    });
    expect(s3({ WEIR_S3_ENDPOINT: 'http://127.0.0.1:9000/' })).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      endpointFrom: 'WEIR_S3_ENDPOINT',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    const project = {
      s3: { endpoint: 'https://minio.internal', region: 'eu-west-1', directPut: true },
    };
    expect(s3({ AWS_REGION: 'eu-central-1' }, project)).toMatchObject({
      endpoint: 'https://minio.internal',
      endpointFrom: 'weir.config.ts instance.s3.endpoint',
      region: 'eu-central-1',
      directPut: true,
    });
  });

  it('names an unknown setting with the closest one', () => {
    expect(failure({ project: { databse: PG } })).toMatchObject({
      code: 'E_USAGE',
      message: "weir.config.ts instance: unknown setting 'databse'",
      hint: "did you mean 'database'?",
    });
    expect(
      failure({
        file: { path: join(root, 'weir.instance.ts'), settings: { s3: { endpiont: 'x' } } },
      }),
    ).toMatchObject({
      message: "weir.instance.ts s3: unknown setting 'endpiont'",
      hint: "did you mean 'endpoint'?",
    });
    expect(failure({ project: { durability: 'fast' } }).message).toBe(
      "weir.config.ts instance: durability must be 'normal' or 'full', got 'fast'",
    );
    expect(failure({ project: { s3: { partSize: 1024 } } }).message).toMatch(
      /s3\.partSize must be a whole number from 5242880/,
    );
  });

  it('says which variable is malformed and what form it expects', () => {
    const env = (WEIR_DATABASE_URL: string) => failure({ env: { WEIR_DATABASE_URL } });
    expect(env('mysql://db/weir')).toMatchObject({
      code: 'E_USAGE',
      message:
        "WEIR_DATABASE_URL='mysql://db/weir': a mysql: URL, but Weir's event log is PostgreSQL or SQLite",
      hint: expect.stringContaining('postgres://USER:PASSWORD@HOST:5432/DATABASE'),
    });
    const bad = env('postgres://weir:p@ss@db:notaport/weir');
    expect(bad.message).toMatch(
      /^WEIR_DATABASE_URL='postgres:\/\/weir:\*\*\*@db:notaport\/weir': not a valid URL/,
    );
    expect(bad.message).not.toContain('p@ss');
    expect(env('postgres://db/weir?schema=a-b').message).toContain(
      "schema 'a-b' is not a schema name",
    );
    expect(env('sqlite:').message).toContain('a sqlite: URL without a path');
    // A server address that lost its scheme is not taken for a new local SQLite file.
    expect(env('postgres//db/weir').message).toContain('a PostgreSQL URL without its ://');
    expect(env('db.internal/weir').message).toContain('a server address without postgres://');
    expect(env('weir@db/weir').message).toContain('a user@host address without postgres://');
    expect(env('weir:s3cret@db/weir').message).not.toContain('s3cret');
    expect(resolveWith({ env: { WEIR_DATABASE_URL: 'logs/events.db' } }).eventLog.kind).toBe(
      'sqlite',
    );

    const artefacts = (WEIR_ARTEFACTS: string, extra: Record<string, string> = {}) =>
      failure({ env: { WEIR_ARTEFACTS, ...extra } });
    expect(artefacts('gs://bucket/x').message).toContain('a gs: URL, but artefacts go to S3');
    expect(artefacts('s3:///prefix').message).toBe("WEIR_ARTEFACTS='s3:///prefix': no bucket");
    expect(artefacts('s3://b/p?x=1').message).toContain('not of the form s3://BUCKET/PREFIX');
    expect(artefacts('s3://bucket', { WEIR_S3_ENDPOINT: 'minio:9000' }).message).toBe(
      "WEIR_S3_ENDPOINT='minio:9000': not an http:// or https:// URL",
    );
  });

  it('refuses a misspelt instance variable, naming the right one', () => {
    expect(failure({ env: { WEIR_ARTIFACTS: 's3://b' } })).toMatchObject({
      code: 'E_USAGE',
      message:
        'WEIR_ARTIFACTS is set, but Weir reads no such variable: did you mean WEIR_ARTEFACTS?',
    });
    expect(failure({ env: { WEIR_DATABASE: PG } }).message).toContain(
      'did you mean WEIR_DATABASE_URL?',
    );
    // Weir's other variables, and unrelated ones, are not misspellings.
    expect(() =>
      resolveWith({ env: { WEIR_NOW: '2024-01-01', WEIR_TOKEN: 'x', WEIR_SHARED_DATA: '/d' } }),
    ).not.toThrow();
  });
});
