/**
 * @module execution
 * The instance, planning, running steps, and the read side built on the event log.
 */

export type { LogEntry } from './_step-logger.js';
export {
  type BackfillOptions,
  type BackfillResult,
  backfill,
  cancelBackfill,
  listBackfills,
  resumeBackfill,
} from './backfill.js';
export { type AssetCheckResult, checkAssets, recordFreshness } from './check-assets.js';
export { addDynamicPartitions, removeDynamicPartitions } from './dynamic-partitions.js';
export { type Instance, type InstanceOptions, openInstance } from './instance.js';
export { type PartitionRequest, readPartitionInputs, requestedPartitions } from './partitions.js';
export {
  type BlockedStep,
  type PartitionPlan,
  type Plan,
  type PlanOptions,
  planRun,
} from './planner.js';
export { graphOf, selectKeys } from './project-graph.js';
export {
  assetHistory,
  assetStatus,
  explain,
  runLogs,
  type StatusOptions,
  type WhyReport,
} from './queries.js';
export { recoverCrashedRuns } from './recovery.js';
export {
  type MaterializeOptions,
  materialize,
  planMaterialization,
  type RunResult,
} from './run.js';
