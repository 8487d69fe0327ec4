/**
 * @module definitions/partitions
 * Partitions: what users declare (time windows, static and dynamic keys, two-dimensional
 * combinations), the indexable space a declaration resolves to at a moment, bitset sets of
 * partitions, and ranges typed by people. Pure: no I/O, time comes in as `now`.
 */
export { type TimeAxis, timeAxis } from './_time-axis.js';
export * from './definitions.js';
export type * from './mapping.js';
export * from './partition-set.js';
export * from './range.js';
export * from './space.js';
