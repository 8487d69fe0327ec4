/**
 * @module versioning
 * Code versions, config identities, staleness and its causes.
 */
export * from './code-version.js';
export * from './partition-staleness.js';
export { type SourcePartitionsNow, viewOf } from './partitioned-asset-state.js';
export * from './stale-status.js';
export { type PartitionInputs, resolveStaleness, type StalenessInputs } from './staleness.js';
