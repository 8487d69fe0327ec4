// Builds @weir/pipes into dist/: the library (see scripts/build-library.mjs at the repository
// root), and a copy of the Python client, pipes/python/weir_pipes.py, as dist/python/weir_pipes.py,
// where the library looks for it first, so the package carries it outside this repository.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from '../../../scripts/build-library.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await buildLibrary(root, { index: 'src/index.ts' });
mkdirSync(join(root, 'dist', 'python'), { recursive: true });
copyFileSync(
  join(root, '..', '..', 'pipes', 'python', 'weir_pipes.py'),
  join(root, 'dist', 'python', 'weir_pipes.py'),
);
