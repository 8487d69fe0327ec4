// One appender process for test/storage-sqlite-processes.test.ts: opens the SQLite event log
// at PATH (the built dist/, as an installed Weir would), says "ready", waits for a line on
// stdin, makes COUNT appends (pausing now and then) of the shape of appenderBatch(WRITER, b) in
// src/storage/_conformance-fixtures.ts, and prints the ids each append returned as JSON.
import { SqliteEventLog } from '../../dist/index.js';

const [path, writer, count] = process.argv.slice(2);
const w = Number(writer);
const log = new SqliteEventLog(path);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));

const materialization = (dataVersion) => ({
  dataVersion,
  codeVersion: 'c1',
  inputs: {},
  configHash: 'h',
  artefact: {
    format: 'json',
    location: `objects/${dataVersion}`,
    contentHash: dataVersion,
    size: 2,
    type: 'blob',
  },
  startedAt: 1,
  endedAt: 2,
  host: 'host',
  weirVersion: '0.0.0',
  metadata: { rows: 3 },
});

const appends = [];
for (let b = 0; b < Number(count); b++) {
  const size = 1 + ((w * 7 + b * 3) % 5);
  const at = { runId: `w${w}`, assetKey: `writer${w}`, partition: `b${b}`, timestamp: 2 };
  const events = [];
  for (let i = 0; i < size; i++)
    events.push({ ...at, type: 'step:log', level: 'info', message: `${w}/${b}/${i}/${size}` });
  events.push({
    ...at,
    type: 'asset:materialized',
    materialization: materialization(`w${w}b${b}`),
  });
  appends.push((await log.append(events)).map((event) => event.id));
  // A pause lets the other processes take the write lock (SQLite's busy handler sleeps
  // while it waits, so a process appending in a tight loop would keep winning it).
  if (b % 2 === 1) await new Promise((resolve) => setTimeout(resolve, 1));
}
await log.close();
process.stdout.write(`${JSON.stringify(appends)}\n`);
