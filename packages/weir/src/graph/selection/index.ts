/**
 * @module graph/selection
 * The asset selection language: `gauges/readings`, `hydrology/*`, `+group:ingest`,
 * `1+gauges/daily_max+2`, `tag:tier=gold, owner:team:hydro`. Parse text into a
 * `SelectionExpr`, resolve it against a `SelectableGraph`, print it back canonically.
 * See docs/selection.md for the user-facing description.
 */

import type { SelectionExpr } from './_ast.js';
import { format } from './_format.js';
import type { SelectableGraph } from './_graph.js';
import { parse } from './_parser.js';
import { resolve } from './_resolve.js';

export type {
  SelectionAll,
  SelectionAtom,
  SelectionAttribute,
  SelectionAttributeName,
  SelectionClosure,
  SelectionExpr,
  SelectionGlob,
  SelectionKey,
  SelectionTag,
  SelectionTerm,
  SelectionUnion,
} from './_ast.js';
export type { SelectableAsset, SelectableGraph } from './_graph.js';

/**
 * Parses selection text. Pure: it does not look at any graph, so unknown keys are only
 * caught by {@link resolveSelection}.
 *
 * @throws SelectionError `E_SELECTION_SYNTAX`, with the 1-based `column` of the problem and a
 *   message that quotes the text with a caret under that column.
 * @example
 * ```ts
 * const expr = parseSelection('2+gauges/daily_max');
 * // { type: 'closure', upstream: 2, downstream: undefined,
 * //   operand: { type: 'key', key: 'gauges/daily_max', column: 3 }, column: 1 }
 * ```
 */
export function parseSelection(text: string): SelectionExpr {
  return parse(text);
}

/**
 * The asset keys `expr` selects in `graph`, in the order of `graph.keys`.
 *
 * @throws SelectionError `E_UNKNOWN_ASSET` for an exact key the graph lacks (with a "did you
 *   mean" `hint`), `E_SELECTION_EMPTY` for a glob or attribute that matches no asset.
 * @example
 * ```ts
 * const keys = resolveSelection(parseSelection('+gauges/daily_max'), graph);
 * ```
 */
export function resolveSelection(expr: SelectionExpr, graph: SelectableGraph): Set<string> {
  return resolve(expr, graph, undefined);
}

/**
 * Parses and resolves in one step; errors quote `text` with a caret under the culprit.
 *
 * @example
 * ```ts
 * selectAssets('hydrology/*, tag:tier=gold', graph); // Set { 'hydrology/…', … }
 * ```
 */
export function selectAssets(text: string, graph: SelectableGraph): Set<string> {
  return resolve(parse(text), graph, text);
}

/**
 * Canonical text of `expr`: terms joined by `, `, values quoted only when needed.
 * `parseSelection(formatSelection(e))` equals `e` apart from columns.
 *
 * @example
 * ```ts
 * formatSelection(parseSelection('+gauges/readings+ ,group:"raw data"'));
 * // '+gauges/readings+, group:"raw data"'
 * ```
 */
export function formatSelection(expr: SelectionExpr): string {
  return format(expr);
}
