/**
 * Derived code versions through the CLI: each kind of edit restales exactly the assets whose
 * `materialize` (or checks) can reach it, and `weir why` names what changed; the cache of what
 * was derived gives the same versions as deriving, and only while it holds.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson, writeFile } from './cli-helpers.js';

const WEIR = fileURLToPath(new URL('../bin/weir.js', import.meta.url));

const FILES: Record<string, string> = {
  'weir.config.ts': `import { defineProject } from 'weir';
import * as assets from './src/assets';

export default defineProject({ assets: Object.values(assets) });
`,
  'src/assets.ts': `import { asset, check } from 'weir';
import { chunk } from 'fakepkg';
import { lib } from './lib';
import { normalizePhone } from './phone';
import type { Row } from './types';

const MIN_TOKEN = 2;
const MAX_ROWS = 10;

function lower(s: string): string {
  return s.toLowerCase();
}

function tokenize(s: string): string[] {
  return lower(s).split(' ').filter((t) => t.length >= MIN_TOKEN);
}

export const tokens = asset({
  key: 'tokens',
  materialize: () => tokenize('A bc DEF'),
});

export const phones = asset({
  key: 'phones',
  materialize: (): Row[] => [{ name: normalizePhone('555 12 34') }],
});

export const libbed = asset({ key: 'libbed', materialize: () => lib() });

export const chunked = asset({ key: 'chunked', materialize: () => chunk([1, 2, 3]) });

export const sibling = asset({ key: 'sibling', materialize: () => 'plain' });

const fewRows = check<number[]>({ name: 'few_rows', evaluate: (_ctx, rows) => rows.length <= MAX_ROWS });

export const checked = asset({ key: 'checked', checks: [fewRows], materialize: () => [1, 2, 3] });
`,
  'src/phone.ts': `function digits(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

export function normalizePhone(s: string): string {
  return digits(s);
}

export function formatPhone(s: string): string {
  return s;
}
`,
  'src/types.ts': `export interface Row {
  name: string;
}
`,
  'src/lib/index.ts': `export { lib } from './impl';\n`,
  'src/lib/impl.ts': `export * from './core';\n`,
  'src/lib/core.ts': `export function lib(): number {
  return 1;
}

export function unused(): number {
  return 2;
}
`,
  'node_modules/fakepkg/package.json': JSON.stringify({
    name: 'fakepkg',
    version: '1.0.0',
    type: 'module',
    main: 'index.js',
  }),
  'node_modules/fakepkg/index.js': 'export const chunk = (xs) => xs.map((x) => [x]);\n',
};

interface Edit {
  name: string;
  file: string;
  from: string;
  to: string;
  stale: string[];
  /** A line `weir why` prints for the first stale asset. */
  why?: string;
}

const EDITS: Edit[] = [
  {
    name: 'a function body',
    file: 'src/assets.ts',
    from: "tokenize('A bc DEF')",
    to: "tokenize('A bc DEF GH')",
    stale: ['tokens'],
    why: 'code changed: materialize',
  },
  {
    name: 'a referenced top-level constant',
    file: 'src/assets.ts',
    from: 'MIN_TOKEN = 2',
    to: 'MIN_TOKEN = 5',
    stale: ['tokens'],
    why: 'code changed: MIN_TOKEN in src/assets.ts',
  },
  {
    name: 'a transitive helper in the same file',
    file: 'src/assets.ts',
    from: 'return s.toLowerCase();',
    to: 'return s.toLocaleLowerCase();',
    stale: ['tokens'],
    why: 'code changed: function lower in src/assets.ts',
  },
  {
    name: 'a helper in another file',
    file: 'src/phone.ts',
    from: 'return digits(s);',
    to: "return '+' + digits(s);",
    stale: ['phones'],
    why: 'code changed: function normalizePhone in src/phone.ts',
  },
  {
    name: "a helper's helper in another file",
    file: 'src/phone.ts',
    from: '/[^0-9]/g',
    to: '/[^0-9+]/g',
    stale: ['phones'],
    why: 'code changed: function digits in src/phone.ts',
  },
  {
    name: 'a re-export chain',
    file: 'src/lib/core.ts',
    from: 'return 1;',
    to: 'return 3;',
    stale: ['libbed'],
    why: 'code changed: function lib in src/lib/core.ts',
  },
  {
    name: "a check's constant",
    file: 'src/assets.ts',
    from: 'MAX_ROWS = 10',
    to: 'MAX_ROWS = 2',
    stale: ['checked'],
    why: 'code changed: MAX_ROWS in src/assets.ts',
  },
  {
    name: 'an unrelated sibling function',
    file: 'src/phone.ts',
    from: 'return s;',
    to: 'return s.trim();',
    stale: [],
  },
  {
    name: 'an unused export beside a used one',
    file: 'src/lib/core.ts',
    from: 'return 2;',
    to: 'return 4;',
    stale: [],
  },
  {
    name: 'a sibling asset in the same file',
    file: 'src/assets.ts',
    from: "'plain'",
    to: "'plainer'",
    stale: ['sibling'],
  },
  {
    name: 'a type only',
    file: 'src/types.ts',
    from: 'name: string;',
    to: 'name: string;\n  phone?: string;',
    stale: [],
  },
  {
    name: 'a type annotation in the function',
    file: 'src/assets.ts',
    from: "materialize: () => tokenize('A bc DEF')",
    to: "materialize: (): string[] => tokenize('A bc DEF')",
    stale: [],
  },
  {
    name: 'comments only',
    file: 'src/phone.ts',
    from: 'return digits(s);',
    to: '// digits only\n  return digits(s); /* no spaces */',
    stale: [],
  },
  {
    name: 'a package upgrade',
    file: 'node_modules/fakepkg/package.json',
    from: '"version":"1.0.0"',
    to: '"version":"1.0.1"',
    stale: ['chunked'],
    why: 'package fakepkg 1.0.0 → 1.0.1',
  },
];

interface State {
  key: string;
  status: string;
}

const staleKeys = (dir: string) =>
  weirJson<State[]>(dir, 'status')
    .filter((s) => s.status !== 'fresh')
    .map((s) => s.key)
    .sort();

describe('derived code versions through the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = projectDir(FILES);
    const first = weir(dir, 'materialize');
    expect([first.code, first.stderr]).toEqual([0, expect.stringContaining('6 steps to run')]);
  });

  for (const edit of EDITS) {
    it(`editing ${edit.name} restales ${edit.stale.join(', ') || 'nothing'}`, () => {
      const path = join(dir, edit.file);
      const original = readFileSync(path, 'utf8');
      expect(original).toContain(edit.from);
      writeFile(path, original.replace(edit.from, edit.to));
      try {
        expect(staleKeys(dir)).toEqual(edit.stale);
        if (edit.why !== undefined) {
          const why = weir(dir, 'why', edit.stale[0]!);
          expect(why.stdout).toContain(edit.why);
        }
      } finally {
        writeFile(path, original);
      }
      // Undoing the edit gives back the recorded code version.
      expect(staleKeys(dir)).toEqual([]);
    });
  }

  it('an explicit codeVersion overrides what the code reaches', () => {
    const path = join(dir, 'src/assets.ts');
    const original = readFileSync(path, 'utf8');
    const pinned = original.replace("key: 'phones',", "key: 'phones',\n  codeVersion: 'v1',");
    try {
      writeFile(path, pinned);
      expect(weir(dir, 'materialize', 'phones').code).toBe(0);
      writeFile(
        join(dir, 'src/phone.ts'),
        FILES['src/phone.ts']!.replace('return s;', 'return s + 1;').replace(
          'return digits(s);',
          'return digits(s) + 1;',
        ),
      );
      expect(staleKeys(dir)).toEqual([]);
    } finally {
      writeFile(join(dir, 'src/phone.ts'), FILES['src/phone.ts']!);
      writeFile(path, original);
    }
  });
});

describe('the cache of derived code versions', () => {
  const versions = (dir: string, env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [WEIR, 'status', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    expect(result.status, result.stderr).toBe(0);
    const states = JSON.parse(result.stdout) as Array<{ key: string; codeVersion: string }>;
    return Object.fromEntries(states.map((s) => [s.key, s.codeVersion]));
  };
  const caches = (dir: string) =>
    readdirSync(join(dir, '.weir', 'cache')).filter((f) => f.startsWith('code-versions-'));

  it('gives what deriving gives, and is set aside when the definitions differ for the same build', () => {
    const dir = projectDir({
      ...FILES,
      'weir.config.ts': `import { asset, defineProject } from 'weir';
import * as assets from './src/assets';

// The same compiled files define other functions, keys or formats depending on the environment.
const picked = asset({
  key: 'picked',
  ...(process.env.WEIR_TEST_IO === 'bytes' ? { io: 'bytes' as const } : {}),
  materialize: process.env.WEIR_TEST_PICK === 'b' ? () => new Uint8Array([2]) : () => new Uint8Array([1]),
});
const extra = process.env.WEIR_TEST_EXTRA ? [asset({ key: 'extra', materialize: () => 3 })] : [];

export default defineProject({ assets: [...Object.values(assets), picked, ...extra] });
`,
    });
    const derived = versions(dir);
    expect(caches(dir)).toHaveLength(1);
    expect(versions(dir)).toEqual(derived);
    const environments: Array<Record<string, string>> = [
      { WEIR_TEST_PICK: 'b' },
      { WEIR_TEST_IO: 'bytes' },
      { WEIR_TEST_EXTRA: '1' },
    ];
    for (const env of environments) {
      const cached = versions(dir, env);
      rmSync(join(dir, '.weir', 'cache', caches(dir)[0]!));
      expect(versions(dir, env)).toEqual(cached);
    }
    expect(versions(dir, { WEIR_TEST_PICK: 'b' }).picked).not.toBe(derived.picked);
    expect(versions(dir, { WEIR_TEST_IO: 'bytes' }).picked).not.toBe(derived.picked);
    expect(versions(dir)).toEqual(derived);
  });
});
