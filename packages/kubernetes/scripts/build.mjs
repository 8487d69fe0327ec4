// Builds @weir/kubernetes into dist/: the library bundled by esbuild (ESM, Node 20; weir, zod and
// undici stay imports), declarations from tsc (tsconfig.build.json).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from '../../../scripts/build-library.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The declarations import weir's: a fresh clone builds the workspace in folder order (kubernetes
// before weir), so build weir first when its declarations are not there yet.
const weir = join(root, '..', 'weir');
if (!existsSync(join(weir, 'dist', 'types', 'index.d.ts'))) {
  execFileSync(process.execPath, [join(weir, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
await buildLibrary(root, { index: 'src/index.ts' });
