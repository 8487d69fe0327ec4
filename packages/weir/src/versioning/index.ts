/**
 * @module versioning
 * Code versions, config identities, staleness and its causes.
 */
export * from './code-version.js';
export * from './partition-state.js';
export * from './stale-status.js';
export { type PartitionInputs, resolveStaleness, viewOf } from './staleness.js';
