/**
 * @module graph/selection/ast
 * The syntax tree of a selection expression. Every node carries the 1-based `column` where
 * its text starts, so errors found while resolving can point back into the expression.
 */

/** An exact asset key: `gauges/readings`. */
export interface SelectionKey {
  readonly type: 'key';
  readonly key: string;
  readonly column: number;
}

/**
 * A glob over asset keys: `hydrology/*`, `*_raw`, `**`/`daily_max`. `*` matches within one
 * segment, a `**` segment matches any number of segments, zero included.
 */
export interface SelectionGlob {
  readonly type: 'glob';
  readonly pattern: string;
  readonly column: number;
}

/** `*` on its own: every asset in the graph. */
export interface SelectionAll {
  readonly type: 'all';
  readonly column: number;
}

/** The attributes that hold one plain value per match: `group:`, `owner:`, `kind:`. */
export type SelectionAttributeName = 'group' | 'owner' | 'kind';

/** `group:NAME` (the asset's group), `owner:NAME` or `kind:NAME` (one of its owners or kinds). */
export interface SelectionAttribute {
  readonly type: 'attribute';
  readonly attribute: SelectionAttributeName;
  readonly value: string;
  readonly column: number;
}

/** `tag:k=v` (tag `k` with value `v`) or `tag:k` (tag `k` with any value: `value` undefined). */
export interface SelectionTag {
  readonly type: 'tag';
  readonly key: string;
  readonly value: string | undefined;
  readonly column: number;
}

/** What a closure can be applied to. */
export type SelectionAtom =
  | SelectionKey
  | SelectionGlob
  | SelectionAll
  | SelectionAttribute
  | SelectionTag;

/**
 * An atom together with its ancestors (`upstream`) and/or descendants (`downstream`).
 * A depth is the number of edges to follow: `0` adds nothing, `Infinity` follows every edge
 * (`+key`), `undefined` means that direction is not asked for. The parser produces a closure
 * only when at least one direction is asked for.
 */
export interface SelectionClosure {
  readonly type: 'closure';
  readonly operand: SelectionAtom;
  readonly upstream: number | undefined;
  readonly downstream: number | undefined;
  readonly column: number;
}

/** One comma-separated term. */
export type SelectionTerm = SelectionAtom | SelectionClosure;

/** `a, b, …`: the union of two or more terms, in the order written. */
export interface SelectionUnion {
  readonly type: 'union';
  readonly terms: readonly SelectionTerm[];
  readonly column: number;
}

/** A parsed selection: a single term, or a union of two or more. */
export type SelectionExpr = SelectionTerm | SelectionUnion;

/** The attribute prefixes the language knows, in the order error messages list them. */
export const ATTRIBUTE_PREFIXES = ['key', 'group', 'tag', 'owner', 'kind'] as const;
export type AttributePrefix = (typeof ATTRIBUTE_PREFIXES)[number];
