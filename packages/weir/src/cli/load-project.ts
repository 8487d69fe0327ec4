/**
 * @module cli/load-project
 * Finds `weir.config.ts` and loads it without a build step: esbuild compiles the project's
 * own files (dependencies stay external imports) into `.weir/cache/`, reused while none of
 * the inputs changed, so a warm start does not start esbuild at all. Then derives each
 * asset's code from the compiled files (see `_code-versions.ts`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isProject, type ProjectDefinition } from '../definitions/index.js';
import { DefinitionError, EnvironmentError, WeirError } from '../errors.js';
import { sha256 } from '../hash.js';
import { warmCodeAnalyser } from '../versioning/index.js';
import { deriveCodeVersions } from './_code-versions.js';
import { type CompiledFile, compileProject } from './_compile-project.js';
import { findProjectFile } from './_find-project.js';

export { findProjectFile, PROJECT_FILES } from './_find-project.js';

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
  files: CompiledFile[];
}

export async function loadProject(cwd: string, explicit?: string): Promise<LoadedProject> {
  const path = findProjectFile(cwd, explicit);
  const root = dirname(path);
  const cacheDir = join(root, '.weir', 'cache');
  const { module, files } = await importProjectModule(path, cacheDir);
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
  await deriveCodeVersions(
    project,
    root,
    files,
    join(cacheDir, `code-facts-${sha256(path).slice(0, 12)}.json`),
  );
  return { project, path, root, instanceDir: resolve(root, project.instance.dir ?? '.weir') };
}

async function importProjectModule(
  path: string,
  cacheDir: string,
): Promise<{ module: unknown; files: CompiledFile[] }> {
  const manifestPath = join(cacheDir, `${sha256(path).slice(0, 12)}.json`);
  const cached = readManifest(manifestPath);
  let entry = cached !== undefined && isCurrent(cached) ? cached : undefined;
  if (entry === undefined) {
    mkdirSync(cacheDir, { recursive: true });
    // The new files will be analysed for code versions: ready the parser while esbuild works
    // (a failure here shows where the parser is used).
    const compiled = await compileProject(path, cacheDir, cached?.output, () => {
      warmCodeAnalyser().catch(() => undefined);
    });
    entry = { output: compiled.entry, inputs: compiled.inputs, files: compiled.files };
    // A file saved during the build: use this build now, but do not cache it.
    if (compiled.inputs.every(unchangedSince)) {
      writeAtomically(manifestPath, JSON.stringify(entry satisfies CacheEntry));
    }
  }
  try {
    return { module: await import(pathToFileURL(entry.output).href), files: entry.files };
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

function writeAtomically(path: string, contents: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}
