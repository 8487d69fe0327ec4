import { transform } from 'esbuild';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { restoreNames, type SourceMapJson } from '../src/cli/_restore-names.js';
import { decodeMappings, encodeMappings } from '../src/cli/_source-map.js';
import { type CodeAnalyser, loadCodeAnalyser } from '../src/versioning/index.js';
import { projectDir, weir } from './cli-helpers.js';

let analyser: CodeAnalyser;
beforeAll(async () => {
  analyser = await loadCodeAnalyser();
});

async function compile(source: string) {
  const result = await transform(source, {
    loader: 'ts',
    format: 'esm',
    sourcemap: 'external',
    sourcefile: 'input.ts',
  });
  return { code: result.code, map: JSON.parse(result.map) as SourceMapJson };
}

async function run(code: string): Promise<unknown> {
  const module = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as {
    default: unknown;
  };
  return module.default;
}

describe('restoreNames', () => {
  it('gives nested variables that shadow top-level ones their own names back', async () => {
    const { code, map } = await compile(`const a = 1;
const row = { a };
function f(a: number) {
  const row = { a };
  const { a: b, ...rest } = row;
  return [a, b, rest, row];
}
export default [f(2), a, row];
`);
    expect(code).toContain('a2');
    const restored = restoreNames(code, map, analyser);
    expect(restored.code).not.toMatch(/\b(a2|row2)\b/);
    expect(restored.code).toContain('function f(a)');
    expect(await run(restored.code)).toEqual(await run(code));
  });

  it('never names a binding with a reserved word the map gives (a re-exported default)', () => {
    const dir = projectDir({
      'src/numbers.ts':
        'export default function total(values: number[]): number { return values.length; }\n',
      'src/barrel.ts': "export { default as sum } from './numbers';\n",
      'weir.config.ts': `import { asset, defineProject } from 'weir';
import { sum } from './src/barrel';
const n = asset({ key: 'n', materialize: () => sum([1, 2, 3]) });
export default defineProject({ assets: [n] });
`,
    });
    // esbuild writes \`import { default as default2 }\` and maps default2 to \`default\`.
    expect(weir(dir, 'materialize').code).toBe(0);
    expect(weir(dir, 'value', 'n').stdout.trim()).toBe('3');
  });

  it('keeps a rename that would capture another reference', async () => {
    // Inside g, `a` must keep reading the top-level a while a local is also called a.
    const { code, map } = await compile(`const a = 1;
export default (() => { const a2 = 5; return (() => { const a = 2; return a + a2; })(); })();
`);
    const restored = restoreNames(code, map, analyser);
    expect(await run(restored.code)).toBe(7);
  });

  it('keeps the source map pointing at the same original positions', async () => {
    const { code, map } = await compile(
      'const value = 1;\nexport const f = () => { const value = 2; return value.missing.deep; };\n',
    );
    const restored = restoreNames(code, map, analyser);
    const before = decodeMappings(map.mappings)
      .flat()
      .map((s) => s.slice(1).join(','));
    const after = decodeMappings(restored.map.mappings)
      .flat()
      .map((s) => s.slice(1).join(','));
    expect(after).toEqual(before);
    expect(encodeMappings(decodeMappings(map.mappings))).toBe(map.mappings);
  });

  it('never changes what a program computes (property)', async () => {
    const names = ['a', 'b', 'c'] as const;
    const name = fc.constantFrom(...names);
    // A block: some lets first (no temporal dead zone), then reads, shorthands, nested blocks
    // and nested functions taking one of the names as a parameter. Every name is always
    // bound (the top level declares them all).
    const block = (depth: number): fc.Arbitrary<string> => {
      const step: fc.Arbitrary<string> =
        depth === 0
          ? fc.oneof(
              name.map((n) => `out.push(${n});`),
              name.map((n) => `out.push({ ${n} });`),
            )
          : fc.oneof(
              name.map((n) => `out.push(${n});`),
              name.map((n) => `out.push({ ${n} });`),
              block(depth - 1).map((b) => `{ ${b} }`),
              fc
                .tuple(name, block(depth - 1))
                .map(([n, b]) => `out.push((function (${n}) { { ${b} } return ${n}; })(7));`),
              fc
                .tuple(name, block(depth - 1))
                .map(([n, b]) => `out.push(((${n}) => { { ${b} } return ${n}; })(8));`),
            );
      return fc
        .tuple(
          fc.subarray([...names]),
          fc.integer({ min: 10, max: 99 }),
          fc.array(step, { maxLength: 4 }),
        )
        .map(
          ([lets, k, steps]) =>
            `${lets.map((n, i) => `let ${n} = ${k + i};`).join(' ')} ${steps.join(' ')}`,
        );
    };
    const program = block(3).map(
      (body) =>
        `const a = 1, b = 2, c = 3;\nconst out: unknown[] = [a, b, c];\nexport default (() => { ${body} return out; })();\n`,
    );
    let restoredSome = 0;
    await fc.assert(
      fc.asyncProperty(program, async (source) => {
        const { code, map } = await compile(source);
        const restored = restoreNames(code, map, analyser);
        if (restored.code !== code) restoredSome += 1;
        expect(await run(restored.code)).toEqual(await run(code));
      }),
      { numRuns: 60 },
    );
    expect(restoredSome).toBeGreaterThan(10);
  });
});

describe('runtime errors through the CLI', () => {
  it("name the user's own variables, not esbuild's renamed ones", () => {
    const dir = projectDir({
      'weir.config.ts': `import { asset, defineProject } from 'weir';

const a = 'top';
export const shout = asset({
  key: 'shout',
  materialize: () => {
    const a: unknown = 5;
    return (a as string).toUpperCase();
  },
});
export const other = asset({ key: 'other', materialize: () => a });
export default defineProject({ assets: [shout, other] });
`,
    });
    const result = weir(dir, 'materialize');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('a.toUpperCase is not a function');
    // A word of its own: a run id (random hex) may hold 'a2'.
    expect(result.stdout).not.toMatch(/\ba2\b/);
    const runId = /weir logs (\S+)/.exec(result.stdout)![1]!;
    const logs = weir(dir, 'logs', runId);
    expect(logs.stdout).toContain('a.toUpperCase is not a function');
    expect(logs.stdout).toMatch(/weir\.config\.ts:8:\d+/);
  });
});
