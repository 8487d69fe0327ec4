/**
 * @module definitions/conditions
 * Declarative automation conditions, as data: leaves (facts about a partition and what it
 * reads), operators, and the named compositions assets use. The automation layer evaluates them.
 */
export * from './compositions.js';
export * from './facts.js';
export * from './operators.js';
export * from './types.js';
export * from './validate.js';
