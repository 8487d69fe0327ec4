/**
 * @module versioning
 * Code versions, config identities, staleness and its causes.
 */
export * from './code-version.js';
export * from './stale-status.js';
export { resolveStaleness } from './staleness.js';
