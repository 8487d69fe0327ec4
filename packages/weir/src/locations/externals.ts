/**
 * @module locations/externals
 * An `externalAsset()` or `externalSource()` (of a location, or of the project itself) must
 * agree with the asset it names: the same kind, partitions and io. What differs is named with
 * both sides, and how to declare it.
 */
import type { AnyAssetDefinition, IoFormat, PartitionsDefinition } from '../definitions/index.js';
import { DefinitionError } from '../errors.js';
import { LocationError } from './location-error.js';

/** What an external declaration says about the asset it reads. */
export interface Declared {
  key: string;
  kind: 'asset' | 'source';
  partitions?: PartitionsDefinition | undefined;
  io?: IoFormat;
}

export function checkExternal(
  declared: Declared,
  where: string,
  real: AnyAssetDefinition,
  owner: string,
  location?: string,
): void {
  const builder = (kind: 'asset' | 'source') =>
    kind === 'source' ? 'externalSource' : 'externalAsset';
  const fail = (what: string) => {
    const message = `${where} reads ${declared.key} ${what}`;
    const hint = `declare it as ${owner} defines it: ${builder(real.kind)}('${declared.key}', { … })`;
    throw location === undefined
      ? new DefinitionError('E_DEFINITION', message, { hint })
      : new LocationError(location, 'E_DEFINITION', message, { hint });
  };
  if (real.kind !== declared.kind) {
    fail(
      `with ${builder(declared.kind)}(), but ${owner} defines it as a ${real.kind === 'source' ? 'source asset' : 'materialized asset'}`,
    );
  }
  const ours = JSON.stringify(declared.partitions ?? null);
  const theirs = JSON.stringify(real.partitions ?? null);
  if (ours !== theirs) {
    fail(
      `with partitions ${describe(declared.partitions)}, but ${owner} defines them as ${describe(real.partitions)}`,
    );
  }
  if (real.kind === 'asset' && declared.io !== undefined && real.io !== declared.io) {
    fail(`with io '${declared.io}', but ${owner} stores it as '${real.io}'`);
  }
}

function describe(partitions: PartitionsDefinition | undefined): string {
  return partitions === undefined ? 'none' : `'${partitions.description}'`;
}
