// Builds @weir/geo into dist/ (see scripts/build-library.mjs at the repository root).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from '../../../scripts/build-library.mjs';

await buildLibrary(join(dirname(fileURLToPath(import.meta.url)), '..'), { index: 'src/index.ts' });
