/**
 * @module execution
 * Instances from parts, the one read path, planning, the scheduler and its executors, and
 * the read and write operations built on them.
 */

export { CHILD_SETUP_VARIABLE } from './_child-protocol.js';
export { toErrorInfo } from './_errors.js';
export { newestUsable } from './_newest-usable.js';
export { ResourcePool } from './_resources.js';
export type { RunContext } from './_run-context.js';
export type { LogEntry } from './_step-logger.js';
export { bufferedLogger } from './_step-logger.js';
export { clockedKeys, touchedAfter } from './_touched.js';
export type { StepUnit } from './_units.js';
export {
  type AssetValue,
  type AssetValueOptions,
  type AssetValueSource,
  assetValue,
  currentValueSource,
} from './asset-value.js';
export {
  type BackfillOptions,
  type BackfillResult,
  backfill,
  cancelBackfill,
  listBackfills,
  resumeBackfill,
} from './backfill.js';
export {
  type AssetCheckResult,
  type CheckAssetsOptions,
  checkAssets,
  type LocatedChecks,
  unevaluatedChecks,
} from './check-assets.js';
export {
  type ChildProcessExecutor,
  type ChildProcessExecutorOptions,
  childProcessExecutor,
} from './child-process-executor.js';
export { type ChildSetup, type ChildStart, serveChildProcess } from './child-process-serve.js';
export { addDynamicPartitions, removeDynamicPartitions } from './dynamic-partitions.js';
export type { Executor, StepOutcome } from './executor.js';
export {
  type ExecutorChoice,
  type ExecutorPlace,
  executorFromOption,
  parseExecutorChoice,
} from './executor-option.js';
export { type RecordFreshnessOptions, recordFreshness } from './freshness.js';
export {
  type CollectedArtefact,
  collectGarbage,
  DEFAULT_RETENTION,
  type GcOptions,
  type GcReport,
} from './gc.js';
export { createInstance, type Instance, type InstanceParts } from './instance.js';
export { type LineageNode, type LineageOptions, lineage } from './lineage.js';
export {
  type ChangedObservation,
  type ObservationFailure,
  observeSources,
  recordObservations,
  type SourceObservations,
} from './observe.js';
export { type PartitionRequest, resolveSpaces, unknownPartition } from './partitions.js';
export type { BlockedStep, PartitionPlan, Plan } from './planner.js';
export { graphOf, selectKeys } from './project-graph.js';
export {
  assetHistory,
  assetStatus,
  explain,
  findRun,
  listRuns,
  runLogs,
  type StatusOptions,
  type WhyReport,
} from './queries.js';
export { type ReadStateOptions, readState, type StateSnapshot } from './read-state.js';
export { closeRun } from './recovery.js';
export {
  type MaterializeOptions,
  materialize,
  planMaterialization,
  type RunResult,
} from './run.js';
export { inProcessExecutor } from './step.js';
export { type RunTicketOptions, TicketRunner } from './ticket-runner.js';
export { outcomeAfterLoss } from './unit-loss.js';
export {
  errorFrom,
  stepOutcomeOf,
  type TicketOutcome,
  UNIT_TICKET_VERSION,
  type UnitTicket,
  unitTicket,
} from './unit-ticket.js';
export {
  type ArtefactCheck,
  type ArtefactStatus,
  collectedLocations,
  type ReproductionCheck,
  type VerifyOptions,
  type VerifyReport,
  verify,
} from './verify.js';
export { WarmStatus, type WarmStatusOptions } from './warm-status.js';
export { type WatchOptions, watchEvents } from './watch.js';
