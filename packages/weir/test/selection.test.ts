import { describe, expect, it } from 'vitest';
import { SelectionError } from '../src/errors.js';
import {
  formatSelection,
  parseSelection,
  resolveSelection,
  type SelectableAsset,
  type SelectableGraph,
  type SelectionExpr,
  selectAssets,
} from '../src/graph/selection/index.js';
import { thrownBy } from './helpers.js';

interface Spec extends Partial<Omit<SelectableAsset, 'key'>> {
  deps?: string[];
}

/** A small graph from `key -> metadata and deps`, in the order written. */
function graphOf(specs: Record<string, Spec>): SelectableGraph {
  const assets = new Map<string, SelectableAsset>();
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const [key, spec] of Object.entries(specs)) {
    assets.set(key, {
      key,
      group: spec.group,
      tags: spec.tags ?? {},
      owners: spec.owners ?? [],
      kinds: spec.kinds ?? [],
    });
    parents.set(key, spec.deps ?? []);
    for (const dep of spec.deps ?? []) children.set(dep, [...(children.get(dep) ?? []), key]);
  }
  return {
    keys: [...assets.keys()],
    get: (key) => assets.get(key),
    parents: (key) => parents.get(key) ?? [],
    children: (key) => children.get(key) ?? [],
  };
}

const graph = graphOf({
  'gauges/readings': {
    group: 'ingest',
    owners: ['team:hydro'],
    kinds: ['api'],
    tags: { feed: 'telemetry' },
  },
  'gauges/stations': { group: 'ingest', owners: ['ana@example.org'], kinds: ['csv'] },
  'gauges/readings_raw': {
    group: 'ingest',
    kinds: ['parquet'],
    tags: { tier: 'bronze' },
    deps: ['gauges/readings'],
  },
  'gauges/daily_max': {
    group: 'gauges',
    owners: ['team:hydro'],
    tags: { tier: 'silver' },
    deps: ['gauges/readings_raw', 'gauges/stations'],
  },
  'hydrology/polished_timeseries': {
    group: 'hydrology',
    owners: ['team:hydro'],
    tags: { tier: 'silver', 'review status': 'needs review, urgently' },
    deps: ['gauges/readings_raw'],
  },
  'hydrology/training_windows': {
    group: 'hydrology',
    kinds: ['parquet'],
    deps: ['hydrology/polished_timeseries'],
  },
  'hydrology/lstm/forecast': {
    group: 'ml',
    owners: ['team:ml', 'ana@example.org'],
    kinds: ['python', 'pytorch'],
    tags: { tier: 'gold', gpu: '' },
    deps: ['hydrology/training_windows', 'gauges/daily_max'],
  },
  'reports/flood_bulletin': {
    group: 'reports',
    owners: ['flood desk, north', 'ana+weir@example.org'],
    tags: { tier: 'gold' },
    deps: ['hydrology/lstm/forecast'],
  },
});

const select = (text: string) => [...selectAssets(text, graph)];

/** The error `fn` throws, checked to be a SelectionError. */
const failure = (fn: () => unknown): SelectionError => thrownBy(fn, SelectionError);

describe('parseSelection', () => {
  it('parses exact keys, globs and everything', () => {
    expect(parseSelection('gauges/readings')).toEqual({
      type: 'key',
      key: 'gauges/readings',
      column: 1,
    });
    expect(parseSelection('  hydrology/*')).toEqual({
      type: 'glob',
      pattern: 'hydrology/*',
      column: 3,
    });
    expect(parseSelection('*')).toEqual({ type: 'all', column: 1 });
    expect(parseSelection('key:*')).toEqual({ type: 'glob', pattern: '*', column: 1 });
    expect(parseSelection('**/daily_max')).toMatchObject({ type: 'glob' });
    expect(parseSelection('2024')).toEqual({ type: 'key', key: '2024', column: 1 });
    expect(parseSelection('key:"gauges/readings"')).toEqual({
      type: 'key',
      key: 'gauges/readings',
      column: 1,
    });
  });

  it('parses closures with and without depths', () => {
    const closure = (text: string) => {
      const expr = parseSelection(text);
      if (expr.type !== 'closure') throw new Error(`not a closure: ${text}`);
      return [expr.upstream, expr.downstream, expr.column, expr.operand.column];
    };
    const all = Number.POSITIVE_INFINITY;
    expect(closure('+a')).toEqual([all, undefined, 1, 2]);
    expect(closure('2+a')).toEqual([2, undefined, 1, 3]);
    expect(closure('a+')).toEqual([undefined, all, 1, 1]);
    expect(closure('a+1')).toEqual([undefined, 1, 1, 1]);
    expect(closure('+a+')).toEqual([all, all, 1, 2]);
    expect(closure('1+a+2')).toEqual([1, 2, 1, 3]);
    expect(closure('0+a')).toEqual([0, undefined, 1, 3]);
    expect(closure('12+group:ingest+')).toEqual([12, all, 1, 4]);
    expect(closure('2024+')).toEqual([undefined, all, 1, 1]);
    expect(closure('key:2024+3')).toEqual([undefined, 3, 1, 1]);
    // Digits followed by `+` and an atom are a depth, never a key.
    expect(parseSelection('1+2')).toMatchObject({ upstream: 1, operand: { key: '2' } });
  });

  it('parses attributes, with quotes and owner values holding : @ .', () => {
    expect(parseSelection('group:ingest')).toEqual({
      type: 'attribute',
      attribute: 'group',
      value: 'ingest',
      column: 1,
    });
    expect(parseSelection('owner:team:hydro')).toMatchObject({ value: 'team:hydro' });
    expect(parseSelection('owner:ana@example.org')).toMatchObject({ value: 'ana@example.org' });
    expect(parseSelection('kind:parquet')).toMatchObject({ attribute: 'kind', value: 'parquet' });
    expect(parseSelection('owner:"flood desk, north"')).toMatchObject({
      value: 'flood desk, north',
    });
    expect(parseSelection('group:"say \\"hi\\" \\\\ bye"')).toMatchObject({
      value: 'say "hi" \\ bye',
    });
    expect(parseSelection('tag:tier=gold')).toEqual({
      type: 'tag',
      key: 'tier',
      value: 'gold',
      column: 1,
    });
    expect(parseSelection('tag:tier')).toEqual({
      type: 'tag',
      key: 'tier',
      value: undefined,
      column: 1,
    });
    expect(parseSelection('tag:"review status"="a, b"')).toMatchObject({
      key: 'review status',
      value: 'a, b',
    });
    expect(parseSelection('tag:a=b=c')).toMatchObject({ key: 'a', value: 'b=c' });
    expect(parseSelection('tag:gpu=""')).toMatchObject({ key: 'gpu', value: '' });
  });

  it('parses unions, ignoring whitespace around terms', () => {
    const expr = parseSelection(' gauges/readings ,\t+group:ingest,\n  *_raw ');
    expect(expr.type).toBe('union');
    if (expr.type !== 'union') return;
    expect(expr.terms.map((t) => [t.type, t.column])).toEqual([
      ['key', 2],
      ['closure', 20],
      ['glob', 37],
    ]);
  });
});

describe('formatSelection', () => {
  it.each([
    ['gauges/readings', 'gauges/readings'],
    [' +gauges/readings+ ,hydrology/*', '+gauges/readings+, hydrology/*'],
    ['02+a+01', '2+a+1'],
    ['key:*', 'key:*'],
    ['*', '*'],
    ['2024', 'key:2024'],
    ['key:2024+1', 'key:2024+1'],
    ['key:"a/b"', 'a/b'],
    ['owner:"team:hydro"', 'owner:team:hydro'],
    ['owner:"ana+weir@example.org"', 'owner:"ana+weir@example.org"'],
    ['group:"raw data"', 'group:"raw data"'],
    ['tag:"a=b"', 'tag:"a=b"'],
    ['tag:k="x=y"', 'tag:k=x=y'],
    ['tag:k=""', 'tag:k=""'],
    ['kind:"say \\"hi\\""', 'kind:"say \\"hi\\""'],
  ])('%s formats as %s', (text, canonical) => {
    const expr = parseSelection(text);
    expect(formatSelection(expr)).toBe(canonical);
    expect(stripColumns(parseSelection(canonical))).toEqual(stripColumns(expr));
  });
});

describe('resolving', () => {
  it('selects exact keys and globs', () => {
    expect(select('gauges/readings')).toEqual(['gauges/readings']);
    expect(select('hydrology/*')).toEqual([
      'hydrology/polished_timeseries',
      'hydrology/training_windows',
    ]);
    expect(select('hydrology/**')).toEqual([
      'hydrology/polished_timeseries',
      'hydrology/training_windows',
      'hydrology/lstm/forecast',
    ]);
    expect(select('gauges/*_raw')).toEqual(['gauges/readings_raw']);
    expect(select('**/*_raw')).toEqual(['gauges/readings_raw']);
    expect(select('gauges/daily_*, gauges/*_max')).toEqual(['gauges/daily_max']);
  });

  it('matches * within one segment and ** across any number, zero included', () => {
    const g = graphOf({ a: {}, 'a/b': {}, 'a/x/b': {}, 'a/x/y/b': {}, 'c/b': {}, 'a.b': {} });
    const sel = (text: string) => [...selectAssets(text, g)];
    expect(sel('a/*/b')).toEqual(['a/x/b']);
    expect(sel('a/**/b')).toEqual(['a/b', 'a/x/b', 'a/x/y/b']);
    expect(sel('**/b')).toEqual(['a/b', 'a/x/b', 'a/x/y/b', 'c/b']);
    expect(sel('a/**')).toEqual(['a', 'a/b', 'a/x/b', 'a/x/y/b']);
    expect(sel('**')).toEqual(g.keys);
    expect(sel('*')).toEqual(g.keys);
    expect(sel('key:*')).toEqual(['a', 'a.b']);
    expect(sel('a.*')).toEqual(['a.b']); // `.` is literal
    expect(sel('*/b')).toEqual(['a/b', 'c/b']);
  });

  it('selects by attribute', () => {
    expect(select('group:ingest')).toEqual([
      'gauges/readings',
      'gauges/stations',
      'gauges/readings_raw',
    ]);
    expect(select('owner:team:hydro')).toEqual([
      'gauges/readings',
      'gauges/daily_max',
      'hydrology/polished_timeseries',
    ]);
    expect(select('owner:ana@example.org')).toEqual(['gauges/stations', 'hydrology/lstm/forecast']);
    expect(select('owner:"flood desk, north"')).toEqual(['reports/flood_bulletin']);
    expect(select('owner:"ana+weir@example.org"')).toEqual(['reports/flood_bulletin']);
    expect(select('kind:parquet')).toEqual(['gauges/readings_raw', 'hydrology/training_windows']);
    expect(select('tag:tier=gold')).toEqual(['hydrology/lstm/forecast', 'reports/flood_bulletin']);
    expect(select('tag:tier')).toEqual([
      'gauges/readings_raw',
      'gauges/daily_max',
      'hydrology/polished_timeseries',
      'hydrology/lstm/forecast',
      'reports/flood_bulletin',
    ]);
    expect(select('tag:gpu=""')).toEqual(['hydrology/lstm/forecast']);
    expect(select('tag:"review status"="needs review, urgently"')).toEqual([
      'hydrology/polished_timeseries',
    ]);
  });

  it('takes upstream closures, unlimited and by depth', () => {
    expect(select('+hydrology/training_windows')).toEqual([
      'gauges/readings',
      'gauges/readings_raw',
      'hydrology/polished_timeseries',
      'hydrology/training_windows',
    ]);
    expect(select('1+hydrology/lstm/forecast')).toEqual([
      'gauges/daily_max',
      'hydrology/training_windows',
      'hydrology/lstm/forecast',
    ]);
    expect(select('2+hydrology/lstm/forecast')).toEqual([
      'gauges/stations',
      'gauges/readings_raw',
      'gauges/daily_max',
      'hydrology/polished_timeseries',
      'hydrology/training_windows',
      'hydrology/lstm/forecast',
    ]);
    expect(select('0+hydrology/lstm/forecast')).toEqual(['hydrology/lstm/forecast']);
    expect(select('+gauges/readings')).toEqual(['gauges/readings']);
  });

  it('counts depth as the shortest path, not any path', () => {
    // forecast reaches readings_raw in 2 steps via daily_max and in 3 via the hydrology chain.
    expect(select('2+hydrology/lstm/forecast')).toContain('gauges/readings_raw');
    expect(select('gauges/readings_raw+2')).toEqual([
      'gauges/readings_raw',
      'gauges/daily_max',
      'hydrology/polished_timeseries',
      'hydrology/training_windows',
      'hydrology/lstm/forecast',
    ]);
  });

  it('takes downstream and two-sided closures', () => {
    expect(select('gauges/daily_max+')).toEqual([
      'gauges/daily_max',
      'hydrology/lstm/forecast',
      'reports/flood_bulletin',
    ]);
    expect(select('gauges/daily_max+1')).toEqual(['gauges/daily_max', 'hydrology/lstm/forecast']);
    expect(select('1+gauges/daily_max+1')).toEqual([
      'gauges/stations',
      'gauges/readings_raw',
      'gauges/daily_max',
      'hydrology/lstm/forecast',
    ]);
    expect(select('+gauges/daily_max+')).toEqual([
      'gauges/readings',
      'gauges/stations',
      'gauges/readings_raw',
      'gauges/daily_max',
      'hydrology/lstm/forecast',
      'reports/flood_bulletin',
    ]);
  });

  it('applies closures to globs and attributes', () => {
    expect(select('group:ml+')).toEqual(['hydrology/lstm/forecast', 'reports/flood_bulletin']);
    expect(select('+group:gauges')).toEqual([
      'gauges/readings',
      'gauges/stations',
      'gauges/readings_raw',
      'gauges/daily_max',
    ]);
    expect(select('hydrology/*+1')).toEqual([
      'hydrology/polished_timeseries',
      'hydrology/training_windows',
      'hydrology/lstm/forecast',
    ]);
    expect(select('1+tag:feed')).toEqual(['gauges/readings']);
  });

  it('unions terms, in graph order and without duplicates', () => {
    expect(select('reports/flood_bulletin, gauges/readings, gauges/readings')).toEqual([
      'gauges/readings',
      'reports/flood_bulletin',
    ]);
    expect(select('group:reports,group:ml , kind:csv')).toEqual([
      'gauges/stations',
      'hydrology/lstm/forecast',
      'reports/flood_bulletin',
    ]);
    expect(select('*')).toEqual(graph.keys);
  });

  it('walks a 10,000-asset graph in linear time', () => {
    const n = 10_000;
    const keys = Array.from({ length: n }, (_, i) => `chain/step_${i}`);
    const edges = (i: number, d: number) => [i + d, i + 2 * d].filter((j) => j >= 0 && j < n);
    const index = (k: string) => Number(k.slice('chain/step_'.length));
    const big: SelectableGraph = {
      keys,
      get: (key) => ({ key, group: 'chain', tags: {}, owners: [], kinds: [] }),
      parents: (k) => edges(index(k), -1).map((i) => keys[i]!),
      children: (k) => edges(index(k), 1).map((i) => keys[i]!),
    };
    const started = performance.now();
    expect(selectAssets(`+chain/step_${n - 1}`, big).size).toBe(n);
    expect(selectAssets('chain/step_0+', big).size).toBe(n);
    expect(selectAssets(`50+chain/step_${n - 1}`, big).size).toBe(101);
    expect(selectAssets('+chain/*+', big).size).toBe(n);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('resolves a tree built in code', () => {
    const expr: SelectionExpr = {
      type: 'closure',
      operand: { type: 'key', key: 'gauges/daily_max', column: 1 },
      upstream: 1,
      downstream: undefined,
      column: 1,
    };
    expect([...resolveSelection(expr, graph)]).toEqual([
      'gauges/stations',
      'gauges/readings_raw',
      'gauges/daily_max',
    ]);
  });
});

describe('syntax errors', () => {
  it('quote the expression with a caret under the column', () => {
    const error = failure(() => parseSelection('gauges/readings,,x'));
    expect(error.code).toBe('E_SELECTION_SYNTAX');
    expect(error.column).toBe(17);
    expect(error.message).toBe(
      [
        "selection 'gauges/readings,,x': expected an asset key, glob or attribute at column 17",
        '  gauges/readings,,x',
        '                  ^',
      ].join('\n'),
    );
  });

  it.each([
    ['', 1, 'expected an asset key, glob or attribute'],
    ['   ', 4, 'expected an asset key, glob or attribute'],
    ['a,', 3, 'expected an asset key, glob or attribute'],
    [',a', 1, 'expected an asset key, glob or attribute'],
    ['++a', 2, 'expected an asset key, glob or attribute'],
    ['+', 2, 'expected an asset key, glob or attribute'],
    ['+ a', 2, "expected an asset key, glob or attribute right after '+'"],
    ['a b', 3, "expected ',' or the end of the selection"],
    ['a +', 3, "expected ',' or the end of the selection"],
    ['a+b', 3, "expected ',' or the end of the selection"],
    ['a+1+', 4, "expected ',' or the end of the selection"],
    ['a#b', 2, "unexpected character '#'"],
    ['"a"', 1, 'quotes are only allowed in attribute values'],
    [
      'grp:ingest',
      1,
      "unknown attribute 'grp:'; expected one of key:, group:, tag:, owner:, kind:",
    ],
    ['a, Group:x', 4, "unknown attribute 'Group:'"],
    ['group:', 7, "expected a value after 'group:'"],
    ['group:,a', 7, "expected a value after 'group:'"],
    ['tag:=x', 5, "expected a value after 'tag:'"],
    ['tag:k=', 7, "expected a value after '='"],
    ['group:"raw', 7, 'unterminated quoted value'],
    ['group:"a\\nb"', 9, 'unknown escape in a quoted value'],
    ['group:my group', 10, "expected ',' or the end of the selection"],
    ['owner:ana+weir@example.org', 11, "expected ',' or the end of the selection"],
    ['a//b', 3, "an asset key cannot contain '//' in '/'"],
    ['/a', 1, "an asset key cannot start with '/'"],
    ['x, a/', 6, "an asset key cannot end with '/'"],
    ['a/**_raw', 3, "'**' must be a whole segment"],
    ['gauges/.hidden', 8, "a key segment must start with a letter, a digit or '_'"],
    ['-a', 1, "a key segment must start with a letter, a digit or '_'"],
    ['key:"a b"', 7, "unexpected character ' ' in an asset key"],
    ['99999999999999999999+a', 1, 'depth 99999999999999999999 is too large'],
  ])('%j fails at column %i', (text, column, detail) => {
    const error = failure(() => parseSelection(text));
    expect(error.code).toBe('E_SELECTION_SYNTAX');
    expect(error.column).toBe(column);
    expect(error.message.split('\n')[0]).toContain(`${detail}`);
    expect(error.message.split('\n')[0]).toMatch(new RegExp(` at column ${column}$`));
    expect(error.message.split('\n')[2]).toBe(`  ${' '.repeat(column - 1)}^`);
  });

  it.each([
    ['foo+++', "'+' alone selects everything downstream; for 3 levels write 'foo+3'"],
    ['a/b++', "'+' alone selects everything downstream; for 2 levels write 'a/b+2'"],
    ['+x+++', "'+' alone selects everything downstream; for 3 levels write '+x+3'"],
    ['++foo', "'+' alone selects everything upstream; for 2 levels write '2+foo'"],
    ['+++a/b,c', "'+' alone selects everything upstream; for 3 levels write '3+a/b'"],
    ['a+1+', "a term takes one '+' on each side ('a+1'); join terms with ','"],
    ['a+ +', "a term takes one '+' on each side ('a+'); join terms with ','"],
    ['foo +', "no spaces inside a term: write 'foo+'"],
    ['foo + bar', "no spaces inside a term: write 'foo+', or join terms with ',': 'foo, +bar'"],
    ['+ foo', "no spaces inside a term: write '+foo'"],
    ['a b', "separate terms with ','"],
  ])('%j hints at its own problem', (text, hint) => {
    expect(failure(() => parseSelection(text)).hint).toBe(hint);
  });

  it('name the valid attributes and suggest the closest', () => {
    const error = failure(() => parseSelection('grp:ingest'));
    expect(error.hint).toBe("did you mean 'group:'?");
  });

  it('suggest quoting owner values that hold + or spaces', () => {
    expect(failure(() => parseSelection('owner:ana+weir@example.org')).hint).toContain(
      'quote attribute values',
    );
  });

  it('keep columns aligned when the text holds tabs and newlines', () => {
    const error = failure(() => parseSelection('a,\tb c'));
    expect(error.column).toBe(6);
    expect(error.message.split('\n').slice(1)).toEqual(['  a, b c', '       ^']);
  });
});

describe('resolution errors', () => {
  it('name an unknown key and suggest close ones', () => {
    const error = failure(() => selectAssets('hydrology/*, gauges/daily_mx+', graph));
    expect(error.code).toBe('E_UNKNOWN_ASSET');
    expect(error.column).toBe(14);
    expect(error.message).toBe(
      [
        "selection 'hydrology/*, gauges/daily_mx+': unknown asset 'gauges/daily_mx' at column 14",
        '  hydrology/*, gauges/daily_mx+',
        '               ^',
      ].join('\n'),
    );
    expect(error.hint).toBe("did you mean 'gauges/daily_max'?");
  });

  it('suggest the full key for a bare last segment', () => {
    expect(failure(() => select('daily_max')).hint).toBe("did you mean 'gauges/daily_max'?");
  });

  it('reject globs and attributes that match nothing, naming the term and column', () => {
    const glob = failure(() => select('gauges/readings, hydrology/*/max'));
    expect(glob.code).toBe('E_SELECTION_EMPTY');
    expect(glob.column).toBe(18);
    expect(glob.message.split('\n')[0]).toBe(
      "selection 'gauges/readings, hydrology/*/max': 'hydrology/*/max' matches no asset at column 18",
    );

    const group = failure(() => select('+group:ingst'));
    expect(group.code).toBe('E_SELECTION_EMPTY');
    expect(group.column).toBe(2);
    expect(group.message.split('\n')[0]).toContain("'group:ingst' matches no asset at column 2");
    expect(group.hint).toBe("did you mean 'ingest'?");

    expect(failure(() => select('kind:xyzzy')).hint).toMatch(/^known kinds: 'api', 'csv'/);
    expect(failure(() => select('tag:teir')).hint).toBe("did you mean 'tier'?");
    expect(failure(() => select('tag:tier=golden')).hint).toBe("did you mean 'gold'?");
    expect(failure(() => select('owner:team:hydr0')).hint).toBe("did you mean 'team:hydro'?");
  });

  it('explain an empty glob that ** would have matched', () => {
    expect(failure(() => select('*/forecast')).hint).toContain("'**'");
  });

  it('locate errors in a tree built in code by column alone', () => {
    const error = failure(() =>
      resolveSelection({ type: 'attribute', attribute: 'group', value: 'nope', column: 5 }, graph),
    );
    expect(error.message).toBe("selection: 'group:nope' matches no asset at column 5");
  });
});

/** `expr` without its columns, for comparing trees parsed from different text. */
function stripColumns(expr: SelectionExpr): unknown {
  return JSON.parse(
    JSON.stringify(expr, (key, value) =>
      key === 'column' ? undefined : value === Number.POSITIVE_INFINITY ? 'all' : value,
    ),
  );
}
