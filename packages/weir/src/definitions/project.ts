/**
 * @module definitions/project
 * `defineProject()`: the assets, resources and settings a project gathers.
 */
import { DefinitionError } from '../errors.js';
import type { AssetDefinition } from './asset.js';
import type { ResourceDefinition } from './resource.js';
import type { SourceAssetDefinition } from './source-asset.js';

export type AnyAssetDefinition = AssetDefinition<string, unknown> | SourceAssetDefinition<string>;

/** Where a deployment keeps its event log and artefacts (relative paths are from the project file). */
export interface InstanceSettings {
  /** Default `.weir`. */
  dir?: string;
}

export interface ProjectSpec {
  assets: readonly AnyAssetDefinition[];
  resources?: readonly ResourceDefinition<string, unknown>[];
  instance?: InstanceSettings;
  /** How many steps may run at once; default 4. */
  concurrency?: number;
}

export interface ProjectDefinition {
  readonly kind: 'project';
  readonly assets: readonly AnyAssetDefinition[];
  readonly resources: readonly ResourceDefinition<string, unknown>[];
  readonly instance: InstanceSettings;
  readonly concurrency: number;
}

/**
 * Declares a project: the assets Weir manages and the resources they use. A project file
 * (`weir.config.ts`) exports it as its default export.
 *
 * @example
 * export default defineProject({ assets: [gaugeCsv, readings, dailyMax], resources: [thresholds] });
 */
export function defineProject(spec: ProjectSpec): ProjectDefinition {
  if (!Array.isArray(spec.assets)) {
    throw new DefinitionError('E_DEFINITION', 'defineProject() needs an `assets` array');
  }
  const concurrency = spec.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new DefinitionError(
      'E_DEFINITION',
      `project concurrency must be an integer ≥ 1, got ${concurrency}`,
    );
  }
  return {
    kind: 'project',
    assets: spec.assets,
    resources: spec.resources ?? [],
    instance: spec.instance ?? {},
    concurrency,
  };
}

export function isProject(value: unknown): value is ProjectDefinition {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'project'
  );
}
