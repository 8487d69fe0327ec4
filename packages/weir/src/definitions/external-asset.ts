/**
 * @module definitions/external-asset
 * `externalAsset()`: an asset another code location materializes, named here by its key so
 * that this location's assets can read it with a typed edge (`import type` its value type
 * from the other location: types cost nothing at run time, the other location's code and
 * dependencies are never loaded here). The project that lists the locations puts the real
 * definition in its place; in this location it is only read, never run.
 */
import { UserCodeError } from '../errors.js';
import { type AssetDefinition, asset } from './asset.js';
import type { IoFormat } from './context.js';
import type { PartitionsDefinition } from './partitions/index.js';
import { type SourceAssetDefinition, sourceAsset } from './source-asset.js';

export interface ExternalAssetOptions {
  /** Its partitions, as its own location defines them (checked against it when both load). */
  partitions?: PartitionsDefinition;
  /** How it is stored, as its own location defines it (default `json`; checked likewise). */
  io?: IoFormat;
  description?: string;
}

const EXTERNAL = Symbol.for('weir.externalAsset');

/**
 * An asset of another code location, read here by key. `T` is the value this location's
 * assets receive from it.
 * List it in the location's `defineProject({ assets })` as any upstream. `T` is best taken
 * with a type-only import of the other location's value type (no code of it runs here).
 * @example
 * const windows = externalAsset<TrainingWindows>('hydrology/training_windows');
 * const model = asset({ key: 'hydrology/torch_lstm', ins: { windows }, materialize: … });
 * export default defineProject({ assets: [windows, model] });
 */
export function externalAsset<T = unknown>(
  key: string,
  options: ExternalAssetOptions = {},
): AssetDefinition<string, T> {
  const definition = asset({
    key,
    ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    io: options.io ?? 'json',
    codeVersion: 'external',
    ...(options.description === undefined ? {} : { description: options.description }),
    materialize: () => {
      throw new UserCodeError(
        'E_USER_CODE',
        `${key} is an external asset here: another code location materializes it`,
        {
          hint: 'run weir from the project that lists the code locations (defineProject({ locations })), which runs each asset in its own location',
        },
      );
    },
  } as Parameters<typeof asset>[0]);
  Object.defineProperty(definition, EXTERNAL, { value: true, enumerable: false });
  return definition as AssetDefinition<string, T>;
}

/**
 * A source asset of the project that lists the code locations (sources are observed there),
 * read by this location's assets: they receive its observations, as from any source.
 * @example
 * const feed = externalSource('raw/sensor_feed', { partitions: stations });
 */
export function externalSource(
  key: string,
  options: Pick<ExternalAssetOptions, 'partitions' | 'description'> = {},
): SourceAssetDefinition<string> {
  const definition = sourceAsset({
    key,
    ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    ...(options.description === undefined ? {} : { description: options.description }),
    observe: () => {
      throw new UserCodeError(
        'E_USER_CODE',
        `${key} is an external source here: the project that lists the code locations observes it`,
        { hint: 'run weir from that project' },
      );
    },
  } as Parameters<typeof sourceAsset>[0]);
  Object.defineProperty(definition, EXTERNAL, { value: true, enumerable: false });
  return definition;
}

/** Whether `definition` is an `externalAsset()` or `externalSource()`. */
export function isExternalAsset(definition: object): boolean {
  return Reflect.get(definition, EXTERNAL) === true;
}
