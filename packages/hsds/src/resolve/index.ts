// Entity resolution of mapped services: the same service at the same place, listed by several
// agencies (or twice by one), found and explained.
export { type AddressKey, addressKey } from './address.js';
export { exactMatchGroups, exactMatchKey } from './baseline.js';
export { type BlockingOptions, blockingKeys, DEFAULT_BLOCKING } from './blocking.js';
export {
  type ClusterLink,
  type ClusterMember,
  linkOrder,
  type ResolvedCluster,
} from './cluster.js';
export { registrableDomain } from './domain.js';
export { type PairwiseScores, pairwiseScores } from './evaluate.js';
export { type PreparedRecord, prepareRecord } from './features.js';
export { type FullResolution, resolveAll } from './full.js';
export { geoCells, haversineMetres } from './geo.js';
export { NAME_STOP_WORDS, nameTokens, normaliseName } from './name.js';
export type { ResolvedOptions, ResolverOptions } from './options.js';
export { type ResolvableAddress, type ResolvableRecord, resolvableFromService } from './record.js';
export { type BatchReport, EntityResolver } from './resolver.js';
export {
  compareAddresses,
  type Evidence,
  type Feature,
  nameSimilarity,
  type PairScore,
  quickScore,
  scorePair,
} from './score.js';
export {
  jaroWinkler,
  sortedTokenSimilarity,
  tokenSetSimilarity,
  uniqueSorted,
} from './similarity.js';
export type { RecordTuple, ResolverState } from './state.js';
export { UnionFind } from './union-find.js';
export { readWa211Labels, WA211_COLUMNS, type Wa211Labels } from './wa211.js';
export { DEFAULT_THRESHOLD, DEFAULT_VETO, DEFAULT_WEIGHTS, type MatchWeights } from './weights.js';
