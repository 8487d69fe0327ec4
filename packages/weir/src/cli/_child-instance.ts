/**
 * @module cli/_child-instance
 * The instance a child process of the `weir` command opens (a step's, a location's check
 * process): the embedded one its parent names, else the configured one its parent resolved
 * (handed over in the environment), else the one the project it loaded configures.
 */
import type { ChildSetup, Instance } from '../execution/index.js';
import { type InstanceConfig, openConfiguredInstance, openInstance } from '../instance/index.js';
import { instanceConfigOf } from './_instance-config.js';
import type { LoadedProject } from './load-project.js';

export async function openChildInstance(
  setup: ChildSetup,
  loaded: LoadedProject,
): Promise<Instance> {
  if (setup.instanceDir !== undefined) return openInstance({ dir: setup.instanceDir });
  return openConfiguredInstance(
    (setup.instanceConfig as InstanceConfig | undefined) ?? (await instanceConfigOf(loaded)),
  );
}
