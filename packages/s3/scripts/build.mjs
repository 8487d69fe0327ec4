// Builds @weir/s3 into dist/: the library bundled by esbuild (ESM, Node 20; the AWS SDK,
// tar-stream and weir stay imports), declarations from tsc (tsconfig.build.json).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from '../../../scripts/build-library.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The declarations import weir's, which the root build (scripts/build-workspaces.mjs, what a
// fresh clone's `npm install` runs) builds first; a package built on its own says so.
if (!existsSync(join(root, '..', 'weir', 'dist', 'types', 'index.d.ts'))) {
  console.error(
    'weir is not built (packages/weir/dist/types): run npm run build at the repository root, which builds weir first',
  );
  process.exit(1);
}
await buildLibrary(root, { index: 'src/index.ts' });
