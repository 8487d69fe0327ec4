/**
 * The geospatial example copied into a scratch folder with its inputs from the shared data,
 * and `weir` run there as a user would (see packages/weir/test/support/example-project.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  exampleProject,
  SHARED_DATA,
} from '../../../packages/weir/test/support/example-project.js';

export const noSharedData = !existsSync(join(SHARED_DATA, 'geospatial', 'elev.tif'));
export function sharedDataTitle(name: string): string {
  return noSharedData
    ? `${name} (skipped: real data not found at ${SHARED_DATA}/geospatial; set WEIR_SHARED_DATA)`
    : name;
}

const project = exampleProject(new URL('..', import.meta.url), [
  'weir.config.ts',
  'src',
  'bin',
  'package.json',
]);

export const exampleCopy = project.copy;
export const weir = project.weir;
export const serve = project.serve;
