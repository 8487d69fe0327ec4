/**
 * hydrology-lstm: seconds per training epoch of the hydrology example's LSTM (WASM SIMD
 * kernel, examples/hydrology/assembly) at the CAMELS configuration — 1,460 samples × 270
 * steps × 18 features (the CAMELS windows: 5 forcings, 5 validity channels, 8 attributes), hidden 64, batch 32; random but fixed data — with 1 and 2 worker
 * threads, against, in the same run:
 *   - a plain tfjs `model.fit` of the same model on tfjs' WASM backend over the same tensors
 *     (timed over a few batches after a warm-up batch, extrapolated to the epoch);
 *   - the WASM backend's raw matMul throughput (a large square product, and the LSTM step's
 *     [32, 64]·[64, 256]), and our kernel's own product on the square, against which our
 *     epoch's GFLOP/s (the products' FLOPs an epoch performs, over its seconds) are read.
 * Target (issue): ≤ 6 s per epoch on the 2-core machine (3× PyTorch CPU's 1-2 s).
 *
 * Run: npm run bench -- hydrology-lstm [--quick] [--epochs N] [--tfjs-batches N]
 *   (needs the kernel built: npm run build -w @weir/example-hydrology)
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seededRandom } from '../examples/hydrology/src/data/faults.js';
import { Adam, clipByGlobalNorm } from '../examples/hydrology/src/lstm/adam.js';
import { initialWeights } from '../examples/hydrology/src/lstm/init.js';
import { instantiateKernel, kernelModule } from '../examples/hydrology/src/lstm/kernel.js';
import { predict } from '../examples/hydrology/src/lstm/predict.js';
import { trainLstm } from '../examples/hydrology/src/lstm/train.js';
import { Workspace } from '../examples/hydrology/src/lstm/workspace.js';
import type { SampleSet, Samples } from '../examples/hydrology/src/samples.js';
import { gc, median, option, table } from './_report.js';

export interface LstmBenchOptions {
  readonly count: number;
  readonly steps: number;
  readonly features: number;
  readonly hidden: number;
  readonly batchSize: number;
  readonly basins: number;
  /** Epochs of our trainer per worker count (the median is reported). */
  readonly epochs: number;
  /** Batches of tfjs' model.fit timed after the warm-up batch. */
  readonly tfjsBatches: number;
  /** Side of the square matrix product. */
  readonly matmulSize: number;
}

export const CAMELS: LstmBenchOptions = {
  count: 1460,
  steps: 270,
  features: 18,
  hidden: 64,
  batchSize: 32,
  basins: 4,
  epochs: 3,
  tfjsBatches: 3,
  matmulSize: 512,
};

export interface EpochTiming {
  readonly workers: number;
  readonly seconds: number;
  readonly gflops: number;
}

export interface LstmBenchResult {
  readonly options: LstmBenchOptions;
  /** Our trainer, per worker count. */
  readonly ours: readonly EpochTiming[];
  /** tfjs model.fit on the WASM backend, extrapolated from `tfjsBatches` batches. */
  readonly tfjsSeconds: number;
  readonly tfjsBackend: string;
  /** GFLOP/s of tfjs-wasm's matMul on the square, and on the LSTM step's shape. */
  readonly tfjsMatmulGflops: number;
  readonly tfjsStepMatmulGflops: number;
  /** GFLOP/s of our kernel's product on the square. */
  readonly kernelMatmulGflops: number;
  /** FLOPs of an epoch's matrix products (forward and backward). */
  readonly epochFlops: number;
  /** Seconds of `predict` over as many samples as an epoch's (a validation pass), one thread. */
  readonly predictSeconds: number;
  /** Seconds per epoch, one thread: the kernel's forward and backward, input gathering, Adam. */
  readonly breakdown: Readonly<Record<'forward' | 'backward' | 'gather' | 'adam', number>>;
}

/** FLOPs of one epoch's products: forward x·W and h·U, backward dz·Uᵀ, hᵀ·dz, xᵀ·dz. */
export function epochFlops(o: LstmBenchOptions): number {
  const g = 4 * o.hidden;
  const perSample =
    2 * o.steps * g * (o.features + o.hidden) + // forward
    2 * 2 * (o.steps - 1) * g * o.hidden + // ∂h₍ₜ₋₁₎ and the recurrent kernel's gradient
    2 * o.steps * g * o.features; // the input kernel's gradient
  return perSample * o.count;
}

function samples(o: LstmBenchOptions, count: number, seed: number): Samples {
  const random = seededRandom(seed);
  const { steps, features } = o;
  const x = Float32Array.from({ length: count * steps * features }, () => 2 * random() - 1);
  const y = Float32Array.from({ length: count }, (_, i) => {
    const last = (i * steps + steps - 1) * features;
    return 0.7 * x[last]! + 0.3 * x[last - features + 1]! + 0.1 * (random() - 0.5);
  });
  const basin = Uint16Array.from({ length: count }, (_, i) => i % o.basins);
  const date = Float64Array.from({ length: count }, (_, i) => i * 86_400_000);
  return { count, steps, features, x, y, basin, date };
}

/** The training set at the configured shape; validation and test empty, so epochs time training. */
export function benchSampleSet(o: LstmBenchOptions): SampleSet {
  const train = samples(o, o.count, 1);
  const empty = samples(o, 0, 2);
  return {
    basins: Array.from({ length: o.basins }, (_, b) => `basin-${b}`),
    featureNames: Array.from({ length: o.features }, (_, f) => `f${f}`),
    train,
    validation: empty,
    test: empty,
    target: { mean: 0, std: 1, unit: 'mm/d' },
    basinStd: new Float32Array(o.basins).fill(1),
  };
}

async function oursPerEpoch(set: SampleSet, o: LstmBenchOptions, workers: number) {
  gc();
  const { history } = await trainLstm(set, {
    seed: 1,
    epochs: o.epochs,
    hidden: o.hidden,
    batchSize: o.batchSize,
    workers,
  });
  return median(history.map((h) => h.seconds));
}

function time(run: () => void, minSeconds: number): number {
  run();
  const samplesSeconds: number[] = [];
  let total = 0;
  while (total < minSeconds || samplesSeconds.length < 3) {
    const t0 = performance.now();
    run();
    const s = (performance.now() - t0) / 1000;
    samplesSeconds.push(s);
    total += s;
  }
  return median(samplesSeconds);
}

function kernelMatmul(n: number): number {
  const k = instantiateKernel();
  const base = Math.ceil(k.heapBase() / 16) * 16;
  const bytes = 3 * n * n * 4;
  k.memory.grow(Math.ceil((base + bytes) / 65_536));
  const f32 = new Float32Array(k.memory.buffer, base, 3 * n * n);
  const random = seededRandom(3);
  for (let i = 0; i < 2 * n * n; i++) f32[i] = random() - 0.5;
  const [a, b, c] = [base, base + n * n * 4, base + 2 * n * n * 4];
  const seconds = time(() => k.matmulNN(n, n, n, a, n, b, n, c, n, 0, 0), 0.3);
  return (2 * n ** 3) / seconds / 1e9;
}

function tfjsMatmul(m: number, k: number, n: number, repeats: number): number {
  const a = tf.randomUniform([m, k]);
  const b = tf.randomUniform([k, n]);
  const run = () => {
    for (let r = 0; r < repeats; r++) tf.matMul(a, b).dataSync();
  };
  const seconds = time(run, 0.3);
  tf.dispose([a, b]);
  return (2 * m * k * n * repeats) / seconds / 1e9;
}

/** Seconds per epoch of tfjs' model.fit, timed over `tfjsBatches` batches after a warm-up one. */
async function tfjsFit(set: SampleSet, o: LstmBenchOptions): Promise<number> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.lstm({
        units: o.hidden,
        inputShape: [o.steps, o.features],
        recurrentActivation: 'sigmoid',
        // The default orthogonal initialiser needs tfjs' chained ops (not in tfjs-core alone).
        recurrentInitializer: 'glorotUniform',
        unitForgetBias: true,
      }),
      tfl.layers.dropout({ rate: 0.4 }),
      tfl.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const { x, y } = set.train;
  const rows = o.steps * o.features;
  const tensors = (from: number, to: number) =>
    [
      tf.tensor3d(x.subarray(from * rows, to * rows), [to - from, o.steps, o.features]),
      tf.tensor2d(y.subarray(from, to), [to - from, 1]),
    ] as const;
  const warm = tensors(0, o.batchSize);
  await model.fit(warm[0], warm[1], { batchSize: o.batchSize, epochs: 1, verbose: 0 });
  const end = Math.min(set.train.count, (o.tfjsBatches + 1) * o.batchSize);
  const timed = tensors(o.batchSize, end);
  const t0 = performance.now();
  await model.fit(timed[0], timed[1], { batchSize: o.batchSize, epochs: 1, verbose: 0 });
  const perBatch = (performance.now() - t0) / 1000 / Math.ceil((end - o.batchSize) / o.batchSize);
  tf.dispose([...warm, ...timed]);
  model.dispose();
  return perBatch * Math.ceil(set.train.count / o.batchSize);
}

/** Where one thread's epoch goes: the kernel's two calls, gathering inputs, the optimiser. */
function breakdown(set: SampleSet, o: LstmBenchOptions): LstmBenchResult['breakdown'] {
  const shape = { steps: o.steps, features: o.features, hidden: o.hidden };
  const ws = new Workspace(kernelModule(), shape, o.batchSize);
  const weights = initialWeights(o.features, o.hidden, seededRandom(1));
  ws.setParams(weights.values);
  const indices = Int32Array.from({ length: o.batchSize }, (_, i) => i % set.train.count);
  const dout = new Float64Array(o.batchSize).fill(0.01);
  const mask = new Float32Array(o.batchSize * o.hidden).fill(1);
  const adam = new Adam(weights.values.length, { learningRate: 1e-3 });
  const grads = new Float64Array(weights.values.length).fill(1e-3);
  const batches = Math.ceil(set.train.count / o.batchSize);
  ws.loadInputs(set.train.x, indices);
  const forward = time(() => ws.forward(o.batchSize, mask), 0.2);
  const backward = time(() => {
    ws.forward(o.batchSize, mask);
    ws.backward(o.batchSize, dout);
  }, 0.3);
  return {
    forward: forward * batches,
    backward: (backward - forward) * batches,
    gather: time(() => ws.loadInputs(set.train.x, indices), 0.1) * batches,
    adam:
      time(() => {
        clipByGlobalNorm(grads, 1);
        adam.step(weights.values, grads);
      }, 0.1) * batches,
  };
}

export async function lstmBenchmark(o: LstmBenchOptions): Promise<LstmBenchResult> {
  const set = benchSampleSet(o);
  const flops = epochFlops(o);
  const ours: EpochTiming[] = [];
  for (const workers of [1, 2]) {
    const seconds = await oursPerEpoch(set, o, workers);
    ours.push({ workers, seconds, gflops: flops / seconds / 1e9 });
  }
  const parts = breakdown(set, o);
  const weights = initialWeights(o.features, o.hidden, seededRandom(1));
  const predictSeconds = time(() => predict(weights, set.train), 0.5);
  const kernelMatmulGflops = kernelMatmul(o.matmulSize);

  const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths(`${wasmDir}/`);
  // Bundled as ESM (bench/run.mjs), the backend's Emscripten glue still reads __dirname.
  (globalThis as { __dirname?: string }).__dirname ??= wasmDir;
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs WASM backend did not start');
  const n = o.matmulSize;
  const tfjsMatmulGflops = tfjsMatmul(n, n, n, 1);
  const tfjsStepMatmulGflops = tfjsMatmul(o.batchSize, o.hidden, 4 * o.hidden, 200);
  gc();
  const tfjsSeconds = await tfjsFit(set, o);
  return {
    options: o,
    ours,
    tfjsSeconds,
    tfjsBackend: tf.getBackend(),
    tfjsMatmulGflops,
    tfjsStepMatmulGflops,
    kernelMatmulGflops,
    epochFlops: flops,
    breakdown: parts,
    predictSeconds,
  };
}

export function lstmReport(r: LstmBenchResult): string {
  const o = r.options;
  const f = (x: number, digits = 2) => x.toFixed(digits);
  const rows = r.ours.map((t) => [
    `ours, ${t.workers} worker${t.workers > 1 ? 's' : ''}`,
    f(t.seconds),
    `${f(r.tfjsSeconds / t.seconds, 1)}×`,
    f(t.gflops, 1),
    `${f(t.gflops / r.tfjsMatmulGflops)}×`,
  ]);
  rows.push([
    `tfjs model.fit (${r.tfjsBackend}, from ${o.tfjsBatches} batch${o.tfjsBatches > 1 ? 'es' : ''})`,
    f(r.tfjsSeconds),
    '1.0×',
    f(r.epochFlops / r.tfjsSeconds / 1e9, 1),
    `${f(r.epochFlops / r.tfjsSeconds / 1e9 / r.tfjsMatmulGflops)}×`,
  ]);
  const epochOne = r.ours[0]!.seconds;
  const b = r.breakdown;
  const other = epochOne - b.forward - b.backward - b.gather - b.adam;
  const share = (s: number) => [f(s), `${f((100 * s) / epochOne, 0)}%`];
  return [
    `LSTM epoch: ${o.count} samples × ${o.steps} steps × ${o.features} features, hidden ${o.hidden}, ` +
      `batch ${o.batchSize}; ${f(r.epochFlops / 1e9, 1)} GFLOP of products per epoch`,
    '',
    table(['trainer', 's/epoch', 'speed-up vs tfjs fit', 'GFLOP/s', 'vs tfjs-wasm matMul'], rows),
    '',
    table(
      ['matrix product', 'GFLOP/s'],
      [
        [`tfjs-wasm matMul ${o.matmulSize}³`, f(r.tfjsMatmulGflops, 1)],
        [
          `tfjs-wasm matMul [${o.batchSize},${o.hidden}]·[${o.hidden},${4 * o.hidden}]`,
          f(r.tfjsStepMatmulGflops, 1),
        ],
        [`our kernel's matmulNN ${o.matmulSize}³`, f(r.kernelMatmulGflops, 1)],
      ],
    ),
    '',
    table(
      ['one thread, per epoch', 's', 'share'],
      [
        ['kernel forward (all steps)', ...share(b.forward)],
        ['kernel backward (BPTT, weight gradients)', ...share(b.backward)],
        ['gathering inputs (time-major copy)', ...share(b.gather)],
        ['clipping + Adam (JS, float64)', ...share(b.adam)],
        ['rest (loss, masks, shuffling, messages)', ...share(Math.max(0, other))],
      ],
    ),
    '',
    `validation-sized forward pass (predict over ${o.count} samples, 1 thread): ${f(r.predictSeconds)} s`,
    `target: ≤ 6 s per epoch (3× PyTorch CPU's 1-2 s); 2 workers: ${f(r.ours[1]!.seconds)} s`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  tf.env().set('PROD', true);
  const quick = process.argv.includes('--quick');
  const base: LstmBenchOptions = quick
    ? { ...CAMELS, count: 320, epochs: 1, tfjsBatches: 1 }
    : CAMELS;
  const options = {
    ...base,
    epochs: Number(option('epochs') ?? base.epochs),
    tfjsBatches: Number(option('tfjs-batches') ?? base.tfjsBatches),
  };
  process.stdout.write(`${lstmReport(await lstmBenchmark(options))}\n`);
}
