/**
 * @module graph/selection/graph
 * The narrow view of an asset graph that selections need: keys, metadata and edges.
 * The asset graph implements it; tests implement it with a few lines over plain objects.
 */

/** The metadata a selection can match on. */
export interface SelectableAsset {
  readonly key: string;
  readonly group: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly owners: readonly string[];
  readonly kinds: readonly string[];
}

/** What `resolveSelection` reads from a graph. */
export interface SelectableGraph {
  /** Every asset key in the graph (assets and source assets). */
  readonly keys: readonly string[];
  get(key: string): SelectableAsset | undefined;
  /** Direct upstream keys (inputs and ordering deps). */
  parents(key: string): readonly string[];
  /** Direct downstream keys. */
  children(key: string): readonly string[];
}
