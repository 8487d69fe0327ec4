/**
 * The inputs as source assets: each DEM file (a partition each) and the canton shapefile. Their
 * data version is the hash of their bytes, so replacing a file makes exactly its readers stale.
 */
import { fileVersion, sourceAsset } from 'weir';
import { sha256Hex } from './hash.js';
import { CANTON_FILES, demFileOf, dems } from './paths.js';

export const demFile = sourceAsset({
  key: 'geo/dem_file',
  group: 'inputs',
  kinds: ['raster'],
  description: 'An elevation model as delivered: GeoTIFF or SRTM .hgt, one partition per DEM',
  partitions: dems,
  observe: (ctx) => inputVersion(demFileOf(ctx.partition.key)),
});

export const cantonFiles = sourceAsset({
  key: 'geo/canton_files',
  group: 'inputs',
  kinds: ['vector'],
  description: 'The 12 cantons of Luxembourg: a shapefile with its .shx, .dbf and .prj',
  observe: async () => {
    const parts = await Promise.all(CANTON_FILES.map((f) => inputVersion(f)));
    return {
      dataVersion: sha256Hex(parts.map((p) => p.dataVersion).join('\n')),
      metadata: { files: CANTON_FILES.join(', ') },
    };
  },
});

/** The file's version; a missing input says how to put the inputs back. */
async function inputVersion(path: string): ReturnType<typeof fileVersion> {
  try {
    return await fileVersion(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(`${path} is missing: run \`node bin/setup.mjs\` to copy the inputs back`);
  }
}
