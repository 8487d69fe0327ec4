import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      // Imports `*.sql` files (the SQLite event log's migrations) as their text, as esbuild's
      // text loader does in the bundles.
      name: 'weir:sql-as-text',
      enforce: 'pre',
      load(id) {
        const path = id.split('?')[0]!;
        if (!path.endsWith('.sql')) return null;
        return { code: `export default ${JSON.stringify(readFileSync(path, 'utf8'))};`, map: null };
      },
    },
  ],
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    typecheck: { enabled: false },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['packages/weir/test/global-setup.ts'],
  },
});
