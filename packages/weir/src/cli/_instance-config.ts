/**
 * @module cli/_instance-config
 * The instance a command uses: the environment (`WEIR_DATABASE_URL`, `WEIR_ARTEFACTS`, …),
 * then `weir.instance.ts` beside the project file, then the project's `instance` field
 * (see instance/config.ts and docs/instance.md).
 */
import { type InstanceConfig, resolveInstanceConfig } from '../instance/index.js';
import { findInstanceFile, loadInstanceFile } from './_instance-file.js';
import type { LoadedProject } from './load-project.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The configured instance of a loaded project, checked. */
export async function instanceConfigOf(
  loaded: LoadedProject,
  env: Env = process.env,
): Promise<InstanceConfig> {
  const path = findInstanceFile(loaded.path);
  const file = path === undefined ? undefined : { path, settings: await loadInstanceFile(path) };
  return resolveInstanceConfig({
    projectFile: loaded.path,
    env,
    ...(file === undefined ? {} : { file }),
    project: loaded.project.instance,
  });
}
