#!/usr/bin/env node
// Accepts an agency's current export that a check held back (half the usual size, a dropped
// column) after a person looked at it: appends its version, who and when to
// reviews/<agency>.json. Then `weir check hsds --partition <agency>` re-evaluates the checks.
//   node bin/review.mjs accept <agency> [--version SHA256-PREFIX] [--by NAME] [--note TEXT]
// --version (at least 12 hex digits of the export's SHA-256, as the check's run shows it) makes
// sure the export accepted is the one the person looked at, not one that arrived in inbox/
// since; without it the version accepted is printed in full.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE =
  'usage: node bin/review.mjs accept <agency> [--version SHA256-PREFIX] [--by NAME] [--note TEXT]';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** A usage mistake: exit 2. */
const fail = (message) => {
  process.stderr.write(`review: ${message}\n`);
  process.exit(2);
};
/** A file that cannot be read or written: one line naming it, exit 1. */
const failIo = (message) => {
  process.stderr.write(`review: ${message}\n`);
  process.exit(1);
};
const shown = (path) => relative(process.cwd(), path) || path;
/** `permission denied (EACCES)` from a Node file error, without its repeat of the path. */
const why = (error) => {
  const words = /^[A-Z]+: ([^,]+)/.exec(error.message)?.[1];
  return words === undefined || error.code === undefined
    ? error.message
    : `${words} (${error.code})`;
};

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { by: { type: 'string' }, note: { type: 'string' }, version: { type: 'string' } },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
const [command, agency] = parsed.positionals;
if (command !== 'accept' || agency === undefined || parsed.positionals.length !== 2) fail(USAGE);
if (!/^[a-z0-9][a-z0-9-]*$/.test(agency)) fail(`'${agency}' is not an agency name`);
const { by: byOption, note, version } = parsed.values;
if (byOption !== undefined && byOption.trim() === '') {
  fail('--by needs the name of the person who reviewed the export');
}
if (version !== undefined && !/^[0-9a-f]{12,64}$/i.test(version)) {
  fail(
    `--version '${version}' is not the start of a SHA-256: give at least 12 of its hex digits, as the held check shows them`,
  );
}
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
const exportPath = join(inbox, files[0]);
let bytes;
try {
  bytes = readFileSync(exportPath);
} catch (error) {
  failIo(`cannot read ${shown(exportPath)}: ${why(error)}`);
}
const exportVersion = createHash('sha256').update(bytes).digest('hex');
if (version !== undefined && !exportVersion.startsWith(version.toLowerCase())) {
  failIo(
    `inbox/${files[0]} is now version ${exportVersion}, not ${version}: the export changed since it was checked; run weir materialize, look at the new export, and accept that one`,
  );
}
const file = join(root, 'reviews', `${agency}.json`);
let reviews = [];
if (existsSync(file)) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    failIo(`cannot read ${shown(file)}: ${why(error)}`);
  }
  try {
    reviews = JSON.parse(text);
  } catch (error) {
    failIo(
      `${shown(file)} is not valid JSON (${error.message}): it is the audit trail of ${agency}'s reviews; restore it from your backup or version control, or remove it to start a new one`,
    );
  }
  if (!Array.isArray(reviews)) {
    failIo(
      `${shown(file)} is not a list of reviews: restore it from your backup or version control, or remove it to start a new one`,
    );
  }
}
if (!reviews.some((r) => r?.exportVersion === exportVersion)) {
  let by = byOption;
  if (by === undefined) {
    try {
      by = userInfo().username;
    } catch {
      fail('who reviewed the export? give --by NAME');
    }
  }
  reviews.push({
    exportVersion,
    by,
    at: new Date().toISOString(),
    ...(note ? { note } : {}),
  });
  const temporary = `${file}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(reviews, null, 2)}\n`);
    renameSync(temporary, file);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {}
    const at =
      error.path === undefined || error.path === temporary ? '' : ` at ${shown(error.path)}`;
    failIo(`cannot write ${shown(file)}${at}: ${why(error)}; nothing was accepted`);
  }
}
process.stdout.write(
  `review: ${agency}'s export ${files[0]} (version ${exportVersion}) accepted; now run: weir check hsds --partition ${agency}\n`,
);
