/**
 * @module graph
 * The validated asset graph and the selection language over it.
 */
export { AssetGraph, type AssetNode, buildAssetGraph } from './asset-graph.js';
export { readsLastGood } from './last-good.js';
export * from './partition-mapping/index.js';
export * from './selection/index.js';
