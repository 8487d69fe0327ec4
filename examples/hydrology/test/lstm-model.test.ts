// The trained model as a tfjs-layers artefact: tfjs loads it and predicts what we predict;
// loading gives back the same weight bytes; saving is byte-reproducible.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFile } from '../src/lstm/built-files.js';
import { initialWeights } from '../src/lstm/init.js';
import { predict } from '../src/lstm/predict.js';
import { seededRandom } from '../src/lstm/random.js';
import {
  loadLstmModel,
  loadLstmWeights,
  MODEL_FILE,
  saveLstmModel,
  WEIGHTS_FILE,
} from '../src/lstm/tfjs-model.js';
import { assertBuildIsCurrent, synthesise } from './lstm-support.js';

let dir: string;
beforeAll(async () => {
  assertBuildIsCurrent();
  tf.env().set('PROD', true); // no advice to install tfjs-node in the test output
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'weir-lstm-model-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const weights = initialWeights(4, 8, seededRandom(9));
const metadata = { target: { mean: 1.5, std: 2 }, features: ['a', 'b', 'c', 'd'] };

describe('saving the LSTM as a tfjs-layers model', () => {
  it('writes model.json and weights.bin that tfjs loads and runs as we do', async () => {
    const out = join(dir, 'a');
    await saveLstmModel(out, weights, metadata);
    expect((await readdir(out)).sort()).toEqual([MODEL_FILE, WEIGHTS_FILE]);
    const json = JSON.parse(await readFile(join(out, MODEL_FILE), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      'lstm/kernel',
      'lstm/recurrent_kernel',
      'lstm/bias',
      'head/kernel',
      'head/bias',
    ]);

    const model = await loadLstmModel(out);
    expect(model.getUserDefinedMetadata()).toEqual(metadata);
    const samples = synthesise({ count: 6, steps: 5, features: 4, basins: 1, seed: 2 });
    const x = tf.tensor3d(samples.x, [samples.count, samples.steps, samples.features]);
    const theirs = (model.predict(x) as tf.Tensor).dataSync();
    const ours = predict(weights, samples);
    for (let i = 0; i < samples.count; i++) expect(ours[i]).toBeCloseTo(theirs[i]!, 5);
    tf.dispose(x);
    model.dispose();
  });

  it('loads back the same weight bytes, and saves the same bytes twice', async () => {
    const [a, b] = [join(dir, 'b1'), join(dir, 'b2')];
    await saveLstmModel(a, weights, metadata);
    await saveLstmModel(b, weights, metadata);
    for (const file of [MODEL_FILE, WEIGHTS_FILE]) {
      expect((await readFile(join(a, file))).equals(await readFile(join(b, file)))).toBe(true);
    }
    const loaded = await loadLstmWeights(a);
    expect(loaded.features).toBe(4);
    expect(loaded.hidden).toBe(8);
    expect(Buffer.from(loaded.values.buffer).equals(Buffer.from(weights.values.buffer))).toBe(true);
  });
});

describe('the built kernel', () => {
  it('says how to build what is missing', () => {
    expect(() => builtFile('absent.wasm')).toThrow(/run npm run build -w @weir\/example-hydrology/);
  });
});
