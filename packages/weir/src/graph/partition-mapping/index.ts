/**
 * @module graph/partition-mapping
 * Partition mappings: which upstream partitions a downstream partition reads, and back.
 */
export { allPartitionsMapping } from './all.js';
export { defaultMapping } from './default.js';
export { dimensionMapping } from './dimension.js';
export { type MappingSpec, mappingFromSpec, mappingSpecOf } from './from-spec.js';
export { identityMapping } from './identity.js';
export { type PartitionMapping, sameDefinition, type UpstreamPartitions } from './mapping.js';
export { newestRead } from './newest-read.js';
export { staticMapping } from './static.js';
export { lastNMapping, timeWindowMapping } from './time-window.js';
