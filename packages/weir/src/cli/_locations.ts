/**
 * @module cli/_locations
 * Loads a project's code locations, each in a process of its own (`location-process.ts`), all
 * at once, and merges their manifests into the project (see locations/merge.ts). A location
 * that fails to load, or does not within the time allowed, is reported, not fatal.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { ProjectDefinition } from '../definitions/index.js';
import {
  type LoadedLocation,
  type LocationManifest,
  type MergedProject,
  mergeLocations,
} from '../locations/index.js';

/** How long a location may take to load (ms); WEIR_LOCATION_TIMEOUT_MS overrides it. */
const LOAD_TIMEOUT_MS = 120_000;

type FromLocation =
  | { type: 'manifest'; manifest: LocationManifest }
  | { type: 'failed'; message: string; hint?: string };

export async function loadLocations(
  root: string,
  project: ProjectDefinition,
  cwd: string,
): Promise<MergedProject> {
  const loaded = await Promise.all(
    Object.entries(project.locations).map(([name, folder]) =>
      loadLocation(name, folder, resolve(root, folder), cwd),
    ),
  );
  return mergeLocations(project, loaded);
}

function loadLocation(
  name: string,
  folder: string,
  path: string,
  cwd: string,
): Promise<LoadedLocation> {
  const failed = (problem: string): LoadedLocation => ({ name, folder, problem });
  if (!existsSync(path)) {
    return Promise.resolve(failed(`its folder ${path} does not exist`));
  }
  const timeoutMs = Number(process.env.WEIR_LOCATION_TIMEOUT_MS ?? LOAD_TIMEOUT_MS);
  return new Promise((settle) => {
    let answer: LoadedLocation | undefined;
    const stderr: string[] = [];
    const child = fork(entry(), [JSON.stringify({ project: path, cwd })], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // What the location prints while loading is the user's: shown, never parsed.
    child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk.toString());
      process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      answer ??= failed(`it did not load within ${Math.round(timeoutMs / 1000)} s (stopped)`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (message: FromLocation) => {
      if (message.type === 'manifest') answer ??= { name, folder, manifest: message.manifest };
      else
        answer ??= failed(message.hint ? `${message.message} (${message.hint})` : message.message);
    });
    child.on('error', (error) => {
      answer ??= failed(`its process could not start: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stderr.join('').trim().split('\n').at(-1);
      settle(
        answer ??
          failed(
            `its process ended (${signal ?? `exit code ${code}`}) before describing its assets${last ? `: ${last}` : ''}`,
          ),
      );
    });
  });
}

/** `dist/location-process.js` of the weir package this module belongs to. */
function entry(): string {
  const root = dirname(createRequire(import.meta.url).resolve('weir/package.json'));
  return join(root, 'dist', 'location-process.js');
}
