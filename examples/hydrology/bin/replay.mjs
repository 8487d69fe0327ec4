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

const { values } = parseArgs({
  options: { all: { type: 'boolean' }, until: { type: 'string' }, month: { type: 'string' } },
});
for (const [name, value] of [
  ['until', values.until],
  ['month', values.month],
]) {
  if (value !== undefined && !/^\d{4}-\d{2}$/.test(value)) {
    process.stderr.write(
      `replay: --${name} expects a month such as 2016-06, not ${JSON.stringify(value)}\n`,
    );
    process.exit(2);
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
  process.stdout.write(
    values.month ? `no readings in ${values.month}\n` : 'every month is already in inbox/\n',
  );
  process.exit(values.month ? 1 : 0);
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
