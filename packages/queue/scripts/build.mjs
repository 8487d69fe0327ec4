// Builds @weir/queue into dist/: the library bundled by esbuild (ESM, Node 20; graphile-worker, pg and weir
// stay imports), declarations from tsc
// (tsconfig.build.json).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { emitDeclarations } from '../../../scripts/build-library.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
// The declarations import weir's: when the workspace builds in folder order (a fresh clone's
// `npm install`), packages/weir is built after this package, so build it first if it has not been.
const weir = join(root, '..', 'weir');
if (!existsSync(join(weir, 'dist', 'types', 'index.d.ts'))) {
  execFileSync(process.execPath, [join(weir, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
emitDeclarations(root);
