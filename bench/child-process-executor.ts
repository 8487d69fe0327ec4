/**
 * child-process-executor: what running each step in a pool of child processes costs against
 * running it in this process, on the same machine, in the same run (interleaved repeats).
 *
 * Scenarios, each a project of trivial steps (return a number, stored as JSON):
 *   (a) 400 independent steps at concurrency = processes (throughput: steps/s);
 *   (b) a chain of 200 steps at concurrency 1 (latency: what a step's round trip to a child
 *       adds, nothing overlapping it).
 * Each is materialized with --force through the in-process executor and through a warm pool
 * (its processes started by an earlier run); the pool's start (processes spawned, project
 * loaded, instance opened) is timed apart, as the first run of a fresh pool minus a warm run.
 *
 * Reports medians: ms, steps/s, per-step overhead ((pool − in-process) / steps) and the
 * ratio pool/in-process. Target (issue 21): ≤ 10 ms per step through a queue; a child
 * process on the same machine should stay well under that.
 *
 * Needs the built package (the children run dist/step-process.js): npm run build first.
 * Run: npm run bench -- child-process-executor [--repeats N] [--processes N]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  childProcessExecutor,
  type Executor,
  type Instance,
  inProcessExecutor,
  materialize,
  openInstance,
  type ProjectDefinition,
} from 'weir';
import { median, option, table } from './_report.js';

const TARGET_MS_PER_STEP = 10;
const WIDE = 400;
const CHAIN = 200;

/** The project, as plain JavaScript (valid TypeScript too), with explicit code versions. */
function projectSource(): string {
  return `import { asset, defineProject } from 'weir';
const wide = [];
for (let i = 0; i < ${WIDE}; i++) {
  wide.push(asset({ key: 'wide/s' + String(i).padStart(3, '0'), codeVersion: '1', materialize: () => i }));
}
const chain = [asset({ key: 'chain/s000', codeVersion: '1', materialize: () => 0 })];
for (let i = 1; i < ${CHAIN}; i++) {
  const prev = chain[i - 1];
  chain.push(asset({ key: 'chain/s' + String(i).padStart(3, '0'), codeVersion: '1', ins: { prev },
    materialize: (_ctx, { prev }) => prev + 1 }));
}
export default defineProject({ assets: [...wide, ...chain] });
`;
}

interface Scenario {
  name: string;
  selection: string;
  steps: number;
  concurrency: number;
}

async function timed(
  project: ProjectDefinition,
  instance: Instance,
  executor: Executor,
  scenario: Scenario,
): Promise<number> {
  const start = performance.now();
  const result = await materialize(project, {
    instance,
    executor,
    selection: scenario.selection,
    force: true,
    concurrency: scenario.concurrency,
  });
  const ms = performance.now() - start;
  if (result.status !== 'success' || result.summary.materialized.length !== scenario.steps) {
    throw new Error(`${scenario.name}: ${result.status}, ${result.summary.materialized.length}`);
  }
  return ms;
}

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 5);
  const processes = Number(option('processes') ?? Math.min(4, availableParallelism()));
  // Inside the workspace, so the project's `import 'weir'` resolves (to the built package).
  const dir = join(process.cwd(), '.bench-tmp', `child-process-project-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, 'weir.config.ts'), projectSource());
    writeFileSync(join(dir, 'weir.config.mjs'), projectSource());
    const project = (
      (await import(pathToFileURL(join(dir, 'weir.config.mjs')).href)) as {
        default: ProjectDefinition;
      }
    ).default;
    const instanceDir = join(dir, '.weir');
    const instance = openInstance({ dir: instanceDir });
    const scenarios: Scenario[] = [
      {
        name: `${WIDE} independent, concurrency ${processes}`,
        selection: 'wide/*',
        steps: WIDE,
        concurrency: processes,
      },
      {
        name: `chain of ${CHAIN}, concurrency 1`,
        selection: 'chain/*',
        steps: CHAIN,
        concurrency: 1,
      },
    ];
    const newPool = () =>
      childProcessExecutor({ project: join(dir, 'weir.config.ts'), instanceDir, processes });
    process.stdout.write(
      `child-process-executor: node ${process.version}, ${availableParallelism()} cores, pool of ${processes} processes, ${repeats} repeats (medians)\n`,
    );

    // Warm-up: JIT, the project's compile cache, the instance's files.
    const warm = newPool();
    for (const scenario of scenarios) {
      await timed(project, instance, inProcessExecutor, scenario);
      await timed(project, instance, warm, scenario);
    }
    const samples = new Map(
      scenarios.map((s) => [s, { inProcess: [] as number[], pool: [] as number[] }]),
    );
    const starts: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (const scenario of scenarios) {
        const sample = samples.get(scenario)!;
        // Alternate which goes first, so neither always runs on a just-warmed disk cache.
        if (r % 2 === 0) {
          sample.inProcess.push(await timed(project, instance, inProcessExecutor, scenario));
          sample.pool.push(await timed(project, instance, warm, scenario));
        } else {
          sample.pool.push(await timed(project, instance, warm, scenario));
          sample.inProcess.push(await timed(project, instance, inProcessExecutor, scenario));
        }
      }
      // A fresh pool's first run of the wide scenario, against the warm pool's.
      const fresh = newPool();
      const first = await timed(project, instance, fresh, scenarios[0]!);
      const again = await timed(project, instance, fresh, scenarios[0]!);
      await fresh.close();
      starts.push(first - again);
    }
    await warm.close();
    await instance.close();

    const rows: string[][] = [];
    const verdicts: string[] = [];
    for (const scenario of scenarios) {
      const { inProcess, pool } = samples.get(scenario)!;
      const a = median(inProcess);
      const b = median(pool);
      const overhead = median(pool.map((p, i) => (p - inProcess[i]!) / scenario.steps));
      rows.push([
        scenario.name,
        a.toFixed(0),
        b.toFixed(0),
        ((scenario.steps * 1000) / a).toFixed(0),
        ((scenario.steps * 1000) / b).toFixed(0),
        `${median(pool.map((p, i) => p / inProcess[i]!)).toFixed(2)}x`,
        overhead.toFixed(3),
      ]);
      const pass = overhead <= TARGET_MS_PER_STEP;
      verdicts.push(
        `${scenario.name}: ${overhead.toFixed(3)} ms/step added by the pool ${pass ? '≤' : '>'} ${TARGET_MS_PER_STEP} ms: ${pass ? 'PASS' : 'FAIL'}`,
      );
    }
    process.stdout.write(
      `\n${table(
        [
          'scenario',
          'in-process ms',
          'pool ms',
          'in-process steps/s',
          'pool steps/s',
          'pool/in-process',
          'overhead ms/step',
        ],
        rows,
      )}\n`,
    );
    process.stdout.write(
      `\nStarting a pool of ${processes} (spawn, load the project, open the instance), paid once per pool: ${median(starts).toFixed(0)} ms\n`,
    );
    process.stdout.write(`\n${verdicts.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
