/**
 * hydrology-torch: the hydrology example's LSTM trained twice, the example's way, and compared:
 * `camels/lstm_model` (TypeScript, the WASM SIMD kernel of examples/hydrology/src/lstm, 2
 * gradient workers) and `ml/torch_lstm_model` (PyTorch through @weir/pipes,
 * examples/hydrology/ml/train_lstm.py). A copy of the example is materialized with the `weir`
 * command: the same training windows (one variant, `polished` by default), hyperparameters,
 * epoch budget (HYDRO_EPOCHS, 20 by default, early stopping on the validation median NSE) and
 * seed. Printed per trainer: epochs run and the best one, the median seconds per epoch
 * (training and the validation pass, as each records it), the best validation median NSE and
 * the test median NSE (2002-04-01..2002-12-31, NSE per basin against the windows' test
 * targets: the TypeScript model's from its camels/forecasts, PyTorch's as it records it), and
 * the ratio of seconds per epoch.
 *
 * Run: npm run bench -- hydrology-torch [--epochs N] [--variant V] [--torch-threads N]
 *   (needs /usr/bin/python3 with torch: apt-get install python3-torch, or HYDRO_TORCH_PYTHON;
 *   LD_LIBRARY_PATH reaches the Python step, e.g. to try OpenBLAS in place of Debian's
 *   reference BLAS)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openInstance } from 'weir';
import type { Forecast } from '../examples/hydrology/src/camels/forecasts.js';
import { decodeWindows } from '../examples/hydrology/src/camels/windows-codec.js';
import { median as medianOf, scoreByBasin } from '../examples/hydrology/src/data/metrics.js';
import { median, option, table } from './_report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'hydrology');
const WEIR = join(ROOT, 'packages', 'weir', 'bin', 'weir.js');

interface Trained {
  readonly label: string;
  readonly key: string;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly secondsPerEpoch: number;
  readonly validationNse: number;
  readonly testNse: number;
  readonly backend: string;
  readonly stepSeconds: number;
}

interface Experiment {
  durationMs: number;
  metadata: Record<string, unknown>;
}

const epochs = option('epochs') ?? process.env.HYDRO_EPOCHS ?? '20';
const variant = option('variant') ?? 'polished';
const threads = option('torch-threads') ?? process.env.HYDRO_TORCH_THREADS ?? '1';
const env = { HYDRO_EPOCHS: epochs, HYDRO_TORCH_THREADS: threads, NO_COLOR: '1' };

function weir(dir: string, ...args: string[]): string {
  const once = () =>
    spawnSync(process.execPath, [WEIR, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      maxBuffer: 256 * 1024 * 1024,
    });
  let run = once();
  // In a working tree shared with a build running (npm run build rewrites weir's dist/): again.
  for (
    let tries = 0;
    run.status !== 0 &&
    /not built yet|Cannot find module .*weir\/dist\//.test(run.stderr) &&
    tries < 10;
    tries++
  ) {
    spawnSync('sleep', ['3']);
    run = once();
  }
  if (run.status !== 0) {
    throw new Error(`weir ${args.join(' ')} failed (${run.status}):\n${run.stdout}${run.stderr}`);
  }
  return run.stdout;
}

/** The artefact's path in the copy's instance. */
async function artefactPath(dir: string, key: string): Promise<string> {
  const { location } = JSON.parse(weir(dir, 'value', key, '--partition', variant, '--json')) as {
    location: string;
  };
  const instance = openInstance({ dir: join(dir, '.weir') });
  try {
    return await instance.artefacts.localPath(location);
  } finally {
    instance.close();
  }
}

function lastExperiment(dir: string, key: string): Experiment {
  const all = JSON.parse(
    weir(dir, 'experiments', key, '--partition', variant, '--json'),
  ) as Experiment[];
  return all.at(-1)!;
}

async function main(): Promise<void> {
  const dir = join(EXAMPLE, '.test-projects', `bench-torch-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ['weir.config.ts', 'src', 'bin', 'data', 'ml', 'package.json']) {
    cpSync(join(EXAMPLE, part), join(dir, part), {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|\.weir)$/.test(source),
    });
  }
  try {
    weir(dir, 'materialize', '+camels/training_windows', '--partition', variant);
    const set = decodeWindows(
      new Uint8Array(readFileSync(await artefactPath(dir, 'camels/training_windows'))),
    );
    // NSE per basin against the windows' test targets; in mm/day or normalised, the same.
    const observed = Float64Array.from(set.test.y, (y) => y * set.target.std + set.target.mean);
    const scoreTest = (predicted: Float64Array) =>
      medianOf(scoreByBasin(set.test, set.basins, observed, predicted).map((s) => s.nse));
    /** The example's own test forecasts (camels/forecasts, mm/day), aligned with the samples. */
    const forecastsOfTs = (): Float64Array => {
      weir(dir, 'materialize', 'camels/forecasts', '--partition', variant);
      const rows = JSON.parse(
        weir(dir, 'value', 'camels/forecasts', '--partition', variant),
      ) as Forecast[];
      const byDay = new Map(rows.map((r) => [`${r.basin}@${r.date}`, r.forecast]));
      return Float64Array.from({ length: set.test.count }, (_, i) => {
        const day = new Date(set.test.date[i]!).toISOString().slice(0, 10);
        return byDay.get(`${set.basins[set.test.basin[i]!]}@${day}`) ?? Number.NaN;
      });
    };

    const trained: Trained[] = [];
    for (const [label, key] of [
      ['TypeScript (WASM SIMD kernel)', 'camels/lstm_model'],
      ['PyTorch (ml/train_lstm.py)', 'ml/torch_lstm_model'],
    ] as const) {
      process.stderr.write(`training ${key}[${variant}] (${epochs} epochs at most)…\n`);
      weir(dir, 'materialize', key, '--partition', variant);
      const { metadata, durationMs } = lastExperiment(dir, key);
      const testNse =
        key === 'camels/lstm_model'
          ? scoreTest(forecastsOfTs())
          : (metadata['test.medianNse'] as number);
      trained.push({
        label,
        key,
        epochs: metadata.epochs as number,
        bestEpoch: metadata.bestEpoch as number,
        secondsPerEpoch: median(metadata.epochSeconds as number[]),
        validationNse: metadata['best.validationMedianNse'] as number,
        testNse,
        backend: metadata.backend as string,
        stepSeconds: durationMs / 1000,
      });
    }
    const base = trained[0]!.secondsPerEpoch;
    process.stdout.write(
      `hydrology-torch: variant ${variant}, ${set.train.count} training samples × ${set.train.steps} steps × ${set.train.features} features, at most ${epochs} epochs, seed 42\n\n${table(
        ['trainer', 'epochs', 'best', 's/epoch', 'vs TypeScript', 'val NSE', 'test NSE', 'step s'],
        trained.map((t) => [
          t.label,
          String(t.epochs),
          String(t.bestEpoch),
          t.secondsPerEpoch.toFixed(2),
          `${(t.secondsPerEpoch / base).toFixed(2)}×`,
          t.validationNse.toFixed(3),
          t.testNse.toFixed(3),
          t.stepSeconds.toFixed(1),
        ]),
      )}\n\n${trained.map((t) => `${t.key}: ${t.backend}`).join('\n')}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
