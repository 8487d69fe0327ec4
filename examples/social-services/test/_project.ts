/**
 * The social-services example copied into a scratch folder with the agencies' exports from the
 * shared data in its inbox, and `weir` run there as a user would.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  exampleProject,
  SHARED_DATA,
} from '../../../packages/weir/test/support/example-project.js';

export const noSocialData = !existsSync(
  join(SHARED_DATA, 'social-services', 'agencies', '211.csv'),
);
export function socialDataTitle(name: string): string {
  return noSocialData
    ? `${name} (skipped: real data not found at ${SHARED_DATA}/social-services; set WEIR_SHARED_DATA)`
    : name;
}

export const project = exampleProject(new URL('..', import.meta.url), [
  'weir.config.ts',
  'src',
  'bin',
  'package.json',
]);
