/**
 * @module cli/load-project
 * Finds `weir.config.ts` and loads it without a build step: esbuild bundles the project's
 * own files (dependencies stay external imports) into `.weir/cache/`, reused while none of
 * the inputs changed, so a warm start does not start esbuild at all.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isProject, type ProjectDefinition } from '../definitions/index.js';
import { DefinitionError, EnvironmentError, WeirError } from '../errors.js';
import { sha256 } from '../hash.js';
import { rewriteImportMeta } from './_import-meta.js';

export const PROJECT_FILES = [
  'weir.config.ts',
  'weir.config.mts',
  'weir.config.js',
  'weir.config.mjs',
];

export interface LoadedProject {
  project: ProjectDefinition;
  /** The project file. */
  path: string;
  /** The folder of the project file: relative instance paths start here. */
  root: string;
  /** The instance folder (`.weir` beside the project file unless the project says otherwise). */
  instanceDir: string;
}

interface CacheEntry {
  output: string;
  inputs: Array<{ path: string; mtimeMs: number; size: number }>;
}

/** Finds the project file: `explicit` (a file or a folder holding one), else walking up from `cwd`. */
export function findProjectFile(cwd: string, explicit?: string): string {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (existsSync(path) && statSync(path).isFile()) return path;
    const inside = PROJECT_FILES.map((name) => join(path, name)).find((p) => existsSync(p));
    if (inside !== undefined) return inside;
    throw new EnvironmentError('E_PROJECT_NOT_FOUND', `no project at ${path}`, {
      hint: `--project takes a project file or a folder holding one of ${PROJECT_FILES.join(', ')}`,
    });
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = PROJECT_FILES.map((name) => join(dir, name)).find((p) => existsSync(p));
    if (found !== undefined) return found;
    if (dirname(dir) === dir) break;
  }
  throw new EnvironmentError(
    'E_PROJECT_NOT_FOUND',
    `no weir.config.ts in ${resolve(cwd)} or any folder above it`,
    {
      hint: 'run weir inside a project, or pass --project PATH',
    },
  );
}

export async function loadProject(cwd: string, explicit?: string): Promise<LoadedProject> {
  const path = findProjectFile(cwd, explicit);
  const root = dirname(path);
  const cacheDir = join(root, '.weir', 'cache');
  const module = await importProjectModule(path, cacheDir);
  const project = (module as { default?: unknown }).default;
  if (!isProject(project)) {
    throw new EnvironmentError(
      'E_PROJECT_LOAD',
      `${relative(cwd, path) || path} does not export a project`,
      {
        hint: 'end it with `export default defineProject({ assets: [...] })`',
      },
    );
  }
  return { project, path, root, instanceDir: resolve(root, project.instance.dir ?? '.weir') };
}

async function importProjectModule(path: string, cacheDir: string): Promise<unknown> {
  const manifestPath = join(cacheDir, `${sha256(path).slice(0, 12)}.json`);
  let output = cachedOutput(manifestPath);
  if (output === undefined) output = await bundle(path, cacheDir, manifestPath);
  try {
    // The query busts the module cache of a long-lived process when the bundle changed.
    return await import(`${pathToFileURL(output).href}?v=${statSync(output).mtimeMs}`);
  } catch (error) {
    throw loadError(path, error);
  }
}

/**
 * An error thrown while the project file runs (a definition error, a misspelt check option,
 * a bug at module level), keeping its code and hint, and naming where in the user's files it
 * was thrown (stacks are source-mapped to them).
 */
function loadError(path: string, error: unknown): WeirError {
  const where = userFrame(error);
  const at = where === undefined ? '' : ` (at ${where})`;
  if (error instanceof WeirError) {
    const Kind = error instanceof DefinitionError ? DefinitionError : EnvironmentError;
    return new Kind(error.code, `${error.message}${at}`, {
      cause: error,
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
  return new EnvironmentError(
    'E_PROJECT_LOAD',
    `loading ${path} failed: ${(error as Error)?.message ?? String(error)}${at}`,
    {
      cause: error,
    },
  );
}

const WEIR_OR_DEPENDENCY =
  /\/node_modules\/|\/packages\/weir\/(dist|src)\/|\/\.weir\/cache\/|^node:/;

/** The first stack frame in the user's own files (not Weir's, not node_modules). */
function userFrame(error: unknown): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (match === null) continue;
    const file = match[1]!.replace(/^file:\/\//, '');
    if (WEIR_OR_DEPENDENCY.test(file)) continue;
    return `${relative(process.cwd(), file) || file}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

function cachedOutput(manifestPath: string): string | undefined {
  try {
    const entry = JSON.parse(readFileSync(manifestPath, 'utf8')) as CacheEntry;
    for (const input of entry.inputs) {
      const stat = statSync(input.path);
      if (stat.mtimeMs !== input.mtimeMs || stat.size !== input.size) return undefined;
    }
    return existsSync(entry.output) ? entry.output : undefined;
  } catch {
    return undefined;
  }
}

async function bundle(path: string, cacheDir: string, manifestPath: string): Promise<string> {
  const output = join(cacheDir, `project-${sha256(path).slice(0, 12)}.mjs`);
  const root = dirname(path);
  const inputs: CacheEntry['inputs'] = [];
  const { build } = await import('esbuild');
  let result: Awaited<ReturnType<typeof build>> & {
    metafile: NonNullable<Awaited<ReturnType<typeof build>>['metafile']>;
  };
  try {
    result = await build({
      entryPoints: [path],
      // Written to one file per project file (overwritten on change, so the cache does not
      // grow); naming it lets the source map point at the real sources.
      outfile: output,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [
        {
          name: 'weir-import-meta',
          // Bundled code runs from .weir/cache: keep import.meta pointing at each source file.
          setup(esbuild) {
            esbuild.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
              if (args.path.includes('node_modules')) return undefined;
              // Stat before reading: a save during the build then invalidates the cache.
              const stat = statSync(args.path);
              inputs.push({ path: args.path, mtimeMs: stat.mtimeMs, size: stat.size });
              const source = await readFile(args.path, 'utf8');
              const ext = extname(args.path).slice(1);
              const loader =
                ext === 'tsx' ? 'tsx' : ext === 'jsx' ? 'jsx' : ext.endsWith('ts') ? 'ts' : 'js';
              return { contents: rewriteImportMeta(source, args.path, root), loader };
            });
          },
        },
      ],
    });
  } catch (error) {
    const failure = error as {
      errors?: Array<{
        text: string;
        location?: { file: string; line: number; column: number; lineText: string };
      }>;
    };
    const first = failure.errors?.[0];
    const where = first?.location
      ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: `
      : '';
    throw new EnvironmentError(
      'E_PROJECT_LOAD',
      `cannot compile ${path}: ${where}${first?.text ?? (error as Error).message}`,
      {
        cause: error,
        hint: first?.location ? `  ${first.location.lineText}` : undefined,
      },
    );
  }
  mkdirSync(cacheDir, { recursive: true });
  // Written under a temporary name and renamed: another process importing the bundle at the
  // same moment reads the old one or the new one, never half of one.
  writeAtomically(output, result.outputFiles![0]!.contents);
  // Inputs esbuild loaded itself (JSON, text) are stat'ed now; sources were before reading.
  const cwd = process.cwd();
  const seen = new Set(inputs.map((input) => input.path));
  const others = Object.keys(result.metafile.inputs)
    .map((input) => resolve(cwd, input))
    .filter((full) => !seen.has(full));
  for (const full of others) {
    const stat = statSync(full);
    inputs.push({ path: full, mtimeMs: stat.mtimeMs, size: stat.size });
  }
  const unchanged = inputs.every((input) => {
    const stat = statSync(input.path);
    return stat.mtimeMs === input.mtimeMs && stat.size === input.size;
  });
  // A file saved during the build: use this bundle now, but do not cache it.
  if (unchanged)
    writeAtomically(manifestPath, JSON.stringify({ output, inputs } satisfies CacheEntry));
  return output;
}

function writeAtomically(path: string, contents: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}
