/**
 * @module cli/load-project
 * Finds `weir.config.ts` and loads it without a build step: esbuild bundles the project's
 * own files (dependencies stay external imports) into `.weir/cache/`, reused while none of
 * the inputs changed, so a warm start does not start esbuild at all.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isProject, type ProjectDefinition } from '../definitions/index.js';
import { DefinitionError, EnvironmentError, WeirError } from '../errors.js';
import { sha256 } from '../hash.js';
import { compileProject } from './_compile-project.js';

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
  let output = currentBuild(path, cacheDir);
  if (output === undefined && writable(cacheDir)) output = await build(path, cacheDir, {});
  if (output === undefined) {
    // A project (or .weir) this process may not write: compile into the temp folder.
    const elsewhere = fallbackCacheDir(path);
    output =
      currentBuild(path, elsewhere) ?? (await build(path, elsewhere, { resolvePackages: true }));
  }
  try {
    return await import(pathToFileURL(output).href);
  } catch (error) {
    throw loadError(path, error);
  }
}

function manifestOf(path: string, cacheDir: string): string {
  return join(cacheDir, `${sha256(path).slice(0, 12)}.json`);
}

/** The compiled entry of a cached build whose inputs have not changed since. */
function currentBuild(path: string, cacheDir: string): string | undefined {
  const cached = readManifest(manifestOf(path, cacheDir));
  return cached !== undefined && isCurrent(cached) ? cached.output : undefined;
}

async function build(
  path: string,
  cacheDir: string,
  options: { resolvePackages?: boolean },
): Promise<string> {
  const manifestPath = manifestOf(path, cacheDir);
  mkdirSync(cacheDir, { recursive: true });
  const compiled = await compileProject(
    path,
    cacheDir,
    readManifest(manifestPath)?.output,
    options,
  );
  // A file saved during the build: use this build now, but do not cache it.
  if (compiled.inputs.every(unchangedSince)) {
    writeAtomically(
      manifestPath,
      JSON.stringify({ output: compiled.entry, inputs: compiled.inputs } satisfies CacheEntry),
    );
  }
  return compiled.entry;
}

/** Whether this process can create (or write into) `dir`. */
function writable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * This user's cache folder, in the temp folder, for a project that cannot keep its own: one
 * only this user can write (compiled code is run), else a fresh one.
 */
function fallbackCacheDir(path: string): string {
  const uid = process.getuid?.() ?? 0;
  const mine = join(tmpdir(), `weir-cache-${uid}`);
  try {
    mkdirSync(mine, { recursive: true, mode: 0o700 });
    const stat = statSync(mine);
    if (stat.uid === uid && (stat.mode & 0o022) === 0) return join(mine, sha256(path).slice(0, 12));
  } catch {
    // Fall through to a fresh folder.
  }
  return mkdtempSync(join(tmpdir(), 'weir-cache-'));
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

function readManifest(manifestPath: string): CacheEntry | undefined {
  try {
    return JSON.parse(readFileSync(manifestPath, 'utf8')) as CacheEntry;
  } catch {
    return undefined;
  }
}

function isCurrent(entry: CacheEntry): boolean {
  return existsSync(entry.output) && entry.inputs.every(unchangedSince);
}

function unchangedSince(input: CacheEntry['inputs'][number]): boolean {
  try {
    const stat = statSync(input.path);
    return stat.mtimeMs === input.mtimeMs && stat.size === input.size;
  } catch {
    return false;
  }
}

function writeAtomically(path: string, contents: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}
