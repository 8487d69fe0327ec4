/**
 * @module cli/_location-instance
 * A project with code locations runs each located asset's steps in its location's processes:
 * the command's instance gets a location executor (its own assets still run as the instance
 * runs them), closed with it.
 */
import type { Instance } from '../execution/index.js';
import type { InstanceConfig } from '../instance/index.js';
import { locationExecutor } from '../locations/index.js';
import type { CommandContext } from './command.js';
import type { LoadedProject } from './load-project.js';

/** How a location's processes open the command's instance: its folder, or its configuration. */
function instanceFor(
  config: InstanceConfig,
): { instanceDir: string } | { instanceConfig: InstanceConfig } {
  return config.embedded ? { instanceDir: config.dir } : { instanceConfig: config };
}

/** The command's instance, as a location's processes open it (see `instanceFor`). */
export async function locationInstance(
  ctx: CommandContext,
): Promise<{ instanceDir: string } | { instanceConfig: InstanceConfig }> {
  return instanceFor(await ctx.instanceConfig());
}

export function withLocations(
  instance: Instance,
  loaded: LoadedProject,
  config: InstanceConfig,
): Instance {
  if (loaded.locations === undefined) return instance;
  const executor = locationExecutor({
    root: loaded.root,
    locations: loaded.project.locations,
    locationOf: loaded.locations.locationOf,
    ...instanceFor(config),
    local: instance.executor,
  });
  return {
    ...instance,
    executor,
    close: async () => {
      await executor.close();
      await instance.close();
    },
  };
}
