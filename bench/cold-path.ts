/**
 * cold-path: whole-process `weir status` and a no-op `weir materialize` on projects of 1,000,
 * 5,000 and 10,000 assets with history, against `node -e ""` and against a bare script that
 * reads the same log's status rows (both whole processes, measured in the same run, interleaved).
 *
 * Each project is written as a user would: files of 100 assets (per-file constants and
 * helpers, shared helpers in `src/lib/`, a check on every fourth asset); each asset of a file
 * reads two assets of the file before it. The history: one real `weir materialize` (real
 * artefacts, events and check results), then HISTORY − 1 more forced runs recorded through
 * `eventLog.append` by copying that run's events with provenance re-pointed at the new
 * upstream events (one append per run). Everything is fresh afterwards, so `materialize` has
 * nothing to do and `status` reports every asset fresh.
 *
 * Target (issue 15): status and the no-op materialize ≤ 300 ms at 10,000 assets.
 *
 * The projects live in .bench-tmp/cold-path-N/ (their `import 'weir'` resolves through the
 * workspace); needs `npm run build` (packages/weir/dist).
 *
 * Run: npm run bench -- cold-path [--repeats N] [--sizes 1000,5000,10000] [--history N]
 *   [--keep] (leave the projects in .bench-tmp) [--reuse] (time the projects a --keep left)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { openInstance, type StoredEvent, type WeirEvent } from 'weir';
import { median, option, table } from './_report.js';

const TARGET_MS = 300;
const PER_FILE = 100;
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'weir', 'bin', 'weir.js');

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const pad = (i: number) => String(i).padStart(3, '0');

/** One project file of PER_FILE assets, each (past the first file) reading two of the file before. */
function sourceFile(f: number): string {
  const lines = [
    `import { asset, check } from 'weir';`,
    `import { clamp, normalize } from './lib/helpers';`,
    ...(f > 0 ? [`import * as prev from './f${pad(f - 1)}';`] : []),
    '',
    `const SCALE = ${f + 1};`,
    '',
    'function scaled(x: number): number {',
    `  return clamp(x * SCALE, 0, ${1000 + f});`,
    '}',
    '',
    `const positive = check<{ n: number }>({ name: 'positive', evaluate: (_ctx, v) => v.n >= 0 });`,
    '',
  ];
  for (let a = 0; a < PER_FILE; a++) {
    const checks = a % 4 === 0 ? '  checks: [positive],\n' : '';
    const right = (a * 7 + 3) % PER_FILE;
    // Each value differs (its key is in it), so each asset has its own artefact, as in life.
    const body =
      f === 0
        ? `  materialize: () => ({ key: 'f${pad(f)}/a${a}', n: scaled(${a}) + normalize(' x ').length }),\n`
        : `  ins: { left: prev.a${a}, right: prev.a${right} },\n` +
          `  materialize: (_ctx, { left, right }) => ({ key: 'f${pad(f)}/a${a}', n: scaled(left.n + right.n) % 1000 }),\n`;
    lines.push(`export const a${a} = asset({\n  key: 'f${pad(f)}/a${a}',\n${checks}${body}});`);
  }
  return `${lines.join('\n')}\n`;
}

function writeProject(dir: string, assets: number): void {
  rmSync(dir, { recursive: true, force: true });
  const files = Math.ceil(assets / PER_FILE);
  write(
    join(dir, 'src/lib/helpers.ts'),
    'export function clamp(x: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, x));\n}\n\n' +
      "export function normalize(s: string): string {\n  return s.trim().replace(/\\s+/g, ' ');\n}\n",
  );
  const imports: string[] = [];
  for (let f = 0; f < files; f++) {
    write(join(dir, `src/f${pad(f)}.ts`), sourceFile(f));
    imports.push(`import * as f${pad(f)} from './src/f${pad(f)}';`);
  }
  const all = Array.from({ length: files }, (_, f) => `...Object.values(f${pad(f)})`).join(', ');
  write(
    join(dir, 'weir.config.ts'),
    `import { defineProject } from 'weir';\n${imports.join('\n')}\n\nexport default defineProject({ assets: [${all}] });\n`,
  );
}

/**
 * The timed processes' environment. NODE_EXTRA_CA_CERTS is left out: some machines set it for
 * a proxy, and Node 20 then parses the whole certificate bundle as each process starts (about
 * 30 ms here), which has nothing to do with what is measured.
 */
const { NODE_EXTRA_CA_CERTS: extraCerts, ...inherited } = process.env;
const ENV = { ...inherited, WEIR_ROOT: ROOT };

/** Wall time of a whole process; throws unless it exits 0 and its output matches `expect`. */
function run(args: string[], expect?: RegExp): number {
  const t = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: ENV,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const ms = performance.now() - t;
  if (result.status !== 0 || (expect !== undefined && !expect.test(result.stdout))) {
    throw new Error(
      `node ${args.join(' ')} exited ${result.status}:\n${result.stdout.slice(-2000)}\n${result.stderr}`,
    );
  }
  return ms;
}

/** Records `runs` more forced runs by copying the events of the first (real) one, one append each. */
async function appendHistory(instanceDir: string, runs: number): Promise<number> {
  const instance = openInstance({ dir: instanceDir });
  try {
    const { eventLog } = instance;
    const [first] = await eventLog.runs({ limit: 1 });
    const template = await eventLog.events({ runId: first!.runId });
    const checks = (await eventLog.events({ types: ['check:evaluated'] })).filter(
      (e): e is StoredEvent<'check:evaluated'> => e.type === 'check:evaluated',
    );
    const checksOf = new Map<number, Array<StoredEvent<'check:evaluated'>>>();
    for (const c of checks)
      checksOf.set(c.materializationId, [...(checksOf.get(c.materializationId) ?? []), c]);
    const strip = <T extends StoredEvent>({ id: _id, ...event }: T) =>
      event as unknown as WeirEvent;
    for (let r = 1; r <= runs; r++) {
      const runId = `history-${r}`;
      const [newest] = await eventLog.events({ descending: true, limit: 1 });
      let nextId = newest!.id + 1;
      let now = first!.startedAt + r * 60_000;
      const batch: WeirEvent[] = [];
      const push = (event: WeirEvent) => {
        batch.push(event);
        return nextId++;
      };
      const currentId = new Map<string, number>();
      for (const event of template) {
        now += 1;
        if (event.type === 'asset:materialized') {
          const m = event.materialization;
          const inputs = Object.fromEntries(
            Object.entries(m.inputs).map(([key, input]) => [
              key,
              { ...input, eventId: currentId.get(key) ?? input.eventId },
            ]),
          );
          const id = push({
            ...strip(event),
            runId,
            timestamp: now,
            materialization: { ...m, inputs, startedAt: now, endedAt: now },
          } as WeirEvent);
          currentId.set(event.assetKey, id);
          for (const c of checksOf.get(event.id) ?? [])
            push({ ...strip(c), runId, timestamp: now, materializationId: id } as WeirEvent);
        } else if (event.type !== 'check:evaluated' && event.type !== 'step:log') {
          push({ ...strip(event), runId, timestamp: now } as WeirEvent);
        }
      }
      await eventLog.append(batch);
    }
    const [newest] = await eventLog.events({ descending: true, limit: 1 });
    return newest!.id;
  } finally {
    await instance.close();
  }
}

/** The bare script: open the log and read every status row of asset_state, nothing else. */
const BARE = `
import { createRequire } from 'node:module';
const require = createRequire(process.env.WEIR_ROOT + '/packages/weir/package.json');
const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { readonly: true });
const rows = db.prepare('SELECT * FROM asset_state').raw(true).all();
process.stdout.write(rows.length + ' rows\\n');
`;

/**
 * The floor of any command that runs the project's definitions: Node, then Weir, then the
 * project's compiled files from the compile cache (the same files `weir status` imports), and
 * nothing else: no code versions, graph, log or artefacts.
 */
const FLOOR = `
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const cache = join(process.argv[1], '.weir', 'cache');
const manifest = readdirSync(cache).find((name) => /^[0-9a-f]{12}\\.json$/.test(name));
const { output } = JSON.parse(readFileSync(join(cache, manifest), 'utf8'));
await import('weir');
const project = await import(pathToFileURL(output).href);
process.stdout.write(project.default.assets.length + ' assets\\n');
`;

/** The bare script for the artefact probe: an \`lstat\` of every stored object, nothing else. */
const PROBE = `
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const objects = join(process.argv[1], '.weir', 'artefacts', 'objects');
let n = 0;
for (const prefix of readdirSync(objects))
  for (const name of readdirSync(join(objects, prefix))) n += lstatSync(join(objects, prefix, name)).mtimeMs > 0 ? 1 : 0;
process.stdout.write(n + ' stats\\n');
`;

interface Size {
  assets: number;
  dir: string;
  events: number;
}

async function prepare(assets: number, history: number): Promise<Size> {
  const dir = join(ROOT, '.bench-tmp', `cold-path-${assets}`);
  // --reuse: the projects a run with --keep left (after a change that leaves the log alone).
  if (process.argv.includes('--reuse') && existsSync(join(dir, '.weir', 'events.db')))
    return { assets, dir, events: Number.NaN };
  writeProject(dir, assets);
  const t = performance.now();
  run([BIN, 'materialize', '--project', dir], new RegExp(`success: ${assets} materialized`));
  const events = await appendHistory(join(dir, '.weir'), history - 1);
  process.stderr.write(
    `  ${assets} assets: history of ${history} materializations each (${events} events) in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  return { assets, dir, events };
}

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 10);
  const history = Number(option('history') ?? 5);
  const sizes = (option('sizes') ?? '1000,5000,10000').split(',').map(Number);
  if (!existsSync(join(ROOT, 'packages', 'weir', 'dist', 'cli.js'))) {
    throw new Error('packages/weir/dist is missing: run `npm run build` first');
  }
  process.stderr.write('cold-path: building the projects and their history\n');
  const projects: Size[] = [];
  for (const assets of sizes) projects.push(await prepare(assets, history));
  try {
    const nodeEmpty = () => run(['-e', '']);
    const bare = (p: Size) =>
      run(['--input-type=module', '-e', BARE, join(p.dir, '.weir', 'events.db')], /rows/);
    const floor = (p: Size) =>
      run(['--input-type=module', '-e', FLOOR, p.dir], new RegExp(`^${p.assets} assets`));
    const probe = (p: Size) => run(['--input-type=module', '-e', PROBE, p.dir], / stats/);
    const status = (p: Size) =>
      run([BIN, 'status', '--project', p.dir], new RegExp(`\\n${p.assets} fresh\\n`));
    const noop = (p: Size) => run([BIN, 'materialize', '--project', p.dir], /Nothing to do/);
    // Warm the OS file cache and the compile caches once before timing.
    nodeEmpty();
    for (const p of projects) {
      bare(p);
      floor(p);
      probe(p);
      status(p);
      noop(p);
    }
    const samples = new Map<string, number[]>();
    const add = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms]);
    for (let r = 0; r < repeats; r++) {
      add('node', nodeEmpty());
      for (const p of projects) {
        add(`bare ${p.assets}`, bare(p));
        add(`floor ${p.assets}`, floor(p));
        add(`probe ${p.assets}`, probe(p));
        add(`status ${p.assets}`, status(p));
        add(`noop ${p.assets}`, noop(p));
      }
    }
    const base = median(samples.get('node')!);
    const rows: string[][] = [];
    const row = (name: string, key: string, bareKey?: string, target?: boolean) => {
      const values = samples.get(key)!;
      const ms = median(values);
      const vsBare =
        bareKey === undefined ? '' : `${(ms / median(samples.get(bareKey)!)).toFixed(1)}x`;
      rows.push([
        name,
        ms.toFixed(0),
        Math.min(...values).toFixed(0),
        Math.max(...values).toFixed(0),
        `${(ms / base).toFixed(1)}x`,
        vsBare,
        `+${(ms - base).toFixed(0)}`,
        target ? (ms <= TARGET_MS ? 'PASS' : 'FAIL') : '',
      ]);
    };
    row('baseline: node -e ""', 'node');
    for (const p of projects) {
      const n = p.assets.toLocaleString('en');
      row(`${n}: baseline: bare script reads the status rows`, `bare ${p.assets}`);
      row(`${n}: floor: import weir and the project, nothing else`, `floor ${p.assets}`);
      row(`${n}: baseline: bare script stats every artefact`, `probe ${p.assets}`);
      row(`${n}: weir status`, `status ${p.assets}`, `bare ${p.assets}`, p.assets === 10_000);
      row(
        `${n}: weir materialize (nothing to do)`,
        `noop ${p.assets}`,
        `bare ${p.assets}`,
        p.assets === 10_000,
      );
    }
    process.stdout.write(
      `cold-path: node ${process.version}, ${repeats} runs per case (interleaved), wall time of whole processes; ` +
        `history ${history} materializations per asset (${projects.map((p) => `${p.assets}: ${p.events} events`).join(', ')})` +
        `${extraCerts === undefined ? '' : '; NODE_EXTRA_CA_CERTS unset for the timed processes'}\n\n` +
        `${table(
          [
            'case',
            'median ms',
            'min',
            'max',
            'vs node -e ""',
            'vs bare',
            'extra ms',
            `≤ ${TARGET_MS} ms`,
          ],
          rows,
        )}\n`,
    );
  } finally {
    if (!process.argv.includes('--keep'))
      for (const p of projects) rmSync(p.dir, { recursive: true, force: true });
  }
}

await main();
