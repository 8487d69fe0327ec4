/**
 * Code locations through the CLI: a project split into two folders, each with its own
 * dependencies (two versions of one package), loaded in processes of their own; the graph spans
 * both, steps run in their location's processes, and a location that fails to load is
 * reported while the other keeps working.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson } from './cli-helpers.js';

/** A package of the location's own: the same name, another version in each location. */
function ownPackage(version: string): Record<string, string> {
  return {
    'node_modules/units/package.json': JSON.stringify({
      name: 'units',
      version,
      type: 'module',
      exports: './index.js',
    }),
    'node_modules/units/index.js': `export const version = '${version}';\n`,
  };
}

const PREP = `
import { asset, defineProject, staticPartitions } from 'weir';
import { version } from 'units';
export const stations = staticPartitions(['a', 'b']);
export const readings = asset({
  key: 'prep/readings',
  partitions: stations,
  materialize: (ctx) => ({ station: ctx.partition.key, level: ctx.partition.key === 'a' ? 1 : 2, units: version, pid: process.pid }),
});
export type Reading = { station: string; level: number; units: string; pid: number };
export default defineProject({ assets: [readings] });
`;

const ML = `
import { allPartitionsMapping, asset, check, defineProject, externalAsset, many, staticPartitions } from 'weir';
import { version } from 'units';
import type { Reading } from '../prep/weir.config.js';
const readings = externalAsset<Reading>('prep/readings', { partitions: staticPartitions(['a', 'b']) });
const model = asset({
  key: 'ml/model',
  ins: { readings: many(readings, allPartitionsMapping()) },
  checks: [check({ name: 'positive', evaluate: (_ctx, value: { total: number }) => ({ passed: value.total > 0, message: 'units ' + version }) })],
  materialize: (ctx, { readings }) => ({
    total: [...readings.values()].reduce((sum, r) => sum + r.level, 0),
    read: [...readings.values()].map((r) => r.units),
    units: version,
    pid: process.pid,
  }),
});
const alone = asset({ key: 'ml/alone', materialize: () => 42 });
export default defineProject({ assets: [readings, model, alone] });
`;

function twoLocations(): string {
  const files: Record<string, string> = {
    'weir.config.ts': `import { defineProject } from 'weir';\nexport default defineProject({ assets: [], locations: { prep: './prep', ml: './ml' } });\n`,
    'prep/package.json': JSON.stringify({ name: 'prep', type: 'module' }),
    'prep/weir.config.ts': PREP,
    'ml/package.json': JSON.stringify({ name: 'ml', type: 'module' }),
    'ml/weir.config.ts': ML,
  };
  for (const [path, text] of Object.entries(ownPackage('1.0.0'))) files[`prep/${path}`] = text;
  for (const [path, text] of Object.entries(ownPackage('2.0.0'))) files[`ml/${path}`] = text;
  return projectDir(files);
}

/** A location that defines ml's key again. */
const DUP_MODEL = `import { asset, defineProject } from 'weir';\nexport default defineProject({ assets: [asset({ key: 'ml/model', materialize: () => 1 })] });\n`;

/** A location's folder of its own: its package.json and project file. */
function addFolder(dir: string, name: string, config: string): void {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name, type: 'module' }));
  writeFileSync(join(dir, name, 'weir.config.ts'), config);
}

interface Model {
  total: number;
  read: string[];
  units: string;
  pid: number;
}

describe('code locations', () => {
  it('spans both locations, runs each step with its own dependencies, and then has nothing to do', () => {
    const dir = twoLocations();
    const list = weir(dir, 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('prep/readings');
    expect(list.stdout).toMatch(/ml\/model +ml +asset/);

    const first = weir(dir, 'materialize');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const model = weirJson<{ value: Model }>(dir, 'value', 'ml/model').value;
    expect(model.total).toBe(3);
    expect(model.read).toEqual(['1.0.0', '1.0.0']); // prep's steps ran with prep's package
    expect(model.units).toBe('2.0.0'); // ml's with ml's
    const reading = weirJson<{ value: { pid: number } }>(
      dir,
      'value',
      'prep/readings',
      '--partition',
      'a',
    ).value;
    expect(reading.pid).not.toBe(model.pid);

    const again = weir(dir, 'materialize');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Nothing to do/);
    // weir check evaluates the check again where its code is: in ml, with ml's units 2.0.0.
    const checked = weir(dir, 'check');
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/ml\/model +positive +passed +units 2\.0\.0/);
    const results = weirJson<
      { assetKey: string; checks: { passed: boolean; message: string }[] }[]
    >(dir, 'check', 'ml/*');
    expect(results).toEqual([
      expect.objectContaining({
        assetKey: 'ml/model',
        checks: [expect.objectContaining({ passed: true, message: 'units 2.0.0' })],
      }),
    ]);
    expect(weir(dir, 'history', 'ml/model', '--checks').stdout).toContain('units 2.0.0');
  }, 60_000);

  it('runs the project’s own assets in a process pool with --executor processes', () => {
    const dir = twoLocations();
    const root = join(dir, 'weir.config.ts');
    writeFileSync(
      root,
      `import { asset, defineProject } from 'weir';\nconst own = asset({ key: 'own', materialize: () => process.pid });\nexport default defineProject({ assets: [own], locations: { prep: './prep', ml: './ml' } });\n`,
    );
    const run = weir(dir, 'materialize', '--executor', 'processes:1');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(weirJson<{ value: Model }>(dir, 'value', 'ml/model').value.total).toBe(3);
    const own = weirJson<{ value: number }>(dir, 'value', 'own').value;
    const model = weirJson<{ value: Model }>(dir, 'value', 'ml/model').value.pid;
    expect(new Set([own, model]).size).toBe(2);
  }, 60_000);

  it('makes stale only what changed in one location, and why says so', () => {
    const dir = twoLocations();
    expect(weir(dir, 'materialize').code).toBe(0);
    const file = join(dir, 'prep', 'weir.config.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("=== 'a' ? 1 : 2", "=== 'a' ? 10 : 2"));
    const why = weir(dir, 'why', 'prep/readings', '--partition', 'a');
    expect(why.stdout).toMatch(/code/i);
    const run = weir(dir, 'materialize');
    expect(run.code, run.stderr).toBe(0);
    expect(weirJson<{ value: Model }>(dir, 'value', 'ml/model').value.total).toBe(12);
    expect(weir(dir, 'materialize', 'ml/alone').stdout).toMatch(/Nothing to do/);
  }, 60_000);

  it('reports a location that fails to load, keeps its assets as they were, and the other working', () => {
    const dir = twoLocations();
    expect(weir(dir, 'materialize', 'prep/readings').code).toBe(0);
    writeFileSync(
      join(dir, 'prep', 'weir.config.ts'),
      `throw new Error('prep is broken');\nexport default 1;\n`,
    );
    // Its last manifest stands in: its assets keep their code versions (fresh, not stale).
    const status = weir(dir, 'status', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toContain("code location 'prep' did not load");
    expect(status.stderr).toContain('prep is broken');
    const rows = JSON.parse(status.stdout) as { key: string; status: string; location?: string }[];
    expect(rows.find((row) => row.key === 'prep/readings')).toMatchObject({
      status: 'fresh',
      location: 'prep',
    });
    expect(weir(dir, 'list').stdout).toMatch(/prep\/readings +prep \(not loaded\)/);

    // ml's assets run, ml/model from what prep last materialized; the exit code says prep did not load.
    const all = weir(dir, 'materialize');
    expect(all.code, all.stdout + all.stderr).toBe(1);
    expect(all.stderr).toContain("exit code 1: code location 'prep' did not load");
    expect(weirJson<{ value: Model }>(dir, 'value', 'ml/model').value.total).toBe(3);
    expect(weirJson<{ value: number }>(dir, 'value', 'ml/alone').value).toBe(42);
    // Its own steps cannot run, and say why.
    const forced = weir(dir, 'materialize', 'prep/readings', '--force');
    expect(forced.code).toBe(1);
    expect(forced.stdout).toMatch(
      /prep\/readings cannot be materialized: its code location 'prep' did not load \(.*prep is broken/,
    );
  }, 60_000);

  it('weir check names a location that did not load instead of evaluating its assets’ checks', () => {
    const dir = twoLocations();
    expect(weir(dir, 'materialize').code).toBe(0);
    writeFileSync(join(dir, 'ml', 'weir.config.ts'), `throw new Error('ml is broken');\n`);
    const checked = weir(dir, 'check', 'ml/model');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(
      /ml\/model +not evaluated +its code location 'ml' did not load: .*ml is broken/,
    );
    // A check that waits on nothing ends its process instead of hanging weir check.
    writeFileSync(
      join(dir, 'ml', 'weir.config.ts'),
      ML.replace(
        "({ passed: value.total > 0, message: 'units ' + version })",
        'new Promise(() => {})',
      ),
    );
    const started = Date.now();
    const hung = weir(dir, 'check', 'ml/model');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(hung.code).toBe(1);
    expect(hung.stdout).toContain('a check waits on a promise that never settles');
  }, 60_000);

  it('a key two locations define runs neither’s code, whatever their order', () => {
    for (const order of [
      ['dup', 'prep', 'ml'],
      ['prep', 'ml', 'dup'],
    ]) {
      const dir = twoLocations();
      expect(weir(dir, 'materialize').code).toBe(0);
      const before = weirJson<{ value: Model }>(dir, 'value', 'ml/model').value;
      addFolder(
        dir,
        'dup',
        `import { asset, defineProject } from 'weir';\nexport default defineProject({ assets: [asset({ key: 'ml/model', materialize: () => 1 })] });\n`,
      );
      const folders = { dup: './dup', prep: './prep', ml: './ml' } as Record<string, string>;
      const listed = order.map((name) => `${name}: '${folders[name]}'`).join(', ');
      writeFileSync(
        join(dir, 'weir.config.ts'),
        `import { defineProject } from 'weir';\nexport default defineProject({ assets: [], locations: { ${listed} } });\n`,
      );
      const run = weir(dir, 'materialize', '--force', 'ml/model');
      expect(run.code).toBe(1);
      const [first, second] = order.indexOf('dup') === 0 ? ['dup', 'ml'] : ['ml', 'dup'];
      for (const name of ['dup', 'ml']) {
        expect(run.stderr).toContain(
          `code location '${name}' did not load (${name === 'ml' ? 'its assets stand as it last loaded, and cannot run' : 'its assets are left out'}): ml/model is defined by location '${first}' and by location '${second}'`,
        );
      }
      // Neither ran: the value is ml's, as it was.
      expect(weirJson<{ value: Model }>(dir, 'value', 'ml/model').value).toEqual(before);
    }
  }, 120_000);

  it('a last manifest stands in only for its own folder: a renamed location’s old one takes nothing away', () => {
    const dir = twoLocations();
    expect(weir(dir, 'materialize').code).toBe(0);
    // ml is renamed models; a new location ml (another folder) does not load. The manifest
    // kept for the old ml is not the new ml's: it must not stand in and take ml/model away.
    const root = join(dir, 'weir.config.ts');
    writeFileSync(
      root,
      readFileSync(root, 'utf8').replace("ml: './ml' }", "models: './ml', ml: './ml2' }"),
    );
    addFolder(dir, 'ml2', 'export default {;\n');
    const status = weir(dir, 'status', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toMatch(/code location 'ml' did not load.*weir\.config\.ts/);
    expect(status.stderr).not.toContain('is defined by');
    const rows = JSON.parse(status.stdout) as { key: string; status: string; location?: string }[];
    expect(rows.find((row) => row.key === 'ml/model')).toMatchObject({
      status: 'fresh',
      location: 'models',
    });
  }, 60_000);

  it('a key the project and a location both define is an error of the project; one whose other definer did not load runs neither', () => {
    const dir = twoLocations();
    expect(weir(dir, 'materialize').code).toBe(0);
    const before = weirJson<{ value: Model }>(dir, 'value', 'ml/model').value;
    const root = join(dir, 'weir.config.ts');
    const original = readFileSync(root, 'utf8');
    writeFileSync(
      root,
      `import { asset, defineProject } from 'weir';\nexport default defineProject({ assets: [asset({ key: 'ml/model', materialize: () => 'project' })], locations: { prep: './prep', ml: './ml' } });\n`,
    );
    const clash = weir(dir, 'materialize');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("ml/model is defined by the project and by location 'ml'");
    writeFileSync(root, original);
    expect(weirJson<{ value: Model }>(dir, 'value', 'ml/model').value).toEqual(before);

    // Two locations, one of them broken: its last manifest stands in, and the other's
    // definition of the same key does not run either.
    writeFileSync(root, original.replace("ml: './ml' }", "ml: './ml', dup: './dup' }"));
    addFolder(
      dir,
      'dup',
      `import { asset, defineProject } from 'weir';\nexport default defineProject({ assets: [asset({ key: 'ml/model', materialize: () => 1 }), asset({ key: 'dup/other', materialize: () => 2 })] });\n`,
    );
    writeFileSync(join(dir, 'ml', 'weir.config.ts'), `throw new Error('ml is broken');\n`);
    const run = weir(dir, 'materialize', '--force');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /code location 'dup' did not load .*ml\/model is defined by location 'ml' and by location 'dup'/,
    );
    // Neither ran: with ml mended and dup gone, ml/model is what ml made before.
    writeFileSync(root, original);
    writeFileSync(join(dir, 'ml', 'weir.config.ts'), ML);
    expect(weirJson<{ value: Model }>(dir, 'value', 'ml/model').value).toEqual(before);
  }, 60_000);

  it('a location renamed while it does not load still stands in, so another location cannot take its key', () => {
    const dir = twoLocations();
    expect(weir(dir, 'materialize').code).toBe(0);
    const before = weirJson<{ value: Model }>(dir, 'value', 'ml/model').value;
    writeFileSync(join(dir, 'ml', 'weir.config.ts'), `throw new Error('ml is broken');\n`);
    addFolder(
      dir,
      'dup',
      `import { asset, defineProject } from 'weir';\nexport default defineProject({ assets: [asset({ key: 'ml/model', materialize: () => 1 })] });\n`,
    );
    const root = join(dir, 'weir.config.ts');
    writeFileSync(
      root,
      readFileSync(root, 'utf8').replace("ml: './ml' }", "renamed: './ml', dup: './dup' }"),
    );
    const run = weir(dir, 'materialize', '--force', 'ml/model');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("ml/model is defined by location 'renamed' and by location 'dup'");
    writeFileSync(join(dir, 'ml', 'weir.config.ts'), ML);
    writeFileSync(root, readFileSync(root, 'utf8').replace(", dup: './dup' }", ' }'));
    expect(weirJson<{ value: Model }>(dir, 'value', 'ml/model').value).toEqual(before);
  }, 60_000);

  it('a damaged last manifest, or a symlink to another location’s folder, is reported, never an internal error', () => {
    const dir = twoLocations();
    expect(weir(dir, 'materialize').code).toBe(0);
    const kept = join(dir, '.weir', 'cache', 'locations', 'ml.json');
    const { folder, manifest } = JSON.parse(readFileSync(kept, 'utf8')) as {
      folder: string;
      manifest: { assets: { ins?: unknown }[] };
    };
    writeFileSync(join(dir, 'ml', 'weir.config.ts'), `throw new Error('ml is broken');\n`);
    for (const damaged of [
      { folder, manifest: { v: 1, assets: 'nope', pools: {} } },
      { folder, manifest: { v: 1, assets: [{ key: 'ml/model' }], pools: {} } },
      { folder, manifest: { ...manifest, pools: undefined } },
      { folder, manifest: { ...manifest, assets: [{ ...manifest.assets[0], partitions: 42 }] } },
    ]) {
      writeFileSync(kept, JSON.stringify(damaged));
      const status = weir(dir, 'status');
      expect(status.code, status.stderr).toBe(0);
      expect(status.stderr).not.toContain('internal error');
      expect(status.stderr).toContain("code location 'ml' did not load");
      expect(status.stdout).toContain('prep/readings');
    }
    // A symlink that names prep's folder again: refused as the same folder, prep unharmed.
    symlinkSync(join(dir, 'prep'), join(dir, 'again'));
    const root = join(dir, 'weir.config.ts');
    writeFileSync(
      root,
      readFileSync(root, 'utf8').replace("ml: './ml' }", "ml: './ml', again: './again' }"),
    );
    const status = weir(dir, 'status', '--json');
    expect(status.stderr).toMatch(/code location 'again' did not load .*is location 'prep''s too/);
    const rows = JSON.parse(status.stdout) as { key: string; location?: string }[];
    expect(rows.find((row) => row.key === 'prep/readings')?.location).toBe('prep');
  }, 60_000);

  it('quotes the last line a location wrote before it died, a character split across writes whole', () => {
    const dir = twoLocations();
    // ’ is three bytes; the pause makes the parent read them in two chunks.
    writeFileSync(
      join(dir, 'prep', 'weir.config.ts'),
      `const text = Buffer.from('prep can’t start\\n');
process.stderr.write(text.subarray(0, 10));
await new Promise((resolve) => setTimeout(resolve, 200));
process.stderr.write(text.subarray(10));
process.exit(3);
`,
    );
    const status = weir(dir, 'status');
    expect(status.stderr).toContain(
      'its process ended (exit code 3) before describing its assets: prep can’t start',
    );
  }, 60_000);

  it('never loads a location that is the project itself, a file or a folder with no project, and stops a location that keeps itself open', () => {
    const dir = twoLocations();
    const root = join(dir, 'weir.config.ts');
    writeFileSync(
      root,
      readFileSync(root, 'utf8').replace(
        "ml: './ml' }",
        "ml: './ml', self: '.', up: '..', file: './prep/weir.config.ts', empty: './prep/node_modules' }",
      ),
    );
    const ml = join(dir, 'ml', 'weir.config.ts');
    writeFileSync(ml, `setInterval(() => {}, 1000);\n${readFileSync(ml, 'utf8')}`);
    const started = Date.now();
    const status = weir(dir, 'status');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(status.stderr).toMatch(/code location 'self' did not load.*holds the project itself/);
    expect(status.stderr).toMatch(/code location 'up' did not load.*holds the project itself/);
    expect(status.stderr).toMatch(
      /code location 'file' did not load.*weir\.config\.ts is a file: a code location is a folder/,
    );
    expect(status.stderr).toMatch(
      /code location 'empty' did not load.*holds no project file .*: a code location is a project folder of its own/,
    );
    expect(status.stdout).toContain('ml/model');
  }, 60_000);

  it('refuses an upstream taken from another location’s code instead of externalAsset()', () => {
    const dir = twoLocations();
    const ml = join(dir, 'ml', 'weir.config.ts');
    writeFileSync(
      ml,
      readFileSync(ml, 'utf8')
        .replace(
          "import type { Reading } from '../prep/weir.config.js';",
          "import { readings as prepReadings, type Reading } from '../prep/weir.config.js';",
        )
        .replace('ins: { readings: many(readings,', 'ins: { readings: many(prepReadings,')
        .replace('assets: [readings, model, alone]', 'assets: [model, alone]'),
    );
    const status = weir(dir, 'status');
    expect(status.stderr).toMatch(
      /code location 'ml' did not load.*reads input 'readings' from 'prep\/readings', which is not in the project.*externalAsset\(key\)/s,
    );
  }, 60_000);

  it('leaves out a location whose external asset disagrees or names no asset, and keeps the others', () => {
    const dir = twoLocations();
    const file = join(dir, 'ml', 'weir.config.ts');
    const ml = readFileSync(file, 'utf8');
    writeFileSync(file, ml.replace(", { partitions: staticPartitions(['a', 'b']) }", ''));
    const status = weir(dir, 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toMatch(
      /code location 'ml' did not load \(its assets are left out\): location 'ml' reads prep\/readings with partitions none, but location 'prep' defines them as '.+'/,
    );
    expect(status.stdout).toContain('prep/readings');
    expect(status.stdout).not.toContain('ml/model');
    // Once it loaded, its last manifest stands in while a misspelt key keeps it out.
    writeFileSync(file, ml);
    expect(weir(dir, 'materialize').code).toBe(0);
    writeFileSync(file, ml.replaceAll("'prep/readings'", "'prep/reading'"));
    const misspelt = weir(dir, 'status');
    expect(misspelt.code).toBe(0);
    expect(misspelt.stderr).toMatch(
      /ml\/model \(location 'ml'\) reads prep\/reading, which no location defines \(did you mean 'prep\/readings'\?\)/,
    );
    expect(misspelt.stdout).toMatch(/ml\/model +fresh/);
  }, 60_000);

  it('reads a source of the project from a location, and restales its reader when it changes', () => {
    const dir = projectDir({
      'weir.config.ts': `import { defineProject, fileVersion, sourceAsset } from 'weir';
const feed = sourceAsset({ key: 'raw/feed', observe: () => fileVersion('feed.txt') });
export default defineProject({ assets: [feed], locations: { prep: './prep' } });
`,
      'feed.txt': 'one',
      'prep/package.json': JSON.stringify({ name: 'prep', type: 'module' }),
      'prep/weir.config.ts': `import { asset, defineProject, externalSource } from 'weir';
import { readFileSync } from 'node:fs';
const feed = externalSource('raw/feed');
const copy = asset({ key: 'prep/copy', ins: { feed }, materialize: (ctx, { feed }) => ({ text: readFileSync('feed.txt', 'utf8'), version: feed.dataVersion }) });
export default defineProject({ assets: [feed, copy] });
`,
    });
    const first = weir(dir, 'materialize');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(weirJson<{ value: { text: string } }>(dir, 'value', 'prep/copy').value.text).toBe('one');
    expect(weir(dir, 'materialize').stdout).toMatch(/Nothing to do/);
    writeFileSync(join(dir, 'feed.txt'), 'two');
    const second = weir(dir, 'materialize');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(weirJson<{ value: { text: string } }>(dir, 'value', 'prep/copy').value.text).toBe('two');
  }, 60_000);
});
