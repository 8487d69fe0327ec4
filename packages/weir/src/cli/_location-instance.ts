/**
 * @module cli/_location-instance
 * A project with code locations runs each located asset's steps in its location's processes:
 * the command's instance gets a location executor (its own assets still run as the instance
 * runs them), closed with it.
 */
import type { Executor, Instance } from '../execution/index.js';
import type { InstanceConfig } from '../instance/index.js';
import { type LocationExecutor, locationExecutor } from '../locations/index.js';
import type { CommandContext } from './command.js';
import type { LoadedProject } from './load-project.js';

/**
 * The executor of a project with code locations: each located asset's units to a pool of its
 * location's processes (up to `processes` each), which open the command's instance (its
 * folder, or its configuration); the project's own assets to `local`.
 */
export function projectLocationExecutor(
  loaded: LoadedProject,
  locationOf: ReadonlyMap<string, string>,
  config: InstanceConfig,
  local: Executor,
  processes?: number,
): LocationExecutor {
  return locationExecutor({
    root: loaded.root,
    locations: loaded.project.locations,
    locationOf,
    ...(config.embedded ? { instanceDir: config.dir } : { instanceConfig: config }),
    ...(processes === undefined ? {} : { processes }),
    local,
  });
}

/** The command's instance, its steps run by `projectLocationExecutor` when there are locations. */
export function withLocations(
  instance: Instance,
  loaded: LoadedProject,
  config: InstanceConfig,
): Instance {
  if (loaded.locations === undefined) return instance;
  const executor = projectLocationExecutor(
    loaded,
    loaded.locations.locationOf,
    config,
    instance.executor,
  );
  return {
    ...instance,
    executor,
    close: async () => {
      await executor.close();
      await instance.close();
    },
  };
}

/**
 * A run's exit code, 1 at least when a code location did not load: its assets could not be
 * brought up to date, and a script (CI, cron) must not read the run as a success. Says so.
 */
export async function withLocationProblems(ctx: CommandContext, code: number): Promise<number> {
  const problems = (await ctx.project()).locations?.problems ?? [];
  if (problems.length === 0 || code !== 0) return code;
  const names = problems.map((p) => `'${p.location}'`).join(', ');
  ctx.output.err(
    `exit code 1: code location${problems.length === 1 ? '' : 's'} ${names} did not load, so ${problems.length === 1 ? 'its' : 'their'} assets were not brought up to date\n`,
  );
  return 1;
}
