import type { AnyNode, Identifier } from 'acorn';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyseScopes,
  type CodeAnalyser,
  CodeGraph,
  type CodeModule,
  loadCodeAnalyser,
  type Resolved,
} from '../src/versioning/index.js';

let analyser: CodeAnalyser;
beforeAll(async () => {
  analyser = await loadCodeAnalyser();
});

/** The `materialize` (or any `prop`) function of the object literal whose `key` is `key`. */
function rootText(source: string, key: string, prop = 'materialize'): string {
  let found: string | undefined;
  const visit = (node: AnyNode): void => {
    if (node.type === 'ObjectExpression') {
      const props = node.properties.filter((p) => p.type === 'Property');
      const keyProp = props.find((p) => p.key.type === 'Identifier' && p.key.name === 'key');
      const root = props.find((p) => p.key.type === 'Identifier' && p.key.name === prop);
      if (keyProp?.value.type === 'Literal' && keyProp.value.value === key && root) {
        found = source.slice(root.method ? root.start : root.value.start, root.value.end);
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const v of value) if (v?.type) visit(v as AnyNode);
      if (value && typeof value === 'object' && 'type' in value) visit(value as AnyNode);
    }
  };
  visit(analyser.parse(source));
  if (found === undefined) throw new Error(`no ${prop} for ${key}`);
  return found;
}

interface Fixture {
  modules: Record<string, string>;
  packages?: Record<string, string>;
}

/** The parts of asset `key` (defined in `file`) in a project of compiled modules. */
function partsOf(fixture: Fixture, file: string, key: string): Record<string, string> {
  const modules = new Map<string, CodeModule>();
  for (const [name, code] of Object.entries(fixture.modules)) {
    modules.set(name, {
      label: name.replace(/\.mjs$/, '.ts'),
      facts: analyser.facts(code, { opaque: (n) => n.startsWith('__weir_meta_') }),
      code,
    });
  }
  const resolve = (_from: string, specifier: string): Resolved => {
    if (specifier.startsWith('./')) return { module: specifier.slice(2) };
    if (specifier.startsWith('node:')) return { ignore: true };
    const name = specifier.split('/')[0]!;
    return { package: name, version: fixture.packages?.[name] ?? 'unresolved' };
  };
  const graph = new CodeGraph({ modules, resolve });
  return graph.parts([
    { part: 'materialize', text: rootText(fixture.modules[file]!, key), label: key },
  ]);
}

/** The keys of the parts whose value differs between two fixtures. */
function changed(a: Fixture, b: Fixture, file: string, key: string): string[] {
  const before = partsOf(a, file, key);
  const after = partsOf(b, file, key);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => before[k] !== after[k])
    .sort();
}

describe('scope analysis', () => {
  const resolved = (code: string) => {
    const analysis = analyseScopes(analyser.parse(code));
    return analysis.references.map((r) => {
      const b = r.binding;
      const where = b === undefined ? 'global' : b.scope.kind;
      return `${r.id.name}@${r.id.start}->${where}${b?.declarations[0] ? `@${(b.declarations[0] as Identifier).start}` : ''}`;
    });
  };

  it('resolves shadowing, hoisting and the special bindings to the right declaration', () => {
    const code = [
      'const a = 1;', // a@6
      'function f(b) { var c = a + b; { let a = 2; c += a; } return c; }',
      'try {} catch (a) { a; }',
      'const g = function h() { return h; };',
      'for (const a of [1]) a;',
      'const { x, y: [z] = [a] } = {};',
      'const k = () => arguments;',
      'class K { m() { return K; } }',
      'export { a as b };',
    ].join('\n');
    const refs = resolved(code);
    // In f: the top-level a, then the block's a.
    expect(refs.filter((r) => r.startsWith('a@'))).toEqual([
      expect.stringMatching(/^a@\d+->module@6$/), // a + b
      expect.stringMatching(/^a@\d+->block@\d+$/), // c += a (inner let)
      expect.stringMatching(/^a@\d+->block@\d+$/), // catch (a) { a }
      expect.stringMatching(/^a@\d+->block@\d+$/), // for (const a …) a
      expect.stringMatching(/^a@\d+->module@6$/), // = [a]
      expect.stringMatching(/^a@\d+->module@6$/), // export { a }
    ]);
    expect(refs.find((r) => r.startsWith('h@'))).toMatch(/->block@/);
    expect(refs.find((r) => r.startsWith('arguments@'))).toMatch(/->global$/);
    expect(refs.find((r) => r.startsWith('K@'))).toMatch(/->class@/);
  });
});

describe('module facts', () => {
  it('lists top-level units with the names they use, imports, exports and functions', () => {
    const facts = analyser.facts(
      [
        "import { phone } from './phone.mjs';",
        "import * as ns from './ns.mjs';",
        'const MIN = 2, MAX = 5;',
        'function helper(x) { return x > MIN && ns.limit(x); }',
        'export const a = { key: "a", materialize: () => helper(phone(1)) };',
        'registry.push(MAX);',
        "export { helper as h } from './other.mjs';",
        "export * from './star.mjs';",
      ].join('\n'),
    );
    expect(facts.units.map((u) => `${u.kind} ${u.label}: ${u.uses.join(',')}`)).toEqual([
      'const MIN: ',
      'const MAX: ',
      'function helper: MIN,ns.limit',
      'const a: helper,phone',
      'statement (statement 1): MAX',
    ]);
    expect(facts.imports).toEqual({
      phone: { from: './phone.mjs', name: 'phone' },
      ns: { from: './ns.mjs', name: '*' },
    });
    expect(facts.exports).toEqual({
      a: { local: 'a' },
      h: { from: './other.mjs', name: 'helper' },
    });
    expect(facts.stars).toEqual(['./star.mjs']);
    expect(facts.functions).toHaveLength(2);
  });
});

const BASE: Fixture = {
  modules: {
    'assets.mjs': [
      "import { normalizePhone } from './phone.mjs';",
      "import * as text from './text.mjs';",
      "import { lib } from './lib.mjs';",
      "import _ from 'lodash';",
      "import { readFileSync } from 'node:fs';",
      'const MIN_TOKEN = 2;',
      'const UNUSED = 1;',
      'function tokens(s) { return s.split(" ").filter((t) => t.length >= MIN_TOKEN); }',
      'export const a = { key: "a", materialize: () => tokens("x y").map(normalizePhone) };',
      'export const b = { key: "b", materialize: () => text.upper("b") + lib() };',
      'export const c = { key: "c", materialize: () => _.chunk([1, 2], 1) };',
      'export const d = { key: "d", materialize: () => readFileSync("x") };',
    ].join('\n'),
    'phone.mjs': [
      'function digits(s) { return s.replace(/\\D/g, ""); }',
      'export function normalizePhone(s) { return digits(String(s)); }',
      'export function formatPhone(s) { return s; }',
    ].join('\n'),
    'text.mjs':
      'export const upper = (s) => s.toUpperCase();\nexport const lower = (s) => s.toLowerCase();',
    'lib.mjs': "export { lib } from './lib-impl.mjs';",
    'lib-impl.mjs': "export * from './lib-core.mjs';",
    'lib-core.mjs': 'export function lib() { return 1; }\nexport function other() { return 2; }',
  },
  packages: { lodash: '4.17.20' },
};

function edit(file: string, from: string, to: string): Fixture {
  const code = BASE.modules[file]!;
  if (!code.includes(from)) throw new Error(`${from} not in ${file}`);
  return { ...BASE, modules: { ...BASE.modules, [file]: code.replace(from, to) } };
}

describe('code parts', () => {
  it('name the function, the constants and helpers it reaches, and packages by version', () => {
    expect(Object.keys(partsOf(BASE, 'assets.mjs', 'a')).sort()).toEqual([
      'assets.ts:MIN_TOKEN',
      'assets.ts:tokens',
      'materialize',
      'phone.ts:digits',
      'phone.ts:normalizePhone',
    ]);
    expect(Object.keys(partsOf(BASE, 'assets.mjs', 'b')).sort()).toEqual([
      'lib-core.ts:lib',
      'materialize',
      'text.ts:upper',
    ]);
    expect(partsOf(BASE, 'assets.mjs', 'c')).toMatchObject({ 'package lodash': '4.17.20' });
    expect(Object.keys(partsOf(BASE, 'assets.mjs', 'd')).sort()).toEqual(['materialize']);
  });

  const cases: Array<[string, Fixture, Record<string, string[]>]> = [
    ['function body', edit('assets.mjs', '"x y"', '"x  y"'), { a: ['materialize'] }],
    [
      'referenced constant',
      edit('assets.mjs', 'MIN_TOKEN = 2', 'MIN_TOKEN = 5'),
      { a: ['assets.ts:MIN_TOKEN'] },
    ],
    [
      'helper in another file',
      edit('phone.mjs', 'String(s)', 'String(s).trim()'),
      { a: ['phone.ts:normalizePhone'] },
    ],
    ['transitive helper', edit('phone.mjs', '/\\D/g', '/[^0-9+]/g'), { a: ['phone.ts:digits'] }],
    ['re-export chain', edit('lib-core.mjs', 'return 1', 'return 3'), { b: ['lib-core.ts:lib'] }],
    [
      'namespace member',
      edit('text.mjs', 'toUpperCase()', 'toLocaleUpperCase()'),
      { b: ['text.ts:upper'] },
    ],
    ['package upgrade', { ...BASE, packages: { lodash: '4.17.21' } }, { c: ['package lodash'] }],
    ['unrelated sibling', edit('phone.mjs', 'return s; }', 'return "+" + s; }'), {}],
    ['unused constant', edit('assets.mjs', 'UNUSED = 1', 'UNUSED = 2'), {}],
    ['unused export beside a used one', edit('lib-core.mjs', 'return 2', 'return 4'), {}],
  ];
  for (const [name, after, expected] of cases) {
    it(`an edit of a ${name} changes exactly the assets that reach it`, () => {
      for (const key of ['a', 'b', 'c', 'd']) {
        expect([key, changed(BASE, after, 'assets.mjs', key)]).toEqual([key, expected[key] ?? []]);
      }
    });
  }

  it('counts a namespace used as a value as its whole module', () => {
    const fixture = edit('assets.mjs', 'text.upper("b")', 'Object.keys(text).join()');
    const after = {
      ...fixture,
      modules: {
        ...fixture.modules,
        'text.mjs': BASE.modules['text.mjs']!.replace('toLowerCase', 'trim'),
      },
    };
    expect(changed(fixture, after, 'assets.mjs', 'b')).toEqual(['text.ts:lower']);
  });

  it('counts top-level statements that mention a binding it reaches', () => {
    const base = edit('assets.mjs', 'const UNUSED = 1;', 'const CONFIG = {};\nCONFIG.min = 2;');
    const withUse = {
      ...base,
      modules: {
        ...base.modules,
        'assets.mjs': base.modules['assets.mjs']!.replace(
          't.length >= MIN_TOKEN',
          't.length >= CONFIG.min',
        ),
      },
    };
    const after = {
      ...withUse,
      modules: {
        ...withUse.modules,
        'assets.mjs': withUse.modules['assets.mjs']!.replace('CONFIG.min = 2', 'CONFIG.min = 5'),
      },
    };
    expect(changed(withUse, after, 'assets.mjs', 'a')).toEqual(['assets.ts:(statement 1)']);
    expect(changed(withUse, after, 'assets.mjs', 'b')).toEqual([]);
  });

  it('takes the whole enclosing declaration when a function reads its local bindings', () => {
    const factory = {
      modules: {
        'f.mjs':
          'function make(n) { const k = n * 2; return { key: "f", materialize: () => k }; }\nexport const f = make(1);',
      },
    };
    const after = { modules: { 'f.mjs': factory.modules['f.mjs'].replace('n * 2', 'n * 3') } };
    expect(changed(factory, after, 'f.mjs', 'f')).toEqual(['f.ts:make']);
  });

  it('includes the checks listed beside materialize', () => {
    const base = {
      modules: {
        'c.mjs':
          'const MAX = 10;\nconst bounds = check({ name: "b", evaluate: (_c, v) => v < MAX });\nexport const a = asset({ key: "a", checks: [bounds, boundsCheck("x", { max: 3 })], materialize: () => 1 });',
      },
    };
    const limit = { modules: { 'c.mjs': base.modules['c.mjs'].replace('MAX = 10', 'MAX = 11') } };
    const option = { modules: { 'c.mjs': base.modules['c.mjs'].replace('max: 3', 'max: 4') } };
    expect(changed(base, limit, 'c.mjs', 'a')).toEqual(['c.ts:MAX']);
    expect(changed(base, option, 'c.mjs', 'a')).toEqual(['checks']);
  });

  it('tells apart functions of equal text by the key written beside them, else counts every place', () => {
    const twins = (one: string, two: string, three = '') => ({
      modules: {
        'one.mjs': `const LIMIT = ${one};\nexport const a = { key: "one", materialize: () => LIMIT };`,
        'two.mjs': `const LIMIT = ${two};\nexport const b = { key: "two", materialize: () => LIMIT };`,
        'three.mjs': `const LIMIT = 9${three};\nexport const c = { key: computed(), materialize: () => LIMIT };`,
      },
    });
    expect(changed(twins('1', '2'), twins('1', '3'), 'one.mjs', 'one')).toEqual([]);
    expect(changed(twins('1', '2'), twins('1', '3'), 'two.mjs', 'two')).toEqual(['two.ts:LIMIT']);
    // The place without a key could be either asset's function: it counts for both.
    expect(changed(twins('1', '2'), twins('1', '2', '9'), 'one.mjs', 'one')).toEqual([
      'three.ts:LIMIT',
    ]);
  });

  it('finds a materialize written as a method, or as a function declared elsewhere', () => {
    const at = (n: string) => ({
      modules: {
        'm.mjs': `const N = ${n};\nfunction build() { return N; }\nexport const a = { key: "a", materialize() { return N + 1; } };\nexport const b = { key: "b", materialize: build };`,
      },
    });
    expect(changed(at('1'), at('2'), 'm.mjs', 'a')).toEqual(['m.ts:N']);
    const graph = (n: string) => {
      const code = at(n).modules['m.mjs'];
      const modules = new Map([['m.mjs', { label: 'm.ts', facts: analyser.facts(code), code }]]);
      return new CodeGraph({ modules, resolve: () => ({ ignore: true }) }).parts([
        { part: 'materialize', text: 'function build() { return N; }', label: 'b' },
      ]);
    };
    expect(graph('1')['m.ts:N']).not.toBe(graph('2')['m.ts:N']);
    expect(graph('1').materialize).toMatch(/^function /);
  });

  it('hashes generated import.meta helpers by name, so moving the project changes nothing', () => {
    const at = (path: string) => ({
      modules: {
        'm.mjs': `export const a = { key: "a", materialize: () => __weir_meta_dirname_abc() };\nfunction __weir_meta_dirname_abc() { return "${path}"; }`,
      },
    });
    expect(changed(at('/one'), at('/two'), 'm.mjs', 'a')).toEqual([]);
  });

  it('folds many parts into one part per file', () => {
    const helpers = Array.from({ length: 100 }, (_, i) => `function h${i}() { return ${i}; }`);
    const calls = helpers.map((_, i) => `h${i}()`).join(' + ');
    const fixture = {
      modules: {
        'm.mjs': `${helpers.join('\n')}\nexport const a = { key: "a", materialize: () => ${calls} };`,
      },
    };
    expect(Object.keys(partsOf(fixture, 'm.mjs', 'a')).sort()).toEqual(['m.ts', 'materialize']);
  });

  it('is unaffected by an edit anywhere an asset cannot reach (property)', () => {
    const files = ['phone.mjs', 'text.mjs', 'lib-core.mjs'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.integer({ min: 0, max: 99 }), (file, n) => {
        // Appending a new top-level function reaches nothing.
        const after = {
          ...BASE,
          modules: {
            ...BASE.modules,
            [file]: `${BASE.modules[file]}\nexport function added${n}() { return ${n}; }`,
          },
        };
        return ['a', 'b', 'c', 'd'].every(
          (key) => changed(BASE, after, 'assets.mjs', key).length === 0,
        );
      }),
      { numRuns: 20 },
    );
  });
});
