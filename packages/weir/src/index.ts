/**
 * Weir: asset-based data orchestration for TypeScript.
 *
 * Declare the data artefacts that must exist with `asset()`, what they are made from with
 * `ins` and `deps`, gather them with `defineProject()`, and let `materialize()` (or the
 * `weir` command) keep them current, explaining every decision from the event log.
 *
 * @module weir
 */

export * from './checks/index.js';
export type {
  AnyAssetDefinition,
  AssetAttributes,
  AssetContext,
  AssetDefinition,
  AssetInput,
  AssetKey,
  AssetSpec,
  BackfillPolicy,
  Cadence,
  DynamicPartitionsDefinition,
  DynamicPartitionsEditor,
  FileArtefact,
  InputSpec,
  InputsOf,
  InputValue,
  InstanceSettings,
  IoFormat,
  JsonValue,
  LogLevel,
  Metadata,
  MultiPartitionsDefinition,
  ObserveContext,
  ObserveResult,
  PartitionInfo,
  PartitionMapping,
  PartitionRangeInfo,
  PartitionSpace,
  PartitionsDefinition,
  PartitionValues,
  ProjectDefinition,
  ProjectSpec,
  RangeAssetContext,
  RangeAssetSpec,
  ResourceContext,
  ResourceDefinition,
  ResourceSpec,
  RetryPolicy,
  SourceAssetDefinition,
  SourceAssetSpec,
  SourceObservation,
  StaticPartitionsDefinition,
  StepLogger,
  TimeWindowPartitionsDefinition,
  UpstreamPartitions,
  ValueOf,
} from './definitions/index.js';
export {
  asset,
  check,
  dailyPartitions,
  defineProject,
  dynamicPartitions,
  hourlyPartitions,
  many,
  monthlyPartitions,
  multiPartitions,
  one,
  PartitionSet,
  partitionRange,
  resolvePartitionSpace,
  resource,
  sourceAsset,
  staticPartitions,
  weeklyPartitions,
} from './definitions/index.js';
export * from './errors.js';
export * from './execution/index.js';
export { fileVersion } from './file-version.js';
export {
  type AssetGraph,
  type AssetNode,
  allPartitionsMapping,
  buildAssetGraph,
  dimensionMapping,
  formatSelection,
  identityMapping,
  lastNMapping,
  parseSelection,
  resolveSelection,
  selectAssets,
  staticMapping,
  timeWindowMapping,
} from './graph/index.js';
export type {
  AssetRecord,
  BackfillRecord,
  BackfillRequest,
  BackfillStatus,
  EventLog,
  EventQuery,
  Materialization,
  Observation,
  PartitionStates,
  RunRecord,
  RunStatus,
  RunSummary,
  StoredEvent,
  WeirEvent,
  WeirEventType,
} from './storage/index.js';
export { SqliteEventLog } from './storage/index.js';
export { WEIR_VERSION } from './version.js';
export {
  type AssetState,
  type AssetStatus,
  type PartitionedState,
  type StaleCause,
  summarize,
} from './versioning/index.js';
