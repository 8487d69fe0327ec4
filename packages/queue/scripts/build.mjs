// Builds @weir/queue into dist/: the library bundled by esbuild (ESM, Node 20; graphile-worker, pg and weir
// stay imports), declarations from tsc
// (tsconfig.build.json).
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { emitDeclarations } from '../../../scripts/build-library.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The declarations import weir's, which the root build (scripts/build-workspaces.mjs, what a
// fresh clone's `npm install` runs) builds first; a package built on its own says so.
if (!existsSync(join(root, '..', 'weir', 'dist', 'types', 'index.d.ts'))) {
  console.error(
    'weir is not built (packages/weir/dist/types): run npm run build at the repository root, which builds weir first',
  );
  process.exit(1);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
emitDeclarations(root);
