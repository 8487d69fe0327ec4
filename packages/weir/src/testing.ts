/**
 * @module weir/testing
 * Test helpers for people who implement Weir's interfaces: the event log, artefact store and
 * executor conformance suites.
 */

export {
  type ArtefactStoreConformanceOptions,
  runArtefactStoreConformance,
} from './artefacts/conformance.js';
export {
  type ConformanceProject,
  type ExecutorConformanceOptions,
  runExecutorConformance,
} from './execution/conformance-executor.js';
export {
  type Capability,
  type EventLogCapabilities,
  type EventLogConformanceOptions,
  type EventLogUnderTest,
  runEventLogConformance,
} from './storage/conformance.js';
