import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson, writeFile } from './cli-helpers.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const require = createRequire(import.meta.url);
const TSC = join(require.resolve('typescript/package.json'), '..', 'bin', 'tsc');
const VITEST = join(require.resolve('vitest/package.json'), '..', 'vitest.mjs');

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** Runs a node script in `cwd`; returns its exit code and output. */
function node(cwd: string, ...args: string[]): { code: number; output: string } {
  const { FORCE_COLOR: _, ...env } = process.env;
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { ...env, NO_COLOR: '1' },
  });
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

describe('weir init', () => {
  it('scaffolds a project that materializes, type-checks and passes its test', () => {
    const parent = projectDir({ 'README.md': 'a folder of projects\n' });
    const init = weir(parent, 'init', 'rain');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Created a Weir project in rain:');
    expect(init.stdout).toContain('  cd rain\n  npm install');
    const dir = join(parent, 'rain');
    expect(readdirSync(dir).sort()).toEqual(
      [
        '.gitignore',
        'data',
        'package.json',
        'src',
        'test',
        'tsconfig.json',
        'weir.config.ts',
      ].sort(),
    );
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.weir\/$/m);
    const pkg = readJson(join(dir, 'package.json'));
    expect(pkg).toMatchObject({
      name: 'rain',
      type: 'module',
      dependencies: { weir: `file:${relative(dir, PACKAGE)}` },
      allowScripts: { 'better-sqlite3': true, esbuild: true },
    });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual([
      '@types/node',
      'typescript',
      'vitest',
    ]);

    const run = weir(dir, 'materialize');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/success: 2 materialized/);
    const statuses = weirJson<Array<{ key: string; status: string }>>(dir, 'status');
    expect(statuses.map((s) => `${s.key} ${s.status}`)).toEqual([
      'raw/rainfall_csv fresh',
      'rainfall/readings fresh',
      'rainfall/totals fresh',
    ]);
    expect(JSON.parse(weir(dir, 'value', 'rainfall/totals').stdout)).toEqual({
      north: 4.2,
      south: 15.6,
    });

    // The user's compiler, with the scaffold's strict tsconfig, and the example test.
    const tsc = node(dir, TSC, '--noEmit', '-p', '.');
    expect(tsc.code, tsc.output).toBe(0);
    writeFile(join(dir, 'vitest.config.mjs'), 'export default {};\n'); // not the workspace's config
    const test = node(dir, VITEST, 'run');
    expect(test.code, test.output).toBe(0);
    expect(test.output).toMatch(/Tests +2 passed/);

    // The example's blocking check stops bad data: totals keeps the good value.
    appendFileSync(join(dir, 'data/rainfall.csv'), 'north,2024-06-03,-5\n');
    const bad = weir(dir, 'materialize');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('blocking check bounds_mm failed');
    expect(JSON.parse(weir(dir, 'value', 'rainfall/totals').stdout)).toEqual({
      north: 4.2,
      south: 15.6,
    });
  });

  it('refuses to overwrite any file, writing nothing (exit 1)', () => {
    const dir = projectDir({ 'weir.config.ts': '// mine\n', 'src/rainfall.ts': '// mine too\n' });
    const refused = weir(dir, 'init');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: weir init would overwrite weir.config.ts, src/rainfall.ts in .: nothing was written',
    );
    expect(refused.stderr).toContain('hint: run it in a new folder: weir init my-project');
    expect(readdirSync(dir).sort()).toEqual(['src', 'weir.config.ts']);
    expect(readFileSync(join(dir, 'weir.config.ts'), 'utf8')).toBe('// mine\n');

    expect(weir(dir, 'init', 'a', 'b').code).toBe(2);
  });

  it('extends the package.json npm install left, changing nothing in it', () => {
    const installed = {
      dependencies: { weir: 'file:../weir-0.1.0.tgz' },
      scripts: { test: 'node --test' },
    };
    const dir = projectDir({ 'package.json': JSON.stringify(installed) });
    const init = weir(dir, 'init');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(
      'Added to package.json: "type": "module"; scripts (materialize, status, typecheck); devDependencies (@types/node, typescript, vitest); allowScripts (better-sqlite3, esbuild)',
    );
    const pkg = readJson(join(dir, 'package.json'));
    expect(pkg.dependencies).toEqual(installed.dependencies);
    expect(pkg.scripts.test).toBe('node --test');
    expect(pkg.type).toBe('module');
    expect(existsSync(join(dir, 'weir.config.ts'))).toBe(true);

    const commonjs = projectDir({ 'package.json': '{ "type": "commonjs" }' });
    const refused = weir(commonjs, 'init');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('package.json says "type": "commonjs"');
    expect(readdirSync(commonjs)).toEqual(['package.json']);
  });
});
