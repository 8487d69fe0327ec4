/**
 * pipes-overhead: what a Python step costs beyond starting Python.
 *
 * Baseline, measured in the same run and interleaved with the others: `python3 -c pass` as a
 * process (spawned and waited for, as a step's process is). Against it:
 *   - the pipes step alone: a trivial script (`with weir_pipes.open() as ctx:
 *     ctx.report_output(1)`) run by pythonStep() called directly: the context file, the
 *     client's import, the process group, the messages and the temp folder;
 *   - the same step materialized by Weir (in-process executor, SQLite event log, local
 *     artefacts): STEPS independent Python assets at concurrency 1, forced, per step.
 * Reports medians (ms) and the overhead over the baseline.
 *
 * Run: npm run bench -- pipes-overhead [--repeats N] [--python PATH] (default: Debian's
 * /usr/bin/python3 where it exists; a pyenv shim on PATH adds ~80 ms to every start)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonStep } from '@weir/pipes';
import { type AnyAssetDefinition, asset, defineProject, materialize, openInstance } from 'weir';
import { gc, median, option, table } from './_report.js';

const STEPS = 20;

function bare(python: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(python, ['-c', 'pass'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(performance.now() - t) : reject(new Error(`python exited ${code}`)),
    );
  });
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 20);
  const python =
    option('python') ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-pipes-'));
  try {
    const script = join(root, 'trivial.py');
    writeFileSync(
      script,
      'import weir_pipes\nwith weir_pipes.open() as ctx:\n    ctx.report_output(1)\n',
    );
    const step = pythonStep<number>({ script, python });
    const direct = async () => {
      const t = performance.now();
      const value = await step(
        {
          key: 'bench/trivial',
          runId: 'bench',
          attempt: 1,
          codeVersion: 'bench',
          log: silent,
          signal: new AbortController().signal,
          addMetadata() {},
          setDataVersion() {},
        },
        {},
      );
      if (value !== 1) throw new Error(`the step gave ${value}`);
      return performance.now() - t;
    };
    const assets: AnyAssetDefinition[] = [];
    for (let i = 0; i < STEPS; i++) {
      assets.push(asset({ key: `bench/py${String(i).padStart(2, '0')}`, materialize: step }));
    }
    const project = defineProject({ assets, concurrency: 1 });
    const instance = openInstance({ dir: join(root, 'instance') });
    const viaWeir = async () => {
      const t = performance.now();
      const result = await materialize(project, { instance, force: true });
      if (result.status !== 'success' || result.summary.materialized.length !== STEPS) {
        throw new Error(`materialize: ${result.status} ${JSON.stringify(result.reasons)}`);
      }
      return (performance.now() - t) / STEPS;
    };

    process.stdout.write(
      `pipes-overhead: node ${process.version}, ${python}, ${repeats} repeats (medians), ${STEPS} steps per Weir run\n`,
    );
    // Warm up: the page cache, Python's bytecode cache of weir_pipes, the JIT.
    await bare(python);
    await direct();
    await viaWeir();
    const samples = { bare: [] as number[], direct: [] as number[], weir: [] as number[] };
    for (let r = 0; r < repeats; r++) {
      gc();
      samples.bare.push(await bare(python));
      gc();
      samples.direct.push(await direct());
      gc();
      samples.weir.push(await viaWeir());
    }
    await instance.close();
    const base = median(samples.bare);
    const row = (name: string, values: number[]) => {
      const m = median(values);
      return [
        name,
        m.toFixed(1),
        name === 'python3 -c pass' ? '' : `+${(m - base).toFixed(1)}`,
        (m / base).toFixed(2),
      ];
    };
    process.stdout.write(
      `${table(
        ['per step', 'ms', 'overhead ms', 'ratio'],
        [
          row('python3 -c pass', samples.bare),
          row('pythonStep() called directly', samples.direct),
          row('pythonStep() materialized by Weir', samples.weir),
        ],
      )}\n`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
