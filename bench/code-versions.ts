/**
 * code-versions: deriving the code versions of 10,000 assets across 100 files, as the CLI does
 * on every load (`deriveCodeVersions` in packages/weir/src/cli/_code-versions.ts).
 *
 * The project: 100 files of 100 assets each, written as a user would (per-file constants and
 * helpers, shared helpers imported from `src/lib/`, a namespace import, a package, types),
 * compiled once as the loader compiles it (esbuild, one file at a time) and imported, so the
 * definitions' functions are the real compiled ones.
 *
 * Timed, medians over repeats (interleaved):
 * - cold: no facts cache, so every compiled file is parsed and analysed (acorn is already
 *   loaded after the first repeat);
 * - warm: the facts cache is current (a start after a rebuild that changed no file's output);
 * - cached: the derived versions cache is current too (a start after nothing changed);
 * each case then takes every asset's code version (hashed from its parts unless cached);
 * - baselines in the same run: reading and hashing the same compiled files (the least a warm
 *   derivation must do), and parsing them with acorn (the least a cold one must do).
 * Target (ours): warm ≤ 20 µs per asset (200 ms for 10,000), so a start after nothing changed
 * pays little next to importing the definitions; cold is paid once per edit of a file (only
 * the edited files are analysed again).
 *
 * The project lives in .bench-tmp/code-versions-project/ (its `import 'weir'` resolves through
 * the workspace); needs `npm run build` (packages/weir/dist).
 *
 * Run: npm run bench -- code-versions [--repeats N] [--files N] [--assets N]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'acorn';
import { deriveCodeVersions } from '../packages/weir/src/cli/_code-versions.js';
import { compileProject } from '../packages/weir/src/cli/_compile-project.js';
import type { ProjectDefinition } from '../packages/weir/src/index.js';
import { codeVersionOf } from '../packages/weir/src/versioning/index.js';
import { gc, median, option, table } from './_report.js';

const TARGET_WARM_MS = 200;
const ROOT = resolve(import.meta.dirname, '..');
const PROJECT = join(ROOT, '.bench-tmp', 'code-versions-project');

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** One project file: constants, helpers, and `assets` assets using them in several ways. */
function sourceFile(f: number, assets: number): string {
  const lines = [
    `import { asset, check } from 'weir';`,
    `import { clamp, normalize } from './lib/helpers';`,
    `import * as text from './lib/text';`,
    `import type { Row } from './lib/types';`,
    '',
    `const SCALE = ${f + 1};`,
    `const LIMIT = ${1000 + f};`,
    '',
    'function scaled(x: number): number {',
    '  return clamp(x * SCALE, 0, LIMIT);',
    '}',
    '',
    'function label(i: number): string {',
    "  return text.upper(normalize('item ' + i));",
    '}',
    '',
    `const positive = check<Row[]>({ name: 'positive', evaluate: (_ctx, rows) => rows.every((r) => r.value >= 0) });`,
    '',
  ];
  for (let a = 0; a < assets; a++) {
    const kind = a % 4;
    const body =
      kind === 0
        ? `(): Row[] => [{ name: label(${a}), value: scaled(${a}) }]`
        : kind === 1
          ? `() => scaled(${a}) + ${a}`
          : kind === 2
            ? `() => text.lower('Asset ${a}').split(' ').map((t) => t.length)`
            : `() => ({ file: ${f}, asset: ${a}, at: new Date(0).toISOString() })`;
    const checks = kind === 0 ? '  checks: [positive],\n' : '';
    lines.push(
      `export const a${a} = asset({\n  key: 'f${f}/a${a}',\n${checks}  materialize: ${body},\n});`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function writeProject(files: number, assets: number): void {
  rmSync(PROJECT, { recursive: true, force: true });
  const pad = (i: number) => String(i).padStart(3, '0');
  write(
    join(PROJECT, 'src/lib/helpers.ts'),
    `export function clamp(x: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, x));\n}\n\nexport function normalize(s: string): string {\n  return s.trim().replace(/\\s+/g, ' ');\n}\n`,
  );
  write(
    join(PROJECT, 'src/lib/text.ts'),
    `export const upper = (s: string): string => s.toUpperCase();\nexport const lower = (s: string): string => s.toLowerCase();\n`,
  );
  write(
    join(PROJECT, 'src/lib/types.ts'),
    'export interface Row {\n  name: string;\n  value: number;\n}\n',
  );
  const imports: string[] = [];
  for (let f = 0; f < files; f++) {
    write(join(PROJECT, `src/f${pad(f)}.ts`), sourceFile(f, assets));
    imports.push(`import * as f${pad(f)} from './src/f${pad(f)}';`);
  }
  write(
    join(PROJECT, 'weir.config.ts'),
    `import { defineProject } from 'weir';\n${imports.join('\n')}\n\nexport default defineProject({\n  assets: [${Array.from({ length: files }, (_, f) => `...Object.values(f${pad(f)})`).join(', ')}],\n});\n`,
  );
}

function time(run: () => void): number {
  gc();
  const t = performance.now();
  run();
  return performance.now() - t;
}

async function timeAsync(run: () => Promise<void>): Promise<number> {
  gc();
  const t = performance.now();
  await run();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 10);
  const fileCount = Number(option('files') ?? 100);
  const assetsPerFile = Number(option('assets') ?? 100);
  if (!existsSync(join(ROOT, 'packages', 'weir', 'dist', 'index.js'))) {
    throw new Error('packages/weir/dist is missing: run `npm run build` first');
  }
  writeProject(fileCount, assetsPerFile);
  const cacheDir = join(PROJECT, '.weir', 'cache');
  mkdirSync(cacheDir, { recursive: true });
  try {
    const compiled = await compileProject(join(PROJECT, 'weir.config.ts'), cacheDir, undefined);
    const project = (
      (await import(pathToFileURL(compiled.entry).href)) as { default: ProjectDefinition }
    ).default;
    const cachePath = join(cacheDir, 'code-facts-bench.json');
    const derivedPath = join(cacheDir, 'code-versions-bench.json');
    // What a start needs: every asset's version (hashed from its parts unless cached).
    const versionsOfAll = () => {
      for (const definition of project.assets) codeVersionOf(definition);
    };
    const derive = async () => {
      await deriveCodeVersions(project, PROJECT, compiled.files, cachePath);
      versionsOfAll();
    };
    const deriveCached = async () => {
      await deriveCodeVersions(project, PROJECT, compiled.files, cachePath, derivedPath);
      versionsOfAll();
    };
    const outputs = compiled.files.map((f) => f.output);
    const readAndHash = () => {
      for (const path of outputs)
        createHash('sha256').update(readFileSync(path, 'utf8')).digest('hex');
    };
    const parseAll = () => {
      for (const path of outputs)
        parse(readFileSync(path, 'utf8'), { ecmaVersion: 'latest', sourceType: 'module' });
    };
    // Warm everything once (file cache, acorn loaded, JIT).
    rmSync(cachePath, { force: true });
    await derive();
    await deriveCached();
    const assets = project.assets.length;
    const samples = {
      hash: [] as number[],
      parse: [] as number[],
      cold: [] as number[],
      warm: [] as number[],
      cached: [] as number[],
    };
    for (let r = 0; r < repeats; r++) {
      samples.hash.push(time(readAndHash));
      samples.parse.push(time(parseAll));
      rmSync(cachePath, { force: true });
      samples.cold.push(await timeAsync(derive));
      samples.warm.push(await timeAsync(derive));
      samples.cached.push(await timeAsync(deriveCached));
    }
    // Every asset got a derived version.
    const versions = new Set(project.assets.map((a) => codeVersionOf(a)));
    const base = median(samples.hash);
    const row = (name: string, values: number[], target?: number) => {
      const ms = median(values);
      return [
        name,
        ms.toFixed(1),
        Math.min(...values).toFixed(1),
        Math.max(...values).toFixed(1),
        `${(ms / base).toFixed(1)}x`,
        `${((ms * 1000) / assets).toFixed(1)}`,
        target === undefined ? '' : ms <= target ? 'PASS' : 'FAIL',
      ];
    };
    const bytes = outputs.reduce((sum, p) => sum + readFileSync(p).length, 0);
    process.stdout.write(
      `code-versions: node ${process.version}, ${assets} assets in ${outputs.length} compiled files (${(bytes / 1e6).toFixed(1)} MB), ${versions.size} distinct code versions, ${repeats} repeats (interleaved)\n\n`,
    );
    process.stdout.write(
      `${table(
        [
          'case',
          'median ms',
          'min',
          'max',
          'vs read+hash',
          'µs/asset',
          `warm ≤ ${TARGET_WARM_MS} ms`,
        ],
        [
          row('baseline: read + sha256 of the compiled files', samples.hash),
          row('baseline: read + acorn parse of the compiled files', samples.parse),
          row('cold: derive with no facts cache (parse, analyse, cache)', samples.cold),
          row('warm: derive with the facts cache current', samples.warm, TARGET_WARM_MS),
          row('warm: the derived versions cache current', samples.cached, TARGET_WARM_MS),
        ],
      )}\n`,
    );
  } finally {
    rmSync(PROJECT, { recursive: true, force: true });
  }
}

await main();
