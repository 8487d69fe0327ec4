/**
 * core-cli-start: CLI cold start of `weir materialize` on a project of one trivial asset,
 * as a whole process (`node packages/weir/bin/weir.js materialize --project DIR`), against
 * `node -e ""` measured in the same run, interleaved.
 *
 * Three cases: first run (no `.weir/`: esbuild compiles weir.config.ts, the event log is
 * created, the asset materializes), warm run (project cache hit, asset already fresh:
 * "Nothing to do"), forced run (`--force`: cache hit, the asset rematerializes).
 * Medians of ≥ 10 runs each. Target: ≤ 0.5 s wall time.
 *
 * The project lives in /work/main/.bench-tmp/cli-project/ (gitignored) so that its
 * `import … from 'weir'` resolves through the workspace's node_modules; the CLI runs the
 * built `packages/weir/dist` (run `npm run build` first).
 *
 * Run: npm run bench -- core-cli-start [--repeats N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median, option, table } from './_report.js';

const TARGET_MS = 500;
// This file runs bundled from .bench-tmp/ (or from bench/): either way one level below the root.
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'weir', 'bin', 'weir.js');
const PROJECT = join(ROOT, '.bench-tmp', 'cli-project');

const CONFIG = `import { asset, defineProject } from 'weir';

const answer = asset({
  key: 'bench/answer',
  description: 'A trivial asset: the CLI start-up is what is measured',
  materialize: () => ({ answer: 42 }),
});

export default defineProject({ assets: [answer] });
`;

function run(args: string[], expect?: RegExp): number {
  const t = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (result.status !== 0 || (expect !== undefined && !expect.test(result.stdout))) {
    throw new Error(
      `node ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return ms;
}

const nodeEmpty = () => run(['-e', '']);
const weir = (...extra: string[]) => [BIN, 'materialize', '--project', PROJECT, ...extra];
const FIRST = /Run \S+ success: 1 materialized/;
const WARM = /Nothing to do: 1 asset is up to date/;

function main(): void {
  const repeats = Number(option('repeats') ?? 15);
  if (!existsSync(join(ROOT, 'packages', 'weir', 'dist', 'cli.js'))) {
    throw new Error('packages/weir/dist is missing: run `npm run build` first');
  }
  rmSync(PROJECT, { recursive: true, force: true });
  mkdirSync(PROJECT, { recursive: true });
  writeFileSync(join(PROJECT, 'weir.config.ts'), CONFIG);
  const fresh = () => rmSync(join(PROJECT, '.weir'), { recursive: true, force: true });
  try {
    // Warm the OS file cache (node, dist, esbuild, better-sqlite3) once before timing.
    nodeEmpty();
    fresh();
    run(weir(), FIRST);

    const samples = {
      node: [] as number[],
      first: [] as number[],
      warm: [] as number[],
      force: [] as number[],
    };
    for (let r = 0; r < repeats; r++) {
      samples.node.push(nodeEmpty());
      fresh();
      samples.first.push(run(weir(), FIRST));
      samples.warm.push(run(weir(), WARM));
      samples.force.push(run(weir('--force'), FIRST));
    }
    const base = median(samples.node);
    const row = (name: string, values: number[], target: boolean) => {
      const ms = median(values);
      return [
        name,
        ms.toFixed(0),
        Math.min(...values).toFixed(0),
        Math.max(...values).toFixed(0),
        `${(ms / base).toFixed(1)}x`,
        `+${(ms - base).toFixed(0)}`,
        target ? (ms <= TARGET_MS ? 'PASS' : 'FAIL') : '',
      ];
    };
    process.stdout.write(
      `core-cli-start: node ${process.version}, ${repeats} runs per case (interleaved), wall time of whole processes\n\n`,
    );
    process.stdout.write(
      `${table(
        ['case', 'median ms', 'min', 'max', 'vs node -e ""', 'extra ms', `≤ ${TARGET_MS} ms`],
        [
          row('baseline: node -e ""', samples.node, false),
          row('first run (esbuild compiles the project)', samples.first, true),
          row('warm run (cache hit, "Nothing to do")', samples.warm, true),
          row('forced run (--force, cache hit)', samples.force, true),
        ],
      )}\n`,
    );
  } finally {
    rmSync(PROJECT, { recursive: true, force: true });
  }
}

main();
