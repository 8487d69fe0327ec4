/**
 * @module cli/_find-project
 * Finds a project's `weir.config.ts` (kept apart from loading, so the process entry can find
 * the project folder without loading the rest of the CLI).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EnvironmentError } from '../errors.js';

export const PROJECT_FILES = [
  'weir.config.ts',
  'weir.config.mts',
  'weir.config.js',
  'weir.config.mjs',
];

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

/**
 * The folder of the project a command line names (`--project`/`-p`) or runs in, or undefined
 * when there is none (the command reports that itself).
 */
export function projectFolderOf(argv: readonly string[], cwd: string): string | undefined {
  let explicit: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { project: { type: 'string', short: 'p' } },
      strict: false,
      allowPositionals: true,
    });
    explicit = typeof values.project === 'string' ? values.project : undefined;
  } catch {
    return undefined;
  }
  try {
    return dirname(findProjectFile(cwd, explicit));
  } catch {
    return undefined;
  }
}
