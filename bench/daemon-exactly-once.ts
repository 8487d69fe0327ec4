/**
 * Exactly once with daemons: 4 `weir daemon` processes and 2 `weir materialize` processes
 * against one instance, N stale partitions (dynamic, added at once) of an eager asset whose
 * step appends its partition to a side-effect file. Counts executions and duplicates, and
 * times it against one `weir materialize` process alone on the same work.
 *
 * Run: npm run bench -- daemon-exactly-once [--partitions N]   (needs `npm run build`)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { option, table } from './_report.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'weir', 'bin', 'weir.js');

const PARTITIONS = Number(option('partitions') ?? 1000);

const PROJECT = `
import { appendFileSync } from 'node:fs';
import { asset, defineProject, dynamicPartitions, eager } from 'weir';
const items = dynamicPartitions('items');
const work = asset({
  key: 'work',
  partitions: items,
  automation: eager(),
  materialize: (ctx) => { appendFileSync('executions.log', ctx.partition.key + '\\n'); return ctx.partition.key; },
});
export default defineProject({ assets: [work], concurrency: 4 });
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-once-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'weir.config.ts'), PROJECT);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'packages', 'weir'), join(dir, 'node_modules', 'weir'));
  const keys = Array.from({ length: PARTITIONS }, (_, i) => `k${String(i).padStart(5, '0')}`);
  const added = spawnSync(process.execPath, [BIN, 'partitions', 'add', 'items', ...keys], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (added.status !== 0) throw new Error(`partitions add failed: ${added.stderr}`);
  return dir;
}

function executions(dir: string): string[] {
  try {
    return readFileSync(join(dir, 'executions.log'), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function start(dir: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: 'ignore' });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));

async function alone(): Promise<number> {
  const dir = project();
  const t = performance.now();
  spawnSync(process.execPath, [BIN, 'materialize'], { cwd: dir, stdio: 'ignore' });
  const ms = performance.now() - t;
  if (new Set(executions(dir)).size !== PARTITIONS)
    throw new Error('alone: not every partition ran');
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function together(): Promise<{ ms: number; runs: number; unique: number }> {
  const dir = project();
  const t = performance.now();
  const daemons = Array.from({ length: 4 }, () => start(dir, 'daemon'));
  const manual = Array.from({ length: 2 }, () => start(dir, 'materialize'));
  while (new Set(executions(dir)).size < PARTITIONS) {
    if (performance.now() - t > 600_000) throw new Error('together: not done within 10 min');
    await new Promise((r) => setTimeout(r, 50));
  }
  const ms = performance.now() - t;
  await Promise.all(manual.map(exited));
  await new Promise((r) => setTimeout(r, 2_000)); // let the daemons settle: nothing more may run
  for (const d of daemons) d.kill('SIGINT');
  await Promise.all(daemons.map(exited));
  const all = executions(dir);
  rmSync(dir, { recursive: true, force: true });
  return { ms, runs: all.length, unique: new Set(all).size };
}

const single = await alone();
const many = await together();
process.stdout.write(
  `daemon-exactly-once: node ${process.version}, ${PARTITIONS} stale partitions of one eager asset\n\n` +
    `${table(
      ['case', 'executions', 'duplicates', 'seconds', 'vs alone'],
      [
        [
          'baseline: one weir materialize alone',
          String(PARTITIONS),
          '0',
          (single / 1000).toFixed(1),
          '1.0x',
        ],
        [
          '4 weir daemon + 2 weir materialize',
          String(many.runs),
          String(many.runs - many.unique),
          (many.ms / 1000).toFixed(1),
          `${(many.ms / single).toFixed(1)}x`,
        ],
      ],
    )}\n${many.runs === PARTITIONS && many.unique === PARTITIONS ? 'exactly once: PASS' : 'exactly once: FAIL'}\n`,
);
