/**
 * The package as a user gets it: `npm pack`, `npm install` of the tarball into an empty folder
 * outside the workspace, `npx weir init`, `npx weir materialize` and `status` there, the
 * scaffold's own test, and the user's strictest `tsc` over a file that imports Weir.
 *
 * One install is shared by every case. It takes a few seconds from npm's cache (warm after the
 * workspace's own install; `--prefer-offline`) except for better-sqlite3's native module: its
 * install script downloads a prebuilt binary, or compiles SQLite (a minute or more on two
 * cores) where it cannot download, as on machines without internet. So that CI does not
 * compile SQLite a second time, the test hands prebuild-install a local prebuild packed from
 * the workspace's own build (`.prebuild-installrc`, prebuild-install's documented offline
 * mechanism), which is what a user with internet gets from its download. The install script
 * still runs. `WEIR_PACKAGE_TEST_COMPILE=1` leaves the prebuild out, to compile as npm would here.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const WORKSPACE = join(PACKAGE_DIR, '..', '..');
const require = createRequire(import.meta.url);
const workspaceVersion = (name: string): string =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;

let folder = '';
let project = '';
let tarball = '';
let packedFiles: string[] = [];

/** The environment of a user's shell: none of the variables npm sets for this test run. */
function userEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('npm_') && !keep.has(name.toLowerCase())) continue;
    if (name === 'INIT_CWD' || name === 'FORCE_COLOR' || name.startsWith('VITEST')) continue;
    env[name] = value;
  }
  return env;
}

function sh(
  cwd: string,
  command: string,
  ...args: string[]
): SpawnSyncReturns<string> & { all: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: userEnv() });
  return { ...result, all: `${result.stdout}${result.stderr}` };
}

function expectOk(result: SpawnSyncReturns<string> & { all: string }): string {
  expect(result.status, result.all).toBe(0);
  return result.all;
}

/** A prebuild-install tarball of the workspace's compiled better-sqlite3 (undefined where none fits). */
function localPrebuild(into: string): string | undefined {
  if (process.env.WEIR_PACKAGE_TEST_COMPILE === '1') return undefined;
  const glibc = process.platform !== 'linux' || hasGlibc();
  const module = join(dirname(require.resolve('better-sqlite3/package.json')));
  const binary = join(module, 'build', 'Release', 'better_sqlite3.node');
  if (!glibc || !existsSync(binary)) return undefined;
  const name = `better-sqlite3-v${workspaceVersion('better-sqlite3')}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(into, { recursive: true });
  const tar = spawnSync('tar', [
    '-czf',
    join(into, name),
    '-C',
    module,
    'build/Release/better_sqlite3.node',
  ]);
  return tar.status === 0 ? into : undefined;
}

function hasGlibc(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report?.header?.glibcVersionRuntime !== undefined;
}

/** Runs `npm ARGS` in the project, printing how long it took (the figure to watch in CI). */
function timedNpm(what: string, ...args: string[]): SpawnSyncReturns<string> & { all: string } {
  const started = performance.now();
  const result = sh(project, 'npm', ...args, '--prefer-offline', '--no-audit', '--no-fund');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`package test: ${what} took ${seconds} s\n`);
  return result;
}

let firstInstall = '';
let init = '';
let secondInstall = '';

// What the README's "Use Weir in your own project" says, once for every case below.
beforeAll(() => {
  folder = mkdtempSync(join(realpathSync(tmpdir()), 'weir-package-'));
  expect(relative(WORKSPACE, folder).startsWith('..')).toBe(true);
  const pack = sh(
    PACKAGE_DIR,
    'npm',
    'pack',
    '--ignore-scripts',
    '--json',
    '--pack-destination',
    folder,
  );
  expect(pack.status, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  tarball = join(folder, packed!.filename);
  packedFiles = packed!.files.map((f) => f.path);

  project = join(folder, 'my-data');
  mkdirSync(project);
  const prebuilds = localPrebuild(join(folder, 'prebuilds'));
  if (prebuilds !== undefined)
    writeFileSync(join(project, '.prebuild-installrc'), `local-prebuilds=${prebuilds}\n`);
  const how = prebuilds === undefined ? 'compiled' : 'from a local prebuild';
  firstInstall = expectOk(
    timedNpm(
      `npm install of the tarball (better-sqlite3 ${how})`,
      'install',
      `../${packed!.filename}`,
    ),
  );
  init = expectOk(sh(project, 'npx', 'weir', 'init'));
  secondInstall = expectOk(timedNpm('npm install after weir init', 'install'));
}, 900_000);

afterAll(() => {
  if (folder !== '') rmSync(folder, { recursive: true, force: true });
});

describe('the weir package', () => {
  it('holds the bundle, the command and the declarations, not the sources', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'README.md',
        'package.json',
        'bin/weir.js',
        'dist/cli.js',
        'dist/index.js',
        'dist/testing.js',
        'dist/types/index.d.ts',
        'dist/types/testing.d.ts',
      ]),
    );
    expect(packedFiles.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    expect(packedFiles.filter((f) => f.endsWith('.sql'))).toEqual([]);
  });

  it('installs in an empty folder; weir init, npm install, materialize, status and npm test work', () => {
    expect(
      JSON.parse(readFileSync(join(project, 'node_modules', 'weir', 'package.json'), 'utf8'))
        .version,
    ).toBe(workspaceVersion('weir'));
    expect(init).toContain('Added to package.json: "type": "module"');
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(pkg.dependencies.weir).toBe(`file:../${relative(folder, tarball)}`);
    // npm 11 warns about the install scripts of better-sqlite3 and esbuild (they still run);
    // with the scaffold's allowScripts there are none left to warn about.
    if (firstInstall.includes('install-scripts')) expect(firstInstall).toContain('better-sqlite3');
    expect(secondInstall).not.toContain('install-scripts');

    expect(expectOk(sh(project, 'npx', 'weir', 'materialize'))).toMatch(/success: 2 materialized/);
    const status = expectOk(sh(project, 'npx', 'weir', 'status'));
    expect(status).toMatch(/rainfall\/totals +fresh/);
    expect(status).toContain('3 fresh');
    expect(JSON.parse(expectOk(sh(project, 'npx', 'weir', 'value', 'rainfall/totals')))).toEqual({
      north: 4.2,
      south: 15.6,
    });
    expect(expectOk(sh(project, 'npm', 'test'))).toMatch(/Tests +2 passed/);
    expectOk(sh(project, 'npx', 'tsc', '--noEmit'));
  });

  it('runs a project of the user’s own, from its folder and with --project from elsewhere', () => {
    const own = join(project, 'own');
    mkdirSync(join(own, 'data'), { recursive: true });
    writeFileSync(join(own, 'data', 'levels.csv'), 'station,level\nA,1.5\nB,2.5\n');
    writeFileSync(join(own, 'weir.config.ts'), OWN_PROJECT);
    expect(expectOk(sh(own, 'npx', 'weir', 'materialize'))).toMatch(/success: 2 materialized/);
    expect(expectOk(sh(own, 'npx', 'weir', 'status'))).toMatch(/levels\/max +fresh/);
    expect(
      expectOk(
        sh(
          folder,
          join(project, 'node_modules', '.bin', 'weir'),
          'value',
          'levels/max',
          '--project',
          own,
        ),
      ),
    ).toBe('2.5\n');
  });

  it('type-checks a user’s file under strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess and skipLibCheck: false', () => {
    const dir = join(project, 'typed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), STRICT_TSCONFIG);
    writeFileSync(join(dir, 'uses-weir.ts'), USES_WEIR);
    expect(existsSync(join(project, 'node_modules', '@types', 'better-sqlite3'))).toBe(false);
    const clean = sh(dir, 'npx', 'tsc', '-p', '.');
    expect(clean.status, clean.all).toBe(0);
    expect(clean.all).toBe('');
    // The compiler does check: a mistake in the user's file is reported, and only that.
    writeFileSync(
      join(dir, 'uses-weir.ts'),
      `${USES_WEIR}\nexport const wrong: string = rolling;\n`,
    );
    const broken = sh(dir, 'npx', 'tsc', '-p', '.');
    expect(broken.status).not.toBe(0);
    expect(broken.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^uses-weir\.ts\(\d+,\d+\): error TS2322/),
    ]);
  });

  it('says how to fix a better-sqlite3 whose install script did not run', () => {
    const binary = join(
      project,
      'node_modules',
      'better-sqlite3',
      'build',
      'Release',
      'better_sqlite3.node',
    );
    renameSync(binary, `${binary}.aside`);
    try {
      const status = sh(project, 'npx', 'weir', 'status');
      expect(status.status).toBe(1);
      expect(status.stderr).toContain('better-sqlite3 (SQLite for Node) has no native module');
      expect(status.stderr).toContain(
        'hint: allow it in package.json ("allowScripts": { "better-sqlite3": true }), then: npm rebuild better-sqlite3',
      );
    } finally {
      renameSync(`${binary}.aside`, binary);
    }
  });
});

const OWN_PROJECT = `import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asset, defineProject, fileVersion, sourceAsset } from 'weir';

const CSV = fileURLToPath(new URL('./data/levels.csv', import.meta.url));
const csv = sourceAsset({ key: 'raw/levels_csv', observe: () => fileVersion(CSV) });
const levels = asset({
  key: 'levels/all',
  deps: [csv],
  materialize: () =>
    readFileSync(CSV, 'utf8').trim().split('\\n').slice(1).map((line) => Number(line.split(',')[1])),
});
const max = asset({ key: 'levels/max', ins: { levels }, materialize: (_ctx, { levels }) => Math.max(...levels) });
export default defineProject({ assets: [csv, levels, max] });
`;

const STRICT_TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": false,
    "noEmit": true,
    "types": ["node"]
  },
  "files": ["uses-weir.ts"]
}
`;

const USES_WEIR = `import {
  type AssetState,
  type AssetValue,
  asset,
  assetValue,
  boundsCheck,
  check,
  dailyPartitions,
  defineProject,
  type EventLog,
  fileVersion,
  lastNMapping,
  many,
  materialize,
  openInstance,
  resource,
  SqliteEventLog,
  schemaCheck,
  sourceAsset,
  staticPartitions,
  WeirError,
} from 'weir';
import { runEventLogConformance } from 'weir/testing';

interface Reading {
  station: string;
  day: string;
  mm: number;
}

const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-08', timezone: 'Europe/Luxembourg' });
const raw = sourceAsset({ key: 'raw/readings', observe: () => fileVersion('data.csv') });
const limits = resource({ key: 'limits', config: { maxMm: 500 }, create: (config) => config });
const readings = asset({
  key: 'rain/readings',
  deps: [raw],
  resources: { limits },
  checks: [boundsCheck('mm', { min: 0 }), schemaCheck({ station: 'string', day: 'string', mm: 'number' })],
  freshness: { maxLag: '6h' },
  retry: { maxAttempts: 2, initialDelayMs: 100 },
  materialize: (ctx): Reading[] =>
    [{ station: 'a', day: '2024-01-01', mm: 1 }].filter((r) => r.mm <= ctx.resources.limits.maxMm),
});
const perDay = asset({
  key: 'rain/per_day',
  partitions: days,
  ins: { readings },
  checks: [check({ name: 'non_negative', evaluate: (_ctx, count: number) => count >= 0 })],
  materialize: (ctx, { readings }) => readings.filter((r) => r.day === ctx.partition.key).length,
});
const rolling = asset({
  key: 'rain/rolling_3d',
  partitions: days,
  ins: { window: many(perDay, lastNMapping(3)) },
  materialize: (_ctx, { window }) => [...window.values()].reduce((a, b) => a + b, 0),
});
const stations = asset({
  key: 'rain/stations',
  partitions: staticPartitions(['north', 'south']),
  io: 'bytes',
  materialize: (ctx) => new TextEncoder().encode(ctx.partition.key),
});
const project = defineProject({ assets: [raw, readings, perDay, rolling, stations], resources: [limits] });
export default project;

export async function run(): Promise<string> {
  const instance = openInstance({ dir: '.weir' });
  try {
    const result = await materialize(project, { instance, selection: 'rain/*' });
    const current: AssetValue = await assetValue(project, { instance, key: 'rain/rolling_3d', partition: '2024-01-03' });
    const total = current.format === 'json' && typeof current.value === 'number' ? current.value : 0;
    const log: EventLog = new SqliteEventLog(':memory:');
    await log.close();
    const state: AssetState | undefined = undefined;
    return \`\${result.status} \${total} \${state ?? ''}\`;
  } catch (error) {
    return error instanceof WeirError ? \`\${error.code}: \${error.hint ?? ''}\` : 'unexpected';
  } finally {
    await instance.close();
  }
}
export const conformance = runEventLogConformance;
`;
