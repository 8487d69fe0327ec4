/**
 * @module execution
 * The instance, planning, running steps, and the read side built on the event log.
 */

export type { LogEntry } from './_step-logger.js';
export { type AssetCheckResult, checkAssets, recordFreshness } from './check-assets.js';
export { type Instance, type InstanceOptions, openInstance } from './instance.js';
export { type BlockedStep, type Plan, type PlanOptions, planRun } from './planner.js';
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
export { type MaterializeOptions, materialize, type RunResult } from './run.js';
