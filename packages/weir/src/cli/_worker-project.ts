/**
 * @module cli/_worker-project
 * The project a queue worker runs steps of: the project itself, or with `--location NAME`
 * one of its code locations, loaded in the worker's own process (it is that location's
 * worker: its image has that location's dependencies). The instance stays the project's.
 */
import { resolve } from 'node:path';
import { EnvironmentError } from '../errors.js';
import type { CommandContext } from './command.js';
import { type LoadedProject, loadProject } from './load-project.js';

export async function workerProject(
  ctx: CommandContext,
  location: string | undefined,
): Promise<LoadedProject> {
  const loaded = await ctx.project();
  if (location === undefined) return loaded;
  const names = Object.keys(loaded.project.locations);
  const folder = loaded.project.locations[location];
  if (folder === undefined) {
    throw new EnvironmentError(
      'E_USAGE',
      names.length === 0
        ? `--location ${location}: the project ${loaded.path} has no code locations`
        : `--location ${location}: the project has no code location of that name`,
      names.length === 0 ? {} : { hint: `its locations: ${names.join(', ')}` },
    );
  }
  return loadProject(ctx.cwd, resolve(loaded.root, folder));
}
