/**
 * @module graph/partition-mapping/from-spec
 * Builds a built-in mapping again from its spec (see `_spec-tag.ts`).
 */

import type { MappingSpec } from './_spec-tag.js';
import { allPartitionsMapping } from './all.js';
import { dimensionMapping } from './dimension.js';
import { identityMapping } from './identity.js';
import type { PartitionMapping } from './mapping.js';
import { staticMapping } from './static.js';
import { lastNMapping, timeWindowMapping } from './time-window.js';

export { type MappingSpec, mappingSpecOf } from './_spec-tag.js';

export function mappingFromSpec(spec: MappingSpec): PartitionMapping {
  switch (spec.kind) {
    case 'identity':
      return identityMapping();
    case 'all':
      return allPartitionsMapping();
    case 'time-window':
      return timeWindowMapping();
    case 'last-n':
      return lastNMapping(spec.n);
    case 'static':
      return staticMapping(spec.map);
    case 'dimension':
      return dimensionMapping(
        spec.dimension,
        spec.inner === undefined ? undefined : mappingFromSpec(spec.inner),
      );
  }
}
