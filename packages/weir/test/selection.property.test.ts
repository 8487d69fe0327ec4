import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SelectionError } from '../src/errors.js';
import {
  formatSelection,
  parseSelection,
  type SelectableGraph,
  type SelectionAtom,
  type SelectionExpr,
  type SelectionTerm,
  selectAssets,
} from '../src/graph/selection/index.js';

// ---------------------------------------------------------------- generated trees

const segment = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,6}$/);
const keyText = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
  fc.stringMatching(/^[0-9]{1,5}$/),
);
const globSegment = fc.oneof(
  fc.constant('**'),
  fc.stringMatching(/^[A-Za-z0-9_*][A-Za-z0-9_.*-]{0,6}$/).map((s) => s.replace(/\*+/g, '*')),
);
const globText = fc
  .array(globSegment, { minLength: 1, maxLength: 4 })
  .map((s) => s.join('/'))
  .filter((p) => p.includes('*'));
const value = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '+', '"', '\\', '=', ':', '@', '*') }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('team:hydro', 'ana@example.org', 'ana+weir@example.org', 'a b', ''),
);

const atom: fc.Arbitrary<SelectionAtom> = fc.oneof(
  keyText.map((key) => ({ type: 'key', key, column: 1 }) as const),
  globText.map((pattern) => ({ type: 'glob', pattern, column: 1 }) as const),
  fc.constant({ type: 'all', column: 1 } as const),
  fc
    .tuple(fc.constantFrom('group', 'owner', 'kind'), value)
    .map(([attribute, v]) => ({ type: 'attribute', attribute, value: v, column: 1 }) as const),
  fc
    .tuple(value, fc.option(value, { nil: undefined }))
    .map(([key, v]) => ({ type: 'tag', key, value: v, column: 1 }) as const),
);
const depth = fc.option(fc.oneof(fc.nat(50), fc.constant(Number.POSITIVE_INFINITY)), {
  nil: undefined,
});
const term: fc.Arbitrary<SelectionTerm> = fc
  .tuple(atom, depth, depth)
  .map(([operand, upstream, downstream]) =>
    upstream === undefined && downstream === undefined
      ? operand
      : { type: 'closure', operand, upstream, downstream, column: 1 },
  );
const expr: fc.Arbitrary<SelectionExpr> = fc.oneof(
  term,
  fc
    .array(term, { minLength: 2, maxLength: 4 })
    .map((terms) => ({ type: 'union', terms, column: 1 }) as const),
);

/** `e` without columns (and with Infinity spelled out, which JSON would lose). */
function stripColumns(e: SelectionExpr): unknown {
  return JSON.parse(
    JSON.stringify(e, (key, v) =>
      key === 'column' ? undefined : v === Number.POSITIVE_INFINITY ? 'all' : v,
    ),
  );
}

describe('parse and format', () => {
  it('parse(format(e)) equals e for any tree', () => {
    fc.assert(
      fc.property(expr, (e) => {
        expect(stripColumns(parseSelection(formatSelection(e)))).toEqual(stripColumns(e));
      }),
      { numRuns: 2000 },
    );
  });

  const grammarish = fc
    .array(
      fc.constantFrom(
        'a',
        'b/c',
        '1',
        '23',
        '*',
        '**',
        '/',
        '+',
        ',',
        ' ',
        '\t',
        ':',
        '"',
        '\\',
        '=',
        '@',
        '.',
        '-',
        'group:',
        'tag:',
        'owner:',
        'key:',
        'kind:',
        'grp:',
        '#',
        '\u00e9',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(''));

  it('throws only SelectionError, with a column inside the text, on any input', () => {
    fc.assert(
      fc.property(fc.oneof(grammarish, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        let parsed: SelectionExpr;
        try {
          parsed = parseSelection(text);
        } catch (error) {
          expect(error).toBeInstanceOf(SelectionError);
          const { code, column, message } = error as SelectionError;
          expect(code).toBe('E_SELECTION_SYNTAX');
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual(text.length + 1);
          expect(message.split('\n')[2]).toBe(`  ${' '.repeat((column ?? 0) - 1)}^`);
          return;
        }
        // Whatever parses has a canonical form that parses to the same tree.
        const canonical = formatSelection(parsed);
        expect(stripColumns(parseSelection(canonical))).toEqual(stripColumns(parsed));
        expect(formatSelection(parseSelection(canonical))).toBe(canonical);
      }),
      { numRuns: 3000 },
    );
  });
});

// ---------------------------------------------------------------- random DAGs

interface Dag {
  readonly graph: SelectableGraph;
  /** dist[u][v]: fewest edges from u down to v, Infinity if none. */
  readonly dist: number[][];
}

const key = (i: number) => `n/${i}`;

function dagOf(n: number, pairs: Array<[number, number]>): Dag {
  const parents: number[][] = Array.from({ length: n }, () => []);
  const children: number[][] = Array.from({ length: n }, () => []);
  const dist = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 0 : Number.POSITIVE_INFINITY)),
  );
  for (const [a, b] of pairs) {
    const [p, c] = a < b ? [a, b] : [b, a];
    if (p === c || children[p]!.includes(c)) continue;
    children[p]!.push(c);
    parents[c]!.push(p);
    dist[p]![c] = 1;
  }
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) dist[i]![j] = Math.min(dist[i]![j]!, dist[i]![k]! + dist[k]![j]!);
  const index = (k: string) => Number(k.slice(2));
  const keys = Array.from({ length: n }, (_, i) => key(i));
  return {
    dist,
    graph: {
      keys,
      get: (k) =>
        keys.includes(k)
          ? { key: k, group: undefined, tags: {}, owners: [], kinds: [] }
          : undefined,
      parents: (k) => parents[index(k)]!.map(key),
      children: (k) => children[index(k)]!.map(key),
    },
  };
}

const dag = fc
  .integer({ min: 1, max: 18 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }),
      fc.nat(n - 1),
      fc.nat(6),
    ),
  )
  .map(([n, pairs, target, d]) => ({ ...dagOf(n, pairs), target, d, n }));

const sorted = (s: Set<string>) => [...s].sort();

/** Ancestors by plain recursion, the obviously-correct way. */
function ancestors(graph: SelectableGraph, k: string, out = new Set<string>([k])): Set<string> {
  for (const p of graph.parents(k)) {
    if (!out.has(p)) {
      out.add(p);
      ancestors(graph, p, out);
    }
  }
  return out;
}

describe('closures on random DAGs', () => {
  it('+key equals the ancestors found by recursion', () => {
    fc.assert(
      fc.property(dag, ({ graph, target }) => {
        expect(sorted(selectAssets(`+${key(target)}`, graph))).toEqual(
          sorted(ancestors(graph, key(target))),
        );
      }),
    );
  });

  it('d+key and key+d are exactly the nodes within d edges', () => {
    fc.assert(
      fc.property(dag, ({ graph, dist, target, d, n }) => {
        const range = [...Array(n).keys()];
        const up = range.filter((v) => dist[v]![target]! <= d).map(key);
        const down = range.filter((v) => dist[target]![v]! <= d).map(key);
        expect(sorted(selectAssets(`${d}+${key(target)}`, graph))).toEqual(up.sort());
        expect(sorted(selectAssets(`${key(target)}+${d}`, graph))).toEqual(down.sort());
        expect(sorted(selectAssets(`${d}+${key(target)}+${d}`, graph))).toEqual(
          [...new Set([...up, ...down])].sort(),
        );
      }),
    );
  });

  it('a depth-limited closure is inside the unlimited one, and grows with depth', () => {
    fc.assert(
      fc.property(dag, ({ graph, target, d }) => {
        const k = key(target);
        for (const [limited, deeper, unlimited] of [
          [`${d}+${k}`, `${d + 1}+${k}`, `+${k}`],
          [`${k}+${d}`, `${k}+${d + 1}`, `${k}+`],
          [`${d}+n/*+${d}`, `${d + 1}+n/*+${d + 1}`, '+n/*+'],
        ] as const) {
          const a = selectAssets(limited, graph);
          const b = selectAssets(deeper, graph);
          const c = selectAssets(unlimited, graph);
          for (const x of a) expect(b.has(x)).toBe(true);
          for (const x of b) expect(c.has(x)).toBe(true);
        }
      }),
    );
  });

  it('key+ holds v exactly when +v holds key', () => {
    fc.assert(
      fc.property(dag, fc.nat(17), ({ graph, target, n }, other) => {
        const v = key(other % n);
        const k = key(target);
        expect(selectAssets(`${k}+`, graph).has(v)).toBe(selectAssets(`+${v}`, graph).has(k));
      }),
    );
  });

  it('union is commutative and is the union of its terms', () => {
    const termText = (n: number) =>
      fc.oneof(
        fc.nat(n - 1).map(key),
        fc.tuple(fc.nat(3), fc.nat(n - 1)).map(([d, i]) => `${d}+${key(i)}`),
        fc.tuple(fc.nat(n - 1), fc.nat(3)).map(([i, d]) => `${key(i)}+${d}`),
        fc.constantFrom('*', 'n/**', '+n/0'),
      );
    fc.assert(
      fc.property(
        dag.chain((g) => fc.tuple(fc.constant(g), termText(g.n), termText(g.n))),
        ([{ graph }, a, b]) => {
          const ab = selectAssets(`${a}, ${b}`, graph);
          const ba = selectAssets(`${b},${a}`, graph);
          expect([...ab]).toEqual([...ba]);
          const each = new Set([...selectAssets(a, graph), ...selectAssets(b, graph)]);
          expect(sorted(ab)).toEqual(sorted(each));
        },
      ),
    );
  });
});

// ---------------------------------------------------------------- globs

/** Reference glob matcher over segments, written for clarity rather than speed. */
function globMatches(pattern: string[], segments: string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return segments.length === 0;
  if (head === '**') {
    return segments.some((_, i) => globMatches(rest, segments.slice(i))) || globMatches(rest, []);
  }
  const [first, ...others] = segments;
  return first !== undefined && segmentMatches(head, first) && globMatches(rest, others);
}

function segmentMatches(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  if (pattern[0] === '*') {
    return [...Array(text.length + 1).keys()].some((i) =>
      segmentMatches(pattern.slice(1), text.slice(i)),
    );
  }
  return text[0] === pattern[0] && segmentMatches(pattern.slice(1), text.slice(1));
}

describe('globs', () => {
  const smallSegment = fc.stringMatching(/^[ab_][ab.]{0,3}$/);
  const smallKey = fc.array(smallSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
  const smallGlob = fc
    .array(
      fc.oneof(
        fc.constant('**'),
        fc.stringMatching(/^[ab_*][ab.*]{0,3}$/).map((s) => s.replace(/\*+/g, '*')),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((s) => s.join('/'))
    .filter((p) => p.includes('*') && p !== '*');

  it('match the same keys as a reference matcher', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(smallKey, { minLength: 1, maxLength: 12 }),
        smallGlob,
        (keys, glob) => {
          const graph: SelectableGraph = {
            keys,
            get: (k) => ({ key: k, group: undefined, tags: {}, owners: [], kinds: [] }),
            parents: () => [],
            children: () => [],
          };
          const expected = keys.filter((k) => globMatches(glob.split('/'), k.split('/')));
          let actual: string[];
          try {
            actual = [...selectAssets(glob, graph)];
          } catch (error) {
            expect((error as SelectionError).code).toBe('E_SELECTION_EMPTY');
            actual = [];
          }
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
