#!/usr/bin/env node
// Copies the example's input rasters and polygons into inputs/ (ignored by git), from the shared
// data set beside the clone (../shared/data/geospatial) or $WEIR_SHARED_DATA/geospatial. A file
// already in inputs/ is kept: it may be one you changed on purpose.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.env.WEIR_SHARED_DATA
  ? resolve(process.env.WEIR_SHARED_DATA, 'geospatial')
  : resolve(here, '../../../../shared/data/geospatial');
const FILES = [
  'elev.tif',
  'pysheds/dem.tif',
  'N10W110.hgt',
  'lux.shp',
  'lux.shx',
  'lux.dbf',
  'lux.prj',
];

const inputs = join(here, '..', 'inputs');
let copied = 0;
for (const file of FILES) {
  const target = join(inputs, file);
  if (existsSync(target)) continue;
  const source = join(shared, file);
  if (!existsSync(source)) {
    process.stderr.write(
      `setup: ${source} is missing. The example reads the shared geospatial data set: put it at ${shared}, or set WEIR_SHARED_DATA to the folder that holds geospatial/.\n`,
    );
    process.exit(1);
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  copied++;
}
process.stdout.write(
  copied === 0 ? 'setup: inputs/ is complete\n' : `setup: copied ${copied} files into inputs/\n`,
);
