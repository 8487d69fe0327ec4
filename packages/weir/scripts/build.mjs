// Bundles the library and the CLI into dist/ with shared chunks, so the `weir` command loads
// a few files instead of hundreds (cold start matters) and the CLI and a project's
// `import 'weir'` share one copy of the code.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'src/index.ts',
    testing: 'src/testing.ts',
    cli: 'src/cli/bin.ts',
    worker: 'src/cli/worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // Migrations are .sql files, bundled as strings.
  loader: { '.sql': 'text' },
  logLevel: 'warning',
});
