// Builds @weir/timeseries into dist/: the library, the Parquet entry point and the CLI, with
// shared chunks (see scripts/build-library.mjs at the repository root).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from '../../../scripts/build-library.mjs';

await buildLibrary(join(dirname(fileURLToPath(import.meta.url)), '..'), {
  index: 'src/index.ts',
  parquet: 'src/parquet.ts',
  cli: 'src/cli/bin.ts',
});
