/**
 * Daemon reaction: how long from an observation of a source being appended to the log to the
 * step of its eager downstream asset starting, median and p99 over N events:
 *
 * - in-process: a `Daemon` in this process, the observation appended through the same
 *   instance (the daemon learns of it at its next look at the log);
 * - from another process: `weir daemon` as a child process, the observation appended by this
 *   process through its own connection to the event log;
 * - baseline (the floor): a child process polling the same table every 10 ms (`SELECT max(id)`)
 *   and appending a marker event when it sees the observation, as a fixed-interval poller would.
 *
 * Targets (issue 16): median ≤ 50 ms, p99 ≤ 250 ms from another process.
 *
 * Run: npm run bench -- daemon-reaction [--events N]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  asset,
  Daemon,
  defineProject,
  eager,
  type Instance,
  openInstance,
  type StoredEvent,
  sourceAsset,
} from 'weir';
import { median, option, table } from './_report.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'weir', 'bin', 'weir.js');

const EVENTS = Number(option('events') ?? 200);

// The source's version is what the bench last wrote to version.txt (and appended).
const PROJECT = `
import { readFileSync } from 'node:fs';
import { asset, defineProject, eager, sourceAsset } from 'weir';
const raw = sourceAsset({ key: 'raw', observe: () => readFileSync('version.txt', 'utf8') });
const a = asset({ key: 'a', deps: [raw], automation: eager(), materialize: () => Date.now() });
export default defineProject({ assets: [raw, a] });
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p99 = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.ceil(values.length * 0.99) - 1]!;

/** Where the source's current version is, for the `weir daemon` case (undefined: in process). */
let versionFile: string | undefined;
let currentVersion = '';

/** Appends an observation of `raw` with a new version; returns its event. */
async function observe(instance: Instance, i: number): Promise<StoredEvent> {
  currentVersion = `v${i}-${Math.random()}`;
  if (versionFile !== undefined) writeFileSync(versionFile, currentVersion);
  const [event] = await instance.eventLog.append([
    {
      type: 'asset:observed',
      assetKey: 'raw',
      partition: '',
      timestamp: Date.now(),
      observation: { dataVersion: currentVersion, metadata: {} },
    },
  ]);
  return event!;
}

/** Waits for the first event of `type` (for asset `a` where it has one) after `afterId`. */
async function waitFor(
  instance: Instance,
  afterId: number,
  type: 'step:started' | 'run:finished' | 'step:log',
  timeoutMs = 10_000,
): Promise<StoredEvent> {
  const start = Date.now();
  for (;;) {
    const [found] = await instance.eventLog.events({ afterId, types: [type], limit: 1 });
    if (found !== undefined) return found;
    if (Date.now() - start > timeoutMs) throw new Error(`no ${type} within ${timeoutMs} ms`);
    await sleep(1);
  }
}

/** Reaction times: observation → step:started, each after the previous run finished. */
async function measure(instance: Instance, marker: 'step:started' | 'step:log'): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const observed = await observe(instance, i);
    const reacted = await waitFor(instance, observed.id, marker);
    times.push(reacted.timestamp - observed.timestamp);
    if (marker === 'step:started') await waitFor(instance, reacted.id, 'run:finished');
  }
  return times;
}

function projectDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-reaction-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'weir.config.ts'), PROJECT);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'packages', 'weir'), join(dir, 'node_modules', 'weir'));
  return dir;
}

async function inProcess(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-reaction-'));
  const instance = openInstance({ dir: join(dir, '.weir') });
  const raw = sourceAsset({ key: 'raw', observe: () => currentVersion });
  const a = asset({ key: 'a', deps: [raw], automation: eager(), materialize: () => Date.now() });
  const controller = new AbortController();
  const daemon = new Daemon(defineProject({ assets: [raw, a] }), {
    instance,
    signal: controller.signal,
  });
  const running = daemon.run();
  await sleep(200);
  try {
    return await measure(instance, 'step:started');
  } finally {
    controller.abort();
    await running;
    await instance.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function otherProcess(): Promise<number[]> {
  const dir = projectDir();
  versionFile = join(dir, 'version.txt');
  writeFileSync(versionFile, 'v0');
  const child = spawn(process.execPath, [BIN, 'daemon'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await readyLine(child, 'is the daemon');
  const instance = openInstance({ dir: join(dir, '.weir') });
  try {
    return await measure(instance, 'step:started');
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    await instance.close();
    versionFile = undefined;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A process polling max(id) every 10 ms that appends a marker when it sees something new. */
const POLLER = `
const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 5000');
const last = db.prepare('SELECT max(id) AS id FROM events').pluck(true);
const insert = db.prepare("INSERT INTO events (type, timestamp, body) VALUES ('step:log', ?, ?)");
let seen = last.get() ?? 0;
console.log('ready');
setInterval(() => {
  const id = last.get() ?? 0;
  if (id !== seen) {
    const now = Date.now();
    insert.run(now, JSON.stringify({ type: 'step:log', timestamp: now, runId: 'poller', assetKey: 'a', partition: '', level: 'info', message: 'seen' }));
    seen = last.get();
  }
}, 10);
`;

async function baseline(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-reaction-'));
  const instance = openInstance({ dir: join(dir, '.weir') });
  await observe(instance, -1); // creates the log
  const child = spawn(process.execPath, ['-e', POLLER, join(dir, '.weir', 'events.db')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await readyLine(child, 'ready');
  try {
    return await measure(instance, 'step:log');
  } finally {
    child.kill();
    await instance.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function readyLine(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes(text)) resolvePromise();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before "${text}": ${out}`)));
  });
}

async function main(): Promise<void> {
  const cases: Array<[string, () => Promise<number[]>]> = [
    ['baseline: a process polling every 10 ms', baseline],
    ['daemon in this process', inProcess],
    ['weir daemon in another process', otherProcess],
  ];
  const results: Array<[string, number[]]> = [];
  for (const [name, run] of cases) results.push([name, await run()]);
  const floor = median(results[0]![1]);
  const rows = results.map(([name, times], i) => {
    const m = median(times);
    const p = p99(times);
    const verdict = i === 2 ? (m <= 50 && p <= 250 ? 'PASS' : 'FAIL') : '';
    return [name, m.toFixed(1), p.toFixed(1), `${(m / Math.max(floor, 1)).toFixed(1)}x`, verdict];
  });
  process.stdout.write(
    `daemon-reaction: node ${process.version}, ${EVENTS} observations per case, each after the previous run ended; ms from the observation's append to the downstream step's start (baseline: to the poller's marker)\n\n` +
      `${table(['case', 'median ms', 'p99 ms', 'vs baseline', 'median ≤ 50, p99 ≤ 250'], rows)}\n`,
  );
}

await main();
