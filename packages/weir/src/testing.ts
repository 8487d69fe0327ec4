/**
 * @module weir/testing
 * Test helpers for people who implement Weir's interfaces: the event log conformance suite.
 */
export { type EventLogConformanceOptions, runEventLogConformance } from './storage/conformance.js';
