/**
 * @module automation
 * The declarative automation engine: evaluates the condition an asset declares, per
 * partition, from facts the daemon gathers, and explains what it decided. Pure: the daemon
 * (which does the I/O and keeps the clock) calls it.
 */
export { type ConditionEvaluation, evaluateCondition } from './evaluate.js';
export { type ExplainOptions, explainCondition } from './explain.js';
export type { AssetFacts, DataChange, ParentFacts } from './facts.js';
export { decodeSet, encodeSet, type KeyRange, type KeyRanges } from './key-ranges.js';
export {
  type ConditionMemory,
  memoryWithRequested,
  type NodeMemory,
  signatureOf,
} from './memory.js';
export type { ChangeRecord, ConditionResult, UpstreamDetail } from './result.js';
