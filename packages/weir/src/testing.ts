/**
 * @module weir/testing
 * Test helpers for people who implement Weir's interfaces: the event log and artefact store
 * conformance suites.
 */

export {
  type ArtefactStoreConformanceOptions,
  runArtefactStoreConformance,
} from './artefacts/conformance.js';
export {
  type Capability,
  type EventLogCapabilities,
  type EventLogConformanceOptions,
  type EventLogUnderTest,
  runEventLogConformance,
} from './storage/conformance.js';
