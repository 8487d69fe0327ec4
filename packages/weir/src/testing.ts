/**
 * @module weir/testing
 * Test helpers for people who implement Weir's interfaces: the event log conformance suite.
 */
export {
  type Capability,
  type EventLogCapabilities,
  type EventLogConformanceOptions,
  type EventLogUnderTest,
  runEventLogConformance,
} from './storage/conformance.js';
