import { describe, expect, it } from 'vitest';
import type { AssetState } from '../src/index.js';
import { projectDir, weir, weirJson, writeFile } from './cli-helpers.js';

const PROJECT = `
import { readFileSync } from 'node:fs';
import { asset, defineProject, fileVersion, sourceAsset } from 'weir';

const file = new URL('./data/agencies.csv', import.meta.url).pathname;
export const raw = sourceAsset({ key: 'raw/agencies_csv', group: 'raw', observe: () => fileVersion(file) });
export const agencies = asset({
  key: 'directory/agencies',
  group: 'directory',
  tags: { tier: 'gold' },
  deps: [raw],
  materialize: (ctx) => {
    const rows = readFileSync(file, 'utf8').trim().split('\\n').slice(1);
    ctx.log.info('parsed agencies', { rows: rows.length });
    return rows.map((line) => ({ name: line.split(',')[0]!, city: line.split(',')[1]! }));
  },
});
export const byCity = asset({
  key: 'directory/by_city',
  group: 'directory',
  ins: { agencies },
  materialize: (_ctx, { agencies }) => {
    const counts: Record<string, number> = {};
    for (const a of agencies) counts[a.city] = (counts[a.city] ?? 0) + 1;
    return counts;
  },
});
export const index = asset({
  key: 'search/index',
  ins: { agencies },
  materialize: (_ctx, { agencies }) => agencies.map((a) => a.name.toLowerCase()).sort(),
});
export default defineProject({ assets: [raw, agencies, byCity, index] });
`;
const CSV = 'name,city\nFood Bank,Oakland\nLegal Aid,Berkeley\nShelter Plus,Oakland\n';

const statuses = (dir: string) =>
  Object.fromEntries(weirJson<AssetState[]>(dir, 'status').map((s) => [s.key, s.status]));

describe('the weir command', () => {
  it('materializes, then does nothing and says so, and status shows everything fresh', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/agencies.csv': CSV });
    const first = weir(dir, 'materialize');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Run \S+ success: 3 materialized\./);
    expect(first.stderr).toContain('✓ directory/agencies');
    const second = weir(dir, 'materialize');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Nothing to do: 3 assets are up to date.\n');
    expect(statuses(dir)).toEqual({
      'raw/agencies_csv': 'fresh',
      'directory/agencies': 'fresh',
      'directory/by_city': 'fresh',
      'search/index': 'fresh',
    });
    const text = weir(dir, 'status');
    expect(text.stdout).toMatch(/directory\/by_city\s+fresh\s+up to date/);
  });

  it('follows a changed source to exactly its downstream, and `why` names the cause', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/agencies.csv': CSV });
    weir(dir, 'materialize');
    writeFile(`${dir}/data/agencies.csv`, `${CSV}Clinic,Berkeley\n`);
    expect(statuses(dir)).toEqual({
      'raw/agencies_csv': 'fresh',
      'directory/agencies': 'stale',
      'directory/by_city': 'stale',
      'search/index': 'stale',
    });
    const why = weir(dir, 'why', 'directory/by_city');
    expect(why.code).toBe(0);
    expect(why.stdout).toContain('directory/by_city is stale');
    expect(why.stdout).toContain('upstream directory/agencies is stale');
    expect(why.stdout).toMatch(
      /input raw\/agencies_csv moved from [0-9a-f]{12} to [0-9a-f]{12} \(observed at/,
    );
    expect(why.stdout).toContain('current materialization');
    const report = weirJson<{ state: AssetState; upstream: Record<string, AssetState> }>(
      dir,
      'why',
      'directory/agencies',
    );
    expect(report.state.causes).toMatchObject([
      { category: 'data', dependency: 'raw/agencies_csv' },
    ]);

    const run = weir(dir, 'materialize', 'directory/agencies+');
    expect(run.stdout).toContain('3 materialized');
    expect(weir(dir, 'why', 'search/index').stdout).toContain('search/index is fresh');
  });

  it('lists history, runs and logs, as text and JSON', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/agencies.csv': CSV });
    weir(dir, 'materialize');
    weir(dir, 'materialize', 'search/index', '--force');
    const history = weirJson<Array<{ runId: string; materialization: { dataVersion: string } }>>(
      dir,
      'history',
      'search/index',
    );
    expect(history).toHaveLength(2);
    expect(history[0]!.materialization.dataVersion).toBe(history[1]!.materialization.dataVersion);
    const runs = weirJson<Array<{ runId: string; status: string }>>(dir, 'runs');
    expect(runs.map((r) => r.status)).toEqual(['success', 'success']);
    expect(history[0]!.runId).toBe(runs[0]!.runId);
    const logs = weir(dir, 'logs', runs[1]!.runId);
    expect(logs.stdout).toContain('directory/agencies: info parsed agencies {"rows":3}');
    expect(weir(dir, 'history', 'search/index').stdout).toMatch(
      /WHEN \(\S+\)\s+RUN\s+DATA VERSION/,
    );
    expect(
      weirJson<Array<{ key: string }>>(dir, 'list', 'group:directory').map((a) => a.key),
    ).toEqual(['directory/agencies', 'directory/by_city']);
  });

  it('exits non-zero and names what failed and what was skipped', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject } from 'weir';
const ok = asset({ key: 'ok', materialize: () => 1 });
const bad = asset({ key: 'bad', ins: { ok }, materialize: (): number => { throw new Error('river stage column missing'); } });
const after = asset({ key: 'after', ins: { bad }, materialize: (_c, { bad }) => bad });
const other = asset({ key: 'other', ins: { ok }, materialize: (_c, { ok }) => ok });
export default defineProject({ assets: [ok, bad, after, other] });
`,
    });
    const result = weir(dir, 'materialize');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Run \S+ failed: 2 materialized, 1 failed, 1 skipped\./);
    expect(result.stdout).toContain('failed   bad: river stage column missing');
    expect(result.stdout).toContain('skipped  after: upstream bad failed');
    const logs = weir(dir, 'logs');
    expect(logs.stdout).toContain('river stage column missing');
    // The stack points into the user's own file, not the bundle in .weir/cache.
    expect(logs.stdout).toContain(`${dir}/weir.config.ts:`);
    expect(logs.stdout).not.toContain('.weir/cache');
  });

  it('reports definition errors before running anything', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject } from 'weir';
const a = asset({ key: 'a', deps: ['b'], materialize: () => 1 });
const b = asset({ key: 'b', deps: ['a'], materialize: () => 1 });
export default defineProject({ assets: [a, b] });
`,
    });
    const result = weir(dir, 'materialize');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: the asset graph has a cycle: a -> b -> a');
    expect(result.stderr).toContain('hint:');
  });

  it('points at the column of a selection error and suggests keys', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/agencies.csv': CSV });
    const syntax = weir(dir, 'status', 'directory/agencies,,x');
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain('column 20');
    expect(syntax.stderr).toContain('                   ^');
    const unknown = weir(dir, 'materialize', 'directory/agencie');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("'directory/agencies'");
    const why = weir(dir, 'why', 'search/indx');
    expect(why.stderr).toContain("did you mean 'search/index'");
  });

  it('hints at the actual problem of a selection, with the user’s own key', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/agencies.csv': CSV });
    const pluses = weir(dir, 'materialize', 'foo+++');
    expect(pluses.code).toBe(1);
    expect(pluses.stderr).toContain(
      "hint: '+' alone selects everything downstream; for 3 levels write 'foo+3'",
    );
    expect(pluses.stderr).not.toContain('spaces');
    expect(pluses.stderr).not.toContain('gauges/');
    const spaced = weir(dir, 'materialize', 'directory/agencies +');
    expect(spaced.stderr).toContain("hint: no spaces inside a term: write 'directory/agencies+'");
  });

  it('explains a project file that does not compile, does not export a project, or is missing', () => {
    const broken = projectDir({
      'weir.config.ts':
        "import { defineProject } from 'weir';\nexport default defineProject({ assets: [ });\n",
    });
    const compile = weir(broken, 'status');
    expect(compile.code).toBe(1);
    expect(compile.stderr).toMatch(/cannot compile .*weir\.config\.ts: .*weir\.config\.ts:2:\d+/);
    const noExport = projectDir({ 'weir.config.ts': 'export const x = 1;\n' });
    expect(weir(noExport, 'status').stderr).toContain('does not export a project');
    // A package that is not installed: named with the source file that imports it.
    const uninstalled = projectDir({
      'weir.config.ts': `import { x } from './src/x';\nimport { asset, defineProject } from 'weir';\nexport default defineProject({ assets: [asset({ key: 'a', materialize: () => x })] });\n`,
      'src/x.ts': `import pad from 'left-pad-nope';\nexport const x = pad;\n`,
    });
    const notInstalled = weir(uninstalled, 'status');
    expect(notInstalled.code).toBe(1);
    expect(notInstalled.stderr).toContain(
      "error: src/x.ts imports the package 'left-pad-nope', which is not installed",
    );
    expect(notInstalled.stderr).toContain('hint: install it: npm install left-pad-nope');
    expect(notInstalled.stderr).not.toContain('.weir/cache');
    // The same, imported by a step as it runs (a dynamic import).
    const later = projectDir({
      'weir.config.ts': `import { asset, defineProject } from 'weir';\nexport default defineProject({ assets: [asset({ key: 'a', materialize: async () => (await import('left-pad-nope')).default })] });\n`,
    });
    const atRun = weir(later, 'materialize');
    expect(atRun.code).toBe(1);
    expect(atRun.stdout + atRun.stderr).toMatch(
      /Cannot find package 'left-pad-nope' imported from \S*weir\.config\.ts/,
    );
    expect(atRun.stderr).toContain('npm install left-pad-nope');
    expect(atRun.stdout + atRun.stderr).not.toContain('.weir/cache');
    // One an installed package imports: its own dependency is missing, not the project's.
    const lacking = projectDir({
      'weir.config.ts': `import f from 'foo-dep';\nimport { asset, defineProject } from 'weir';\nexport default defineProject({ assets: [asset({ key: 'a', materialize: () => f })] });\n`,
      'node_modules/foo-dep/package.json': JSON.stringify({
        name: 'foo-dep',
        type: 'module',
        main: 'index.js',
      }),
      'node_modules/foo-dep/index.js': "import x from 'bar-nope';\nexport default x;\n",
    });
    const deep = weir(lacking, 'status');
    expect(deep.stderr).toContain("node_modules/foo-dep/index.js imports the package 'bar-nope'");
    expect(deep.stderr).toContain("an installed package lacks its own dependency 'bar-nope'");
    const nowhere = projectDir({ 'README.md': 'no project here' });
    const missing = weir(nowhere, 'status', '--project', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no project at');
  });

  it('keeps the hint and names the line of an error thrown while the project loads', () => {
    const dir = projectDir({
      'weir.config.ts': `import { asset, defineProject, rowCountCheck } from 'weir';
const a = asset({ key: 'a', checks: [rowCountCheck({ min: 1, windw: 5 } as never)], materialize: () => [] });
export default defineProject({ assets: [a] });
`,
    });
    const result = weir(dir, 'status');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown option 'windw'");
    expect(result.stderr).toContain("did you mean 'window'?");
    expect(result.stderr).toMatch(/at weir\.config\.ts:2:\d+/);
  });

  it('keeps code versions when the project folder moves, and compiles import.meta inside strings', async () => {
    const { renameSync } = await import('node:fs');
    const dir = projectDir({
      'weir.config.ts': `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asset, defineProject } from 'weir';
const hint = "import.meta.url is rewritten outside strings only";
const a = asset({ key: 'a', materialize: () => readFileSync(join(import.meta.dirname, 'data.txt'), 'utf8') + hint.length });
export default defineProject({ assets: [a] });
`,
      'data.txt': 'gauge',
    });
    expect(weir(dir, 'materialize').code).toBe(0);
    const moved = `${dir}-moved`;
    renameSync(dir, moved);
    try {
      expect(weirJson<AssetState[]>(moved, 'status').map((s) => s.status)).toEqual(['fresh']);
    } finally {
      renameSync(moved, dir);
    }
  });

  it('an unrelated file declaring the same top-level name does not change code versions', () => {
    const dir = projectDir({
      'a.ts': `import { asset } from 'weir';
const scale = (x: number) => x * 2;
export const a = asset({ key: 'a', materialize: () => scale(21) });
`,
      'weir.config.ts': `import { defineProject } from 'weir';
import { a } from './a.js';
export default defineProject({ assets: [a] });
`,
    });
    expect(weir(dir, 'materialize').code).toBe(0);
    writeFile(
      `${dir}/b.ts`,
      `import { asset } from 'weir';
const scale = (x: number) => x * 3;
export const b = asset({ key: 'b', materialize: () => scale(7) });
`,
    );
    writeFile(
      `${dir}/weir.config.ts`,
      `import { defineProject } from 'weir';
import { b } from './b.js';
import { a } from './a.js';
export default defineProject({ assets: [a, b] });
`,
    );
    const states = Object.fromEntries(
      weirJson<AssetState[]>(dir, 'status').map((s) => [s.key, s.status]),
    );
    expect(states).toEqual({ a: 'fresh', b: 'missing' });
  });

  it('rejects unknown commands and options with usage, exit code 2', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/agencies.csv': CSV });
    const command = weir(dir, 'materialise');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'materialise'");
    expect(command.stderr).toContain("did you mean 'materialize'?");
    const option = weir(dir, 'status', '--frobnicate');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('usage: weir status');
    // A value that starts with '-' (Node's parser calls it ambiguous): what to write instead.
    const dash = weir(dir, 'materialize', '--concurrency', '-1');
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain(
      "error: --concurrency takes a value, and the next argument starts with '-': write --concurrency=VALUE",
    );
    expect(weir(dir, 'help').stdout).toContain('commands:');
    expect(weir(dir, '--version').stdout).toMatch(/^weir \d+\.\d+\.\d+/);
  });

  it('exits 1, not 2, for a well-formed command naming what does not exist', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/agencies.csv': CSV });
    const none = weir(dir, 'logs');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error: no runs recorded yet');
    weir(dir, 'materialize');
    const run = weir(dir, 'logs', 'nosuchrun');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: no run 'nosuchrun'");
    expect(weir(dir, 'why', 'directory/agency').code).toBe(1);
    expect(weir(dir, 'history', 'directory/agencies', '--limit', 'lots').code).toBe(2);
    expect(weir(dir, 'why').code).toBe(2);
  });
});
