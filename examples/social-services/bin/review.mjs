#!/usr/bin/env node
// Accepts an agency's current export that a check held back (half the usual size, a dropped
// column) after a person looked at it: appends its version, who and when to
// reviews/<agency>.json. Then `weir check hsds --partition <agency>` re-evaluates the checks.
//   node bin/review.mjs accept <agency> [--by NAME] [--note TEXT]
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  process.stderr.write(`review: ${message}\n`);
  process.exit(2);
};

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { by: { type: 'string' }, note: { type: 'string' } },
  });
} catch (error) {
  fail(`${error.message}\nusage: node bin/review.mjs accept <agency> [--by NAME] [--note TEXT]`);
}
const [command, agency] = parsed.positionals;
if (command !== 'accept' || agency === undefined || parsed.positionals.length !== 2) {
  fail('usage: node bin/review.mjs accept <agency> [--by NAME] [--note TEXT]');
}
if (!/^[a-z0-9][a-z0-9-]*$/.test(agency)) fail(`'${agency}' is not an agency name`);
const inbox = join(root, 'inbox');
const files = existsSync(inbox)
  ? readdirSync(inbox).filter((name) => name.replace(/\.[^.]*$/, '') === agency)
  : [];
if (files.length !== 1) {
  fail(
    files.length === 0
      ? `no export of '${agency}' in inbox/`
      : `several exports of '${agency}' in inbox/: ${files.join(', ')}`,
  );
}
const exportVersion = createHash('sha256')
  .update(readFileSync(join(inbox, files[0])))
  .digest('hex');
const file = join(root, 'reviews', `${agency}.json`);
const reviews = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
if (!Array.isArray(reviews)) fail(`${file} is not a list of reviews: fix or remove it`);
if (!reviews.some((r) => r.exportVersion === exportVersion)) {
  const by = parsed.values.by ?? userInfo().username;
  reviews.push({
    exportVersion,
    by,
    at: new Date().toISOString(),
    ...(parsed.values.note ? { note: parsed.values.note } : {}),
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(reviews, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
process.stdout.write(
  `review: ${agency}'s export ${files[0]} (${exportVersion.slice(0, 12)}) accepted; now run: weir check hsds --partition ${agency}\n`,
);
