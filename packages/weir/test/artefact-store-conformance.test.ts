/**
 * The artefact store conformance suite (`weir/testing`) against the local store. Corruption is a
 * byte flipped on disk; a failing write is a disk that fills up halfway through writing the
 * artefact's temporary file (node:fs's writeFileSync, injected as in disk-full.test.ts).
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { LocalArtefactStore } from '../src/artefacts/index.js';
import { runArtefactStoreConformance } from '../src/testing.js';
import { tempDir } from './helpers.js';
import { flipByte } from './support/corrupt.js';

const faults = { failWrites: false };

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const writeFileSync: typeof real.writeFileSync = (file, data, options) => {
    if (faults.failWrites && typeof file === 'string' && file.includes('/artefacts/tmp/')) {
      const bytes = data as Uint8Array;
      real.writeFileSync(file, bytes.subarray(0, bytes.byteLength >> 1), options);
      throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write' });
    }
    real.writeFileSync(file, data, options);
  };
  return { ...real, writeFileSync, default: { ...real, writeFileSync } };
});

/** The first file of a stored file or directory, depth first in name order. */
function firstFile(path: string): string {
  if (!fs.lstatSync(path).isDirectory()) return path;
  for (const name of fs.readdirSync(path).sort()) {
    const found = firstFileOrUndefined(join(path, name));
    if (found !== undefined) return found;
  }
  throw new Error(`no file to corrupt in ${path}`);
}

function firstFileOrUndefined(path: string): string | undefined {
  try {
    return firstFile(path);
  } catch {
    return undefined;
  }
}

runArtefactStoreConformance({
  name: 'local files',
  create: async () => new LocalArtefactStore(join(tempDir(), 'artefacts')),
  corrupt: async (location, store) => flipByte(firstFile(join(store.root, location))),
  failWritesMidway: async () => {
    faults.failWrites = true;
    return async () => {
      faults.failWrites = false;
    };
  },
});
