/**
 * @module graph/selection/resolve
 * Evaluates a `SelectionExpr` against a graph. Atoms are matched by one pass over the keys
 * (each glob compiled once); closures are a breadth-first walk from the whole matched set,
 * so a closure costs O(nodes + edges) of the part it visits. Every atom must match something:
 * an unknown key or an empty glob or attribute is a `SelectionError`, never a silent no-op.
 */

import { didYouMean } from '../../errors.js';
import type { SelectionAtom, SelectionClosure, SelectionExpr, SelectionTerm } from './_ast.js';
import { selectionError } from './_error.js';
import { formatAtom } from './_format.js';
import { compileGlob } from './_glob.js';
import type { SelectableAsset, SelectableGraph } from './_graph.js';

/** The keys `expr` selects, in `graph.keys` order. `source` is the text, for caret messages. */
export function resolve(
  expr: SelectionExpr,
  graph: SelectableGraph,
  source: string | undefined,
): Set<string> {
  const resolver = new Resolver(graph, source);
  const selected = new Set<string>();
  const terms = expr.type === 'union' ? expr.terms : [expr];
  for (const term of terms) {
    for (const key of resolver.term(term)) selected.add(key);
  }
  return inGraphOrder(selected, graph);
}

class Resolver {
  private readonly graph: SelectableGraph;
  /** The expression to quote in messages, or `undefined` for a tree built in code. */
  private readonly source: string | undefined;
  private keySet: Set<string> | undefined;

  constructor(graph: SelectableGraph, source: string | undefined) {
    this.graph = graph;
    this.source = source;
  }

  term(term: SelectionTerm): Set<string> {
    return term.type === 'closure' ? this.closure(term) : this.atom(term);
  }

  private closure(term: SelectionClosure): Set<string> {
    const seeds = this.atom(term.operand);
    const result = new Set(seeds);
    const { graph } = this;
    if (term.upstream !== undefined) walk(seeds, term.upstream, (k) => graph.parents(k), result);
    if (term.downstream !== undefined)
      walk(seeds, term.downstream, (k) => graph.children(k), result);
    return result;
  }

  private atom(atom: SelectionAtom): Set<string> {
    switch (atom.type) {
      case 'all':
        return new Set(this.graph.keys);
      case 'key':
        if (this.graph.get(atom.key) === undefined && !this.keys().has(atom.key)) {
          throw selectionError(
            'E_UNKNOWN_ASSET',
            this.source,
            atom.column,
            `unknown asset '${atom.key}'`,
            didYouMean(atom.key, this.graph.keys),
          );
        }
        return new Set([atom.key]);
      case 'glob': {
        const regex = compileGlob(atom.pattern);
        return this.nonEmpty(atom, (key) => regex.test(key), globHint(atom.pattern));
      }
      case 'attribute': {
        const { attribute, value } = atom;
        const matches =
          attribute === 'group'
            ? (a: SelectableAsset) => a.group === value
            : attribute === 'owner'
              ? (a: SelectableAsset) => a.owners.includes(value)
              : (a: SelectableAsset) => a.kinds.includes(value);
        return this.nonEmpty(atom, this.byAsset(matches), () =>
          suggest(value, `${attribute}s`, this.values(attribute)),
        );
      }
      case 'tag': {
        const { key, value } = atom;
        const matches = (a: SelectableAsset) =>
          Object.hasOwn(a.tags, key) && (value === undefined || a.tags[key] === value);
        return this.nonEmpty(atom, this.byAsset(matches), () => this.tagHint(key, value));
      }
    }
  }

  private nonEmpty(
    atom: SelectionAtom,
    matches: (key: string) => boolean,
    hint: () => string | undefined,
  ): Set<string> {
    const result = new Set<string>();
    for (const key of this.graph.keys) if (matches(key)) result.add(key);
    if (result.size > 0) return result;
    const detail = `'${formatAtom(atom)}' matches no asset`;
    throw selectionError('E_SELECTION_EMPTY', this.source, atom.column, detail, hint());
  }

  private byAsset(matches: (asset: SelectableAsset) => boolean): (key: string) => boolean {
    return (key) => {
      const asset = this.graph.get(key);
      return asset !== undefined && matches(asset);
    };
  }

  private values(attribute: 'group' | 'owner' | 'kind'): Set<string> {
    const values = new Set<string>();
    for (const key of this.graph.keys) {
      const asset = this.graph.get(key);
      if (asset === undefined) continue;
      if (attribute === 'group') {
        if (asset.group !== undefined) values.add(asset.group);
      } else {
        for (const v of attribute === 'owner' ? asset.owners : asset.kinds) values.add(v);
      }
    }
    return values;
  }

  private tagHint(key: string, value: string | undefined): string | undefined {
    const tagValues = new Map<string, Set<string>>();
    for (const k of this.graph.keys) {
      for (const [name, v] of Object.entries(this.graph.get(k)?.tags ?? {})) {
        const set = tagValues.get(name) ?? new Set<string>();
        tagValues.set(name, set.add(v));
      }
    }
    const known = tagValues.get(key);
    if (known === undefined || value === undefined) return suggest(key, 'tags', tagValues.keys());
    return suggest(value, `values of tag '${key}'`, known);
  }

  /** All keys as a set, built only if `get` does not know a key (a graph without metadata). */
  private keys(): Set<string> {
    this.keySet ??= new Set(this.graph.keys);
    return this.keySet;
  }
}

/**
 * Adds to `out` every node within `depth` edges of `seeds` along `next` (seeds themselves
 * excepted). Multi-source BFS: each node and edge of the visited part is looked at once.
 */
export function walk(
  seeds: Iterable<string>,
  depth: number,
  next: (key: string) => readonly string[],
  out: Set<string>,
): void {
  const seen = new Set(seeds);
  let frontier = [...seen];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const following: string[] = [];
    for (const key of frontier) {
      for (const neighbour of next(key)) {
        if (seen.has(neighbour)) continue;
        seen.add(neighbour);
        out.add(neighbour);
        following.push(neighbour);
      }
    }
    frontier = following;
  }
}

function inGraphOrder(selected: Set<string>, graph: SelectableGraph): Set<string> {
  const ordered = new Set<string>();
  for (const key of graph.keys) if (selected.has(key)) ordered.add(key);
  if (ordered.size !== selected.size) for (const key of selected) ordered.add(key);
  return ordered;
}

function globHint(pattern: string): () => string | undefined {
  return () =>
    pattern.includes('**')
      ? undefined
      : "'*' matches within one segment; '**' between slashes matches any number of segments";
}

function suggest(wanted: string, what: string, known: Iterable<string>): string {
  const all = [...known].sort();
  if (all.length === 0) return `no asset has any ${what}`;
  const guess = didYouMean(wanted, all);
  if (guess !== undefined) return guess;
  const shown = all.slice(0, 8).map((v) => `'${v}'`);
  return `known ${what}: ${shown.join(', ')}${all.length > 8 ? `, … (${all.length} in all)` : ''}`;
}
