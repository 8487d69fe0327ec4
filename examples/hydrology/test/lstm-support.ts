/** Shared by the LSTM tests: small synthetic sample sets and a check that dist/ is current. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/data/faults.js';
import type { SampleSet, Samples } from '../src/samples.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  return Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
}

/** Fails with the fix when dist/ is older than the kernel's or the worker's sources. */
export function assertBuildIsCurrent(): void {
  const sources = Math.max(newest(join(root, 'assembly')), newest(join(root, 'src', 'lstm')));
  for (const file of ['lstm.wasm', 'lstm-worker.mjs']) {
    let built = 0;
    try {
      built = statSync(join(root, 'dist', file)).mtimeMs;
    } catch {}
    if (built < sources) {
      throw new Error(
        `dist/${file} is missing or stale: run npm run build -w @weir/example-hydrology`,
      );
    }
  }
}

export interface SynthesisSpec {
  readonly count: number;
  readonly steps: number;
  readonly features: number;
  readonly basins: number;
  readonly seed: number;
  /** Fraction of NaN targets. */
  readonly missing?: number;
}

/**
 * Random inputs and a learnable target: a fixed mix of the first feature's recent values
 * and the second's mean over the window, plus a basin offset.
 */
export function synthesise(spec: SynthesisSpec): Samples {
  const { count, steps, features, basins } = spec;
  const random = seededRandom(spec.seed);
  const x = Float32Array.from({ length: count * steps * features }, () => 2 * random() - 1);
  const y = new Float32Array(count);
  const basin = Uint16Array.from({ length: count }, (_, i) => i % basins);
  for (let i = 0; i < count; i++) {
    const row = i * steps * features;
    const last = row + (steps - 1) * features;
    let mean = 0;
    for (let t = 0; t < steps; t++) mean += x[row + t * features + Math.min(1, features - 1)]!;
    const previous = steps > 1 ? x[last - features]! : 0;
    y[i] = 0.8 * x[last]! + 0.4 * previous + (1.5 * mean) / steps + 0.3 * (basin[i]! - 1);
    if (random() < (spec.missing ?? 0)) y[i] = Number.NaN;
  }
  const date = Float64Array.from({ length: count }, (_, i) => i * 86_400_000);
  return { count, steps, features, x, y, basin, date };
}

export function sampleSet(train: Samples, validation: Samples, basins: number): SampleSet {
  const names = Array.from({ length: basins }, (_, b) => `basin-${b}`);
  const basinStd = Float32Array.from(names, (_, b) => 0.5 + 0.25 * b);
  return {
    basins: names,
    featureNames: Array.from({ length: train.features }, (_, f) => `f${f}`),
    train,
    validation,
    test: {
      ...validation,
      count: 0,
      x: new Float32Array(0),
      y: new Float32Array(0),
      basin: new Uint16Array(0),
      date: new Float64Array(0),
    },
    target: { mean: 0, std: 1, unit: 'mm/d' },
    basinStd,
  };
}
