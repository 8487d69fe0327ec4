/**
 * @module versioning
 * Code versions, config identities, staleness and its causes.
 */

export * from './code-analysis.js';
export * from './code-changes.js';
export * from './code-version.js';
export * from './partition-staleness.js';
export { type SourcePartitionsNow, viewOf } from './partitioned-asset-state.js';
export * from './stale-status.js';
export {
  blockingCheckCause,
  type PartitionInputs,
  resolveFromRows,
  resolveStaleness,
  type StalenessInputs,
} from './staleness.js';
