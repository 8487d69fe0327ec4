// The declarations a user's `tsc` reads (everything reachable from dist/types/index.d.ts) import
// only Node's modules and dependencies that ship their own types: a module typed by an
// @types/ devDependency (better-sqlite3's) would fail a user's `skipLibCheck: false` build.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(PACKAGE, 'dist', 'types', 'index.d.ts');
const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const require = createRequire(join(PACKAGE, 'package.json'));

/** The bare module specifiers of every declaration file reachable from `entry`. */
function bareImports(entry: string): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      if (spec!.startsWith('.')) {
        const next = join(dirname(file), spec!.replace(/\.js$/, '.d.ts'));
        if (existsSync(next)) queue.push(next);
      } else if (!spec!.startsWith('node:')) found.set(spec!, file);
    }
  }
  return found;
}

function shipsTypes(name: string): boolean {
  const root = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;
  const pkg = JSON.parse(readFileSync(require.resolve(`${root}/package.json`), 'utf8')) as {
    types?: string;
    typings?: string;
    exports?: unknown;
  };
  return (
    pkg.types !== undefined ||
    pkg.typings !== undefined ||
    JSON.stringify(pkg.exports ?? {}).includes('"types"')
  );
}

describe.skipIf(!existsSync(ENTRY))('the published declarations of @weir/hsds', () => {
  it('import only dependencies that ship their own types', () => {
    const problems = [...bareImports(ENTRY)]
      .map(([name, file]) => {
        const root = name.startsWith('@')
          ? name.split('/').slice(0, 2).join('/')
          : name.split('/')[0]!;
        if (manifest.dependencies?.[root] === undefined)
          return `${name} (in ${file}) is not a dependency`;
        return shipsTypes(name) ? undefined : `${name} (in ${file}) has no types of its own`;
      })
      .filter((p) => p !== undefined);
    expect(problems).toEqual([]);
  });
});
