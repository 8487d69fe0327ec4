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
  AssetKey,
  AssetSpec,
  FileArtefact,
  InputsOf,
  InstanceSettings,
  IoFormat,
  JsonValue,
  LogLevel,
  Metadata,
  ObserveContext,
  ObserveResult,
  ProjectDefinition,
  ProjectSpec,
  ResourceContext,
  ResourceDefinition,
  ResourceSpec,
  RetryPolicy,
  SourceAssetDefinition,
  SourceAssetSpec,
  SourceObservation,
  StepLogger,
  ValueOf,
} from './definitions/index.js';
export { asset, check, defineProject, resource, sourceAsset } from './definitions/index.js';
export * from './errors.js';
export * from './execution/index.js';
export { fileVersion } from './file-version.js';
export {
  type AssetGraph,
  type AssetNode,
  buildAssetGraph,
  formatSelection,
  parseSelection,
  resolveSelection,
  selectAssets,
} from './graph/index.js';
export type {
  AssetRecord,
  EventLog,
  EventQuery,
  Materialization,
  Observation,
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
  type StaleCause,
  summarize,
} from './versioning/index.js';
