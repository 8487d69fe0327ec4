/**
 * @module cli/load-project
 * Finds `weir.config.ts` and loads it without a build step: esbuild compiles the project's
 * own files (dependencies stay external imports) into `.weir/cache/`, reused while none of
 * the inputs changed, so a warm start does not start esbuild at all. Then derives each
 * asset's code from the compiled files (see `_code-versions.ts`).
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isProject, type ProjectDefinition } from '../definitions/index.js';
import { DefinitionError, EnvironmentError, WeirError } from '../errors.js';
import { sha256 } from '../hash.js';
import type { MergedProject } from '../locations/index.js';
import { frameLocation, packageNotFound, sourceMapped } from '../source-stacks.js';
import { warmCodeAnalyser } from '../versioning/index.js';
import { deriveCodeVersions } from './_code-versions.js';
import { type CompiledFile, compileProject } from './_compile-project.js';
import { findProjectFile } from './_find-project.js';
import { loadLocations } from './_locations.js';
import { writeAtomically } from './_write-atomically.js';

export { findProjectFile, PROJECT_FILES } from './_find-project.js';

export interface LoadedProject {
  project: ProjectDefinition;
  /** The project file. */
  path: string;
  /** The folder of the project file: relative instance paths start here. */
  root: string;
  /** The instance folder (`.weir` beside the project file unless the project says otherwise). */
  instanceDir: string;
  /** With code locations: where each located asset runs, and the locations that did not load. */
  locations?: Pick<MergedProject, 'locationOf' | 'unavailableOf' | 'problems'>;
}

interface CacheEntry {
  output: string;
  inputs: Array<{ path: string; mtimeMs: number; size: number }>;
  files: CompiledFile[];
}

export interface LoadOptions {
  /**
   * Loading a code location (its own process): a location that lists locations of its own is
   * refused before any is loaded (locations do not nest; one listing its project would load
   * itself without end).
   */
  asLocation?: boolean;
}

export async function loadProject(
  cwd: string,
  explicit?: string,
  options: LoadOptions = {},
): Promise<LoadedProject> {
  const path = findProjectFile(cwd, explicit);
  const root = dirname(path);
  const cacheDir = join(root, '.weir', 'cache');
  const { module, files, cacheDir: usedDir } = await importProjectModule(path, cacheDir);
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
  const id = sha256(path).slice(0, 12);
  await deriveCodeVersions(
    project,
    root,
    files,
    join(usedDir, `code-facts-${id}.json`),
    join(usedDir, `code-versions-${id}.json`),
  );
  const instanceDir = resolve(root, project.instance.dir ?? '.weir');
  if (Object.keys(project.locations).length === 0) return { project, path, root, instanceDir };
  if (options.asLocation) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${relative(cwd, path) || path} is a code location and lists code locations of its own (${Object.keys(project.locations).join(', ')}): locations do not nest`,
      { hint: 'list every location in the project itself' },
    );
  }
  const { project: merged, ...locations } = await loadLocations(root, project, cwd);
  return { project: merged, path, root, instanceDir, locations };
}

/**
 * The project's module and its compiled files, built into `cacheDir` (the compile cache it
 * used is returned): into the temp folder when this process may not write the project's.
 */
async function importProjectModule(
  path: string,
  cacheDir: string,
): Promise<{ module: unknown; files: CompiledFile[]; cacheDir: string }> {
  let used = cacheDir;
  let entry = currentBuild(path, used);
  if (entry === undefined && writable(used)) entry = await build(path, used, {});
  if (entry === undefined) {
    // A project (or .weir) this process may not write: compile into the temp folder.
    used = fallbackCacheDir(path);
    entry = currentBuild(path, used) ?? (await build(path, used, { resolvePackages: true }));
  }
  try {
    const module = await import(pathToFileURL(entry.output).href);
    return { module, files: entry.files, cacheDir: used };
  } catch (error) {
    throw missingPackage(error, entry.files) ?? loadError(path, error);
  }
}

/**
 * A package the project imports that is not installed, named with the source file that
 * imports it (not its compiled copy in the cache) and where to install it.
 */
function missingPackage(error: unknown, files: readonly CompiledFile[]): WeirError | undefined {
  const found = packageNotFound(error);
  if (found === undefined) return undefined;
  const { name, importer } = found;
  const source = files.find((file) => file.output === importer)?.source ?? importer;
  const shown = relative(process.cwd(), source) || source;
  const root = packageRoot(dirname(source));
  // Imported by an installed package: that package's own dependency is missing.
  const hint = /[/\\]node_modules[/\\]/.test(source)
    ? `an installed package lacks its own dependency '${name}': install the project's dependencies again (npm install)`
    : `install it: npm install ${name}${root === undefined ? '' : ` (in ${relative(process.cwd(), root) || '.'})`}`;
  return new EnvironmentError(
    'E_PROJECT_LOAD',
    `${shown} imports the package '${name}', which is not installed`,
    { cause: error, hint },
  );
}

/** The nearest folder at or above `dir` with a package.json. */
function packageRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

function manifestOf(path: string, cacheDir: string): string {
  return join(cacheDir, `${sha256(path).slice(0, 12)}.json`);
}

/** A cached build whose inputs have not changed since. */
function currentBuild(path: string, cacheDir: string): CacheEntry | undefined {
  const cached = readManifest(manifestOf(path, cacheDir));
  return cached !== undefined && isCurrent(cached) ? cached : undefined;
}

async function build(
  path: string,
  cacheDir: string,
  options: { resolvePackages?: boolean },
): Promise<CacheEntry> {
  const manifestPath = manifestOf(path, cacheDir);
  mkdirSync(cacheDir, { recursive: true });
  const compiled = await compileProject(path, cacheDir, readManifest(manifestPath)?.output, {
    ...options,
    // The new files will be analysed for code versions: ready the parser while esbuild works
    // (a failure here shows where the parser is used).
    whileWaiting: () => {
      warmCodeAnalyser().catch(() => undefined);
    },
  });
  const entry: CacheEntry = {
    output: compiled.entry,
    inputs: compiled.inputs,
    files: compiled.files,
  };
  // A file saved during the build: use this build now, but do not cache it.
  if (compiled.inputs.every(unchangedSince)) {
    writeAtomically(manifestPath, JSON.stringify(entry));
  }
  return entry;
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
  const stack = error instanceof Error ? sourceMapped(error.stack ?? '') : '';
  for (const line of stack.split('\n').slice(1)) {
    const frame = frameLocation(line);
    if (frame === undefined || WEIR_OR_DEPENDENCY.test(frame.file)) continue;
    return `${relative(process.cwd(), frame.file) || frame.file}:${frame.line}:${frame.column}`;
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
  return (
    Array.isArray(entry.files) && existsSync(entry.output) && entry.inputs.every(unchangedSince)
  );
}

function unchangedSince(input: CacheEntry['inputs'][number]): boolean {
  try {
    const stat = statSync(input.path);
    return stat.mtimeMs === input.mtimeMs && stat.size === input.size;
  } catch {
    return false;
  }
}
