#!/usr/bin/env node
// Replays the SaQC station's two years as a telemetry feed would deliver them: one CSV file
// per month (the same header and rows) dropped into inbox/ under a hidden name, then renamed,
// so a watcher never reads a half-written file.
//
//   node bin/replay.mjs            the next month not yet in inbox/
//   node bin/replay.mjs --all      every month
//   node bin/replay.mjs --until 2016-06   every month up to June 2016
//   node bin/replay.mjs --month 2017-03   that month only
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const project = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(project, 'data', 'saqc', 'hydro_data.csv');
const inbox = join(project, 'inbox');

const USAGE = 'usage: node bin/replay.mjs [--all | --until YYYY-MM | --month YYYY-MM]\n';
function fail(message) {
  process.stderr.write(`replay: ${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      all: { type: 'boolean' },
      until: { type: 'string' },
      month: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if ([values.all, values.until, values.month].filter((v) => v !== undefined).length > 1) {
  fail('give one of --all, --until and --month');
}
for (const [name, value] of [
  ['until', values.until],
  ['month', values.month],
]) {
  if (value !== undefined && !/^\d{4}-\d{2}$/.test(value)) {
    fail(`--${name} expects a month such as 2016-06, not ${JSON.stringify(value)}`);
  }
}

const [header, ...rows] = readFileSync(source, 'utf8').trimEnd().split('\n');
const byMonth = new Map();
for (const row of rows) {
  const month = row.slice(0, 7);
  if (!byMonth.has(month)) byMonth.set(month, []);
  byMonth.get(month).push(row);
}
const months = [...byMonth.keys()].sort();
const fileOf = (month) => join(inbox, `${month}.csv`);
const chosen = values.all
  ? months
  : values.until !== undefined
    ? months.filter((m) => m <= values.until)
    : values.month !== undefined
      ? months.filter((m) => m === values.month)
      : months.filter((m) => !existsSync(fileOf(m))).slice(0, 1);
if (chosen.length === 0) {
  if (values.month !== undefined || values.until !== undefined) {
    process.stderr.write(
      `replay: the station has no readings ${values.month ? `in ${values.month}` : `up to ${values.until}`} (it reports ${months[0]} to ${months.at(-1)})\n`,
    );
    process.exit(1);
  }
  process.stdout.write('every month is already in inbox/\n');
  process.exit(0);
}
mkdirSync(inbox, { recursive: true });
for (const month of chosen) {
  const hidden = join(inbox, `.${month}.csv.partial`);
  writeFileSync(hidden, `${header}\n${byMonth.get(month).join('\n')}\n`);
  renameSync(hidden, fileOf(month));
}
process.stdout.write(
  `delivered ${chosen.length} month${chosen.length === 1 ? '' : 's'} to inbox/ (${chosen[0]}${chosen.length > 1 ? ` … ${chosen.at(-1)}` : ''})\n`,
);
