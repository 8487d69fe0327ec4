#!/usr/bin/env node
// Puts the agencies' real exports into inbox/ (ignored by git: they carry no licence) from the
// shared data set beside the clone (../shared/data/social-services) or
// $WEIR_SHARED_DATA/social-services, each named after its agency, and registers each agency as
// a partition. An export already in inbox/ is kept: it may be one you changed on purpose.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.env.WEIR_SHARED_DATA
  ? resolve(process.env.WEIR_SHARED_DATA, 'social-services')
  : resolve(here, '../../../../shared/data/social-services');

/** inbox/ name → the shared data's file. */
export const EXPORTS = {
  'dc-211.csv': 'agencies/211.csv',
  'sf-211.csv': 'agencies/sf_211.csv',
  'linksf.json': 'agencies/linksf.json',
  'sf-apd.txt': 'agencies/apd_export.txt',
  'sf-dcyf.csv': 'agencies/dcyf_cms.csv',
  'wa-211.csv': 'agencies/wa211_dedup_training_set.csv',
};

const inbox = join(here, '..', 'inbox');
mkdirSync(inbox, { recursive: true });
let copied = 0;
for (const [name, from] of Object.entries(EXPORTS)) {
  const target = join(inbox, name);
  if (existsSync(target)) continue;
  const source = join(shared, from);
  if (!existsSync(source)) {
    process.stderr.write(
      `setup: ${source} is missing. The example reads the shared social-services data set: put it at ${shared}, or set WEIR_SHARED_DATA to the folder that holds social-services/.\n`,
    );
    process.exit(1);
  }
  copyFileSync(source, target);
  copied++;
}
const agencies = Object.keys(EXPORTS).map((name) => name.replace(/\.[^.]*$/, ''));
execFileSync(weirBin(), ['partitions', 'add', 'agencies', ...agencies], {
  cwd: join(here, '..'),
  stdio: ['ignore', 'ignore', 'inherit'],
});
process.stdout.write(
  `setup: ${copied === 0 ? 'inbox/ is complete' : `copied ${copied} exports into inbox/`}; agencies ${agencies.join(', ')}\n`,
);

/** The weir command of this install (npm start puts it on PATH; `node bin/setup.mjs` may not). */
function weirBin() {
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', 'weir');
    if (existsSync(bin)) return bin;
  }
  return 'weir';
}
