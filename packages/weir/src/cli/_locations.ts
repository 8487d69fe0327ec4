/**
 * @module cli/_locations
 * Loads a project's code locations, each in a process of its own (`location-process.ts`), all
 * at once, and merges their manifests into the project (see locations/merge.ts). A location
 * that fails to load, or does not within the time allowed, is reported, not fatal: its last
 * manifest that loaded (kept in the project's `.weir/cache`) stands in for it, so its assets
 * keep their keys and code versions (they are unavailable, not stale).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ProjectDefinition } from '../definitions/index.js';
import {
  type LoadedLocation,
  LocationError,
  type LocationManifest,
  type MergedProject,
  mergeLocations,
} from '../locations/index.js';
import { weirPackagePath } from '../package-path.js';
import { durationVariable } from './_duration-variable.js';
import { PROJECT_FILES } from './_find-project.js';
import { writeAtomically } from './_write-atomically.js';

/** How long a location may take to load (ms); WEIR_LOCATION_TIMEOUT_MS overrides it. */
const LOAD_TIMEOUT_MS = 120_000;

type FromLocation =
  | { type: 'manifest'; manifest: LocationManifest }
  | { type: 'failed'; message: string; hint?: string };

/** Location processes still running: killed if this process exits first (Ctrl-C while loading). */
const running = new Set<ChildProcess>();
let exitHook = false;

export async function loadLocations(
  root: string,
  project: ProjectDefinition,
  cwd: string,
): Promise<MergedProject> {
  const timeoutMs = durationVariable('WEIR_LOCATION_TIMEOUT_MS') ?? LOAD_TIMEOUT_MS;
  const cacheDir = join(root, '.weir', 'cache', 'locations');
  // Each location's real folder (symlinks resolved), found once.
  const realRoot = realFolder(root);
  const paths = new Map(
    Object.entries(project.locations).map(([name, folder]) => [
      name,
      realFolder(resolve(root, folder)),
    ]),
  );
  const seen = new Map<string, string>();
  const loaded = await Promise.all(
    Object.entries(project.locations).map(async ([name, folder]) => {
      const path = paths.get(name)!;
      // Two names for one folder (a symlink, a path written two ways) would load it twice.
      const first = seen.get(path);
      if (first !== undefined) {
        return { name, folder, problem: `its folder ${path} is location '${first}''s too` };
      }
      seen.set(path, name);
      const found = await loadLocation(name, folder, path, realRoot, cwd, timeoutMs);
      return 'manifest' in found ? found : { ...found, ...lastManifest(cacheDir, name, path) };
    }),
  );
  const merged = mergeIsolating(project, loaded, paths, cacheDir);
  // Kept as the last that loaded only once it merged (a manifest the project refuses is not).
  for (const location of loaded) {
    if ('manifest' in location && !merged.problems.some((p) => p.location === location.name)) {
      remember(cacheDir, location, paths.get(location.name)!);
    }
  }
  return merged;
}

/**
 * Merges the locations; a location the merge blames (it reads a key no location defines, say)
 * is left out as one that did not load (its last manifest standing in, if it merges), and the
 * rest merged again, so one location's mistake does not stop the others.
 */
function mergeIsolating(
  project: ProjectDefinition,
  loaded: LoadedLocation[],
  paths: ReadonlyMap<string, string>,
  cacheDir: string,
): MergedProject {
  const locations = [...loaded];
  for (;;) {
    try {
      return mergeLocations(project, locations);
    } catch (error) {
      if (!(error instanceof LocationError)) throw error;
      const conflict = `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
      for (const name of [error.location, ...error.others]) {
        const at = locations.findIndex((l) => l.name === name);
        const blamed = locations[at];
        if (blamed === undefined) throw error;
        // Its own manifest failed: its last one may stand in. That one failed too: nothing
        // does, and the reason it did not load stays the first said.
        locations[at] =
          'manifest' in blamed
            ? {
                name,
                folder: blamed.folder,
                problem: conflict,
                ...lastManifest(cacheDir, name, paths.get(name)!),
              }
            : {
                name,
                folder: blamed.folder,
                problem: blamed.problem.endsWith(conflict)
                  ? blamed.problem
                  : `${blamed.problem}; its last manifest cannot stand in: ${conflict}`,
              };
      }
    }
  }
}

function loadLocation(
  name: string,
  folder: string,
  path: string,
  root: string,
  cwd: string,
  timeoutMs: number,
): Promise<LoadedLocation> {
  const failed = (problem: string): LoadedLocation => ({ name, folder, problem });
  const up = relative(path, root);
  if (up === '' || (!up.startsWith('..') && !up.startsWith(sep))) {
    // The project's own folder or one above it: the location would load the project again.
    return Promise.resolve(failed(`its folder ${path} holds the project itself`));
  }
  if (!existsSync(path)) return Promise.resolve(failed(`its folder ${path} does not exist`));
  if (!statSync(path).isDirectory()) {
    return Promise.resolve(
      failed(`${path} is a file: a code location is a folder holding a project file`),
    );
  }
  if (!PROJECT_FILES.some((file) => existsSync(join(path, file)))) {
    return Promise.resolve(
      failed(
        `its folder ${path} holds no project file (${PROJECT_FILES.join(', ')}): a code location is a project folder of its own`,
      ),
    );
  }
  return new Promise((settle) => {
    let answer: LoadedLocation | undefined;
    const stderr: Buffer[] = [];
    const child = fork(entry(), [JSON.stringify({ project: path, cwd })], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    watch(child);
    const done = (found: LoadedLocation) => {
      answer ??= found;
      settle(answer);
      // Its answer is all this process needs: a handle its code left open must not keep it.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    // What the location prints while loading is the user's: shown, never parsed.
    child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      process.stderr.write(chunk);
    });
    const timer = setTimeout(
      () =>
        done(
          failed(
            `it did not load within ${seconds(timeoutMs)} (stopped; WEIR_LOCATION_TIMEOUT_MS=MS gives it longer)`,
          ),
        ),
      timeoutMs,
    );
    child.on('message', (message: FromLocation) => {
      clearTimeout(timer);
      if (message.type === 'manifest') done({ name, folder, manifest: message.manifest });
      else done(failed(message.hint ? `${message.message} (${message.hint})` : message.message));
    });
    child.on('error', (error) => done(failed(`its process could not start: ${error.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const last = Buffer.concat(stderr).toString('utf8').trim().split('\n').at(-1);
      done(
        failed(
          `its process ended (${signal ?? `exit code ${code}`}) before describing its assets${last ? `: ${last}` : ''}`,
        ),
      );
    });
  });
}

function watch(child: ChildProcess): void {
  running.add(child);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const left of running) left.kill('SIGKILL');
  });
}

const seconds = (ms: number) => (ms < 10_000 ? `${ms / 1000} s` : `${Math.round(ms / 1000)} s`);

/**
 * Keeps a location's manifest as its last that loaded, with the folder it was loaded from (a
 * location renamed, or pointed at another folder, has no last manifest); returns the location.
 */
function remember(cacheDir: string, location: LoadedLocation, folder: string): LoadedLocation {
  if (!('manifest' in location)) return location;
  try {
    mkdirSync(cacheDir, { recursive: true });
    const file = join(cacheDir, `${location.name}.json`);
    const text = JSON.stringify({ folder, manifest: location.manifest });
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      writeAtomically(file, text);
    }
  } catch {
    // A cache only (a read-only project): the next failure has no stand-in, and says so.
  }
  return location;
}

/**
 * The last manifest that loaded from `folder`, to stand in for location `name` while it does
 * not load: kept under its name, or under the name the folder had before (a location renamed
 * while it does not load still stands in, so what it defines is still known).
 */
function lastManifest(cacheDir: string, name: string, folder: string): { last?: LocationManifest } {
  const own = keptFor(join(cacheDir, `${name}.json`), folder);
  if (own !== undefined) return { last: own };
  let files: string[] = [];
  try {
    files = readdirSync(cacheDir).filter((file) => file.endsWith('.json'));
  } catch {
    return {};
  }
  for (const file of files) {
    const kept = keptFor(join(cacheDir, file), folder);
    if (kept !== undefined) return { last: kept };
  }
  return {};
}

/** The manifest kept in `file` if it was loaded from `folder` and reads as one. */
function keptFor(file: string, folder: string): LocationManifest | undefined {
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { folder?: unknown; manifest?: unknown };
    return kept.folder === folder && readsAsManifest(kept.manifest) ? kept.manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a kept manifest has the shape the merge walks (a damaged or edited file does not
 * stand in; what `asset()` refuses in it is reported by the merge).
 */
function readsAsManifest(value: unknown): value is LocationManifest {
  const manifest = value as Partial<LocationManifest> | null | undefined;
  return (
    typeof manifest === 'object' &&
    manifest !== null &&
    typeof manifest.pools === 'object' &&
    manifest.pools !== null &&
    Array.isArray(manifest.assets) &&
    manifest.assets.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.key === 'string' &&
        (entry.external === true || (typeof entry.ins === 'object' && entry.ins !== null)),
    )
  );
}

/** `path` with its symbolic links resolved, or as it is when it does not exist. */
function realFolder(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** `dist/location-process.js` of the weir package this module belongs to. */
function entry(): string {
  return weirPackagePath('dist', 'location-process.js');
}
