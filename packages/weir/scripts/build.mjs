// Builds the package into dist/: the JavaScript is an esbuild bundle with shared chunks, so
// the `weir` command loads a few files instead of hundreds (cold start matters) and the CLI
// and a project's `import 'weir'` share one copy of the code; the declarations (dist/types/)
// come from `tsc --emitDeclarationOnly` (tsconfig.build.json), so a user's compiler reads
// .d.ts files, never Weir's sources.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { emitDeclarations } from '../../../scripts/build-library.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'src/index.ts',
    testing: 'src/testing.ts',
    server: 'src/server/index.ts',
    cli: 'src/cli/bin.ts',
    worker: 'src/cli/worker.ts',
    'step-process': 'src/cli/step-process.ts',
    'location-process': 'src/cli/location-process.ts',
    'check-process': 'src/cli/check-process.ts',
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
// The `*.sql` imports are typed by src/storage/sqlite/sql.d.ts, listed in tsconfig.build.json;
// no emitted declaration refers to them.
emitDeclarations(root);
