/**
 * On Node without a compile cache for ES modules (before 22.1), the CLI runs a project's
 * compiled files as scripts with V8's code cache (cli/_script-modules.ts). What a project
 * sees must not change: the same values, the same order of evaluation, the same namespaces,
 * the same code versions as when Node imports them as ES modules; and what the scripts cannot
 * express exactly makes the project load as ES modules.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectDir, weir } from './cli-helpers.js';

const scriptsUsed =
  typeof (module as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

function asEsm(dir: string, ...args: string[]) {
  const previous = process.env.WEIR_PROJECT_MODULES;
  process.env.WEIR_PROJECT_MODULES = 'esm';
  try {
    return weir(dir, ...args);
  } finally {
    if (previous === undefined) delete process.env.WEIR_PROJECT_MODULES;
    else process.env.WEIR_PROJECT_MODULES = previous;
  }
}

/** The build folder of the project's compile cache, and its plan file. */
function build(dir: string): { folder: string; manifest: Record<string, unknown> } {
  const cache = join(dir, '.weir', 'cache');
  const name = readdirSync(cache).find((n) => /^p[0-9a-f]{12}-[0-9a-f]{12}$/.test(n))!;
  const folder = join(cache, name);
  return {
    folder,
    manifest: JSON.parse(readFileSync(join(folder, '__weir_scripts.json'), 'utf8')) as Record<
      string,
      unknown
    >,
  };
}

const FILES = {
  'src/trace.ts': `export const trace: string[] = [];
export function mark(name: string): void { trace.push(name); }
`,
  'src/setup.ts': `import { mark } from './trace';
mark('setup');
(globalThis as { __region?: string }).__region = 'north';
`,
  'src/numbers.ts': `import { mark } from './trace';
mark('numbers');
export const zeta = 26;
export const alpha = 1;
export function double(n: number): number { return n * 2; }
export default function total(values: number[]): number { return values.reduce((a, b) => a + b, 0); }
`,
  'src/shapes.ts': `import { mark } from './trace';
mark('shapes');
export const square = 4;
export const alpha = 100;
`,
  'src/barrel.ts': `import { mark } from './trace';
mark('barrel');
export * from './numbers';
export * from './shapes';
export { default as sum } from './numbers';
export * as shapes from './shapes';
`,
  'src/assets.ts': `import { join } from 'node:path';
import * as fs from 'node:fs';
import { asset } from 'weir';
import * as barrel from './barrel';
import sum, { double as twice } from './numbers';
import { mark, trace } from './trace';
mark('assets');
const region = (globalThis as { __region?: string }).__region;

export const report = asset({
  key: 'report',
  materialize: () => ({
    order: trace.join(','),
    region,
    keys: Object.keys(barrel).join(','),
    // alpha is exported by both modules the barrel re-exports all of: by neither.
    alpha: 'alpha' in barrel,
    tag: Object.prototype.toString.call(barrel),
    sum: sum([1, 2, 3]),
    twice: twice(21),
    square: barrel.shapes.square,
    path: join('a', 'b'),
    fs: typeof fs.readFileSync,
  }),
});
`,
  'weir.config.ts': `import './src/setup';
import { defineProject } from 'weir';
import { report } from './src/assets';
export default defineProject({ assets: [report] });
`,
};

const EXPECTED = {
  order: 'setup,numbers,shapes,barrel,assets',
  region: 'north',
  keys: 'double,shapes,square,sum,zeta',
  alpha: false,
  tag: '[object Module]',
  sum: 6,
  twice: 42,
  square: 4,
  path: 'a/b',
  fs: 'function',
};

describe('a project run as scripts', () => {
  it('sees what it sees as ES modules: values, order, namespaces, code versions', () => {
    const dir = projectDir(FILES);
    expect(weir(dir, 'materialize').code).toBe(0);
    expect(JSON.parse(weir(dir, 'value', 'report').stdout)).toEqual(EXPECTED);
    if (scriptsUsed) expect(build(dir).manifest).toHaveProperty('plans');
    // The same code versions: loaded as ES modules, nothing is stale and the value is equal.
    expect(asEsm(dir, 'status').stdout).toMatch(/report\s+fresh/);
    expect(asEsm(dir, 'materialize', '--force').code).toBe(0);
    expect(JSON.parse(asEsm(dir, 'value', 'report').stdout)).toEqual(EXPECTED);
  });

  it.runIf(scriptsUsed)('keeps V8 code caches beside the build and reuses them', () => {
    const dir = projectDir(FILES);
    expect(weir(dir, 'status').code).toBe(0);
    const { folder } = build(dir);
    const caches = () =>
      readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.v8'))
        .map((f) => [f, statSync(join(folder, f)).mtimeMs] as const);
    const first = caches();
    // weir.config and the five files of src/.
    expect(first).toHaveLength(7);
    expect(weir(dir, 'status').code).toBe(0);
    expect(caches()).toEqual(first);
  });

  it('names the file and line of user code that throws while it loads', () => {
    const dir = projectDir({
      'src/broken.ts': `export const n = 1;
export function boom(): never {
  throw new Error('no config for this region');
}
boom();
`,
      'weir.config.ts': `import { defineProject } from 'weir';
import { n } from './src/broken';
export const loaded = n;
export default defineProject({ assets: [] });
`,
    });
    const result = weir(dir, 'status');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no config for this region');
    expect(result.stderr).toMatch(/src\/broken\.ts:3:\d+/);
  });

  it('a named import the module does not export fails as it does for ES modules', () => {
    const dir = projectDir({
      'src/a.ts': 'export const present = 1;\n',
      'weir.config.ts': `import { defineProject } from 'weir';
// @ts-expect-error: absent on purpose
import { absent } from './src/a';
export const loaded = absent;
export default defineProject({ assets: [] });
`,
    });
    const result = weir(dir, 'status');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not provide an export named 'absent'/);
  });
});

describe('what scripts cannot express exactly loads as ES modules', () => {
  const cases: Array<[string, Record<string, string>, RegExp, unknown]> = [
    [
      'an import cycle',
      {
        'src/a.ts': `import { b } from './b';
export function a(): string { return 'a'; }
export const fromB = () => b();
`,
        'src/b.ts': `import { a } from './a';
export function b(): string { return \`b\${a()}\`; }
`,
      },
      /import cycle/,
      'ba',
    ],
    [
      'a dynamic import',
      {
        'src/a.ts': `export const later = () => import('./b');
export const fromB = () => 'ba';
`,
        'src/b.ts': 'export const b = 1;\n',
      },
      /imports a module dynamically/,
      'ba',
    ],
    [
      'an export assigned after it is declared (a live binding)',
      {
        'src/a.ts': `export let current = 'a';
export function set(value: string): void { current = value; }
`,
        'src/b.ts': `import { current, set } from './a';
export const fromB = () => { set('b'); return current + 'a'; };
`,
      },
      /export current is assigned after it is declared/,
      'ba',
    ],
  ];
  for (const [name, files, reason, expected] of cases) {
    it(name, () => {
      const importer = 'src/b.ts' in files && /fromB/.test(files['src/b.ts']!) ? 'b' : 'a';
      const dir = projectDir({
        ...files,
        'weir.config.ts': `import { asset, defineProject } from 'weir';
import { fromB } from './src/${importer}';
const value = asset({ key: 'value', materialize: () => fromB() });
export default defineProject({ assets: [value] });
`,
      });
      const result = weir(dir, 'materialize');
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(weir(dir, 'value', 'value').stdout)).toBe(expected);
      if (scriptsUsed) expect(String(build(dir).manifest.unsupported)).toMatch(reason);
    });
  }
});
