/**
 * @module @weir/hsds
 * Open Referral's Human Services Data Specification 3.0 as a library: the model and its
 * validation, readers that survive real agency exports, and normalisers of their fields.
 */

export * from './map/index.js';
export * from './model/index.js';
export * from './normalise/index.js';
export * from './read/index.js';
export * from './resolve/index.js';
export * from './search/index.js';
