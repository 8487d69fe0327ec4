/**
 * @module lstm/tfjs-model
 * The trained model as a tfjs-layers model (LSTM + dense head, no dropout at inference),
 * saved in tfjs' format — model.json and weights.bin in a folder — so that anyone can load
 * it with `tf.loadLayersModel`. Written and read through our own IO handlers (no tfjs-node).
 * The layers' initialisers are recorded as zeros: the weights replace them on load, and the
 * default orthogonal one needs tfjs' chained ops, which @tensorflow/tfjs-core alone lacks.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkShape, type LstmWeights, weightViews } from './weights.js';

// tfjs prints a banner recommending tfjs-node (which cannot be installed here) to the step's
// stderr on first use of the CPU backend in Node; production mode keeps it quiet.
tf.env().set('PROD', true);

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** A tfjs-layers model with the given weights, on tfjs' current backend; dispose it after use. */
export function toLayersModel(weights: LstmWeights): tfl.Sequential {
  const { features, hidden } = weights;
  checkShape(features, hidden);
  const model = tfl.sequential({
    name: 'weir_hydrology_lstm',
    layers: [
      tfl.layers.lstm({
        name: 'lstm',
        units: hidden,
        inputShape: [null, features],
        recurrentActivation: 'sigmoid',
        kernelInitializer: 'zeros',
        recurrentInitializer: 'zeros',
      }),
      tfl.layers.dense({ name: 'head', units: 1, kernelInitializer: 'zeros' }),
    ],
  });
  const v = weightViews(weights.values, features, hidden);
  const tensors = [
    tf.tensor2d(v.kernel, [features, 4 * hidden]),
    tf.tensor2d(v.recurrentKernel, [hidden, 4 * hidden]),
    tf.tensor1d(v.bias),
    tf.tensor2d(v.headKernel, [hidden, 1]),
    tf.tensor1d(v.headBias),
  ];
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/** The weights of a model shaped as {@link toLayersModel} builds it. */
export function fromLayersModel(model: tfl.LayersModel): LstmWeights {
  const tensors = model.getWeights();
  const shapes = tensors.map((t) => t.shape.join('×')).join(', ');
  const [kernel, recurrent] = tensors;
  if (tensors.length !== 5 || kernel?.rank !== 2 || recurrent?.rank !== 2) {
    throw new Error(`not an LSTM + dense model (weights ${shapes})`);
  }
  const [features, hidden] = [kernel.shape[0]!, recurrent.shape[0]!];
  const values = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  let at = 0;
  for (const t of tensors) {
    values.set(t.dataSync(), at);
    at += t.size;
  }
  weightViews(values, features, hidden);
  return { features, hidden, values };
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

/**
 * Writes model.json and weights.bin into `dir` (created if needed). The bytes depend only on
 * the weights and `metadata` (kept as the model's userDefinedMetadata).
 */
export async function saveLstmModel(
  dir: string,
  weights: LstmWeights,
  metadata?: Record<string, unknown>,
): Promise<void> {
  await tf.ready();
  const model = toLayersModel(weights);
  if (metadata !== undefined) model.setUserDefinedMetadata(metadata);
  let artifacts: tf.io.ModelArtifacts | undefined;
  try {
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
  } finally {
    model.dispose();
  }
  if (artifacts?.modelTopology === undefined || artifacts.weightData === undefined) {
    throw new Error('tfjs saved no topology or weights');
  }
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.userDefinedMetadata
      ? { userDefinedMetadata: artifacts.userDefinedMetadata }
      : {}),
  };
  await mkdir(dir, { recursive: true });
  const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  await writeAtomically(join(dir, WEIGHTS_FILE), bytes);
  await writeAtomically(join(dir, MODEL_FILE), `${JSON.stringify(json, null, 2)}\n`);
}

/** An IOHandler reading a tfjs model folder (model.json and the weight files it lists). */
export function folderHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const files = manifest.flatMap((group) => group.paths.map((p) => join(dir, p)));
        const buffers = await Promise.all(files.map((f) => readFile(f)));
        const data = new Uint8Array(Buffer.concat(buffers)).buffer;
        return [tf.io.getWeightSpecs(manifest), data];
      });
    },
  };
}

/** The model saved in `dir`, as a tfjs-layers model on tfjs' current backend. */
export async function loadLstmModel(dir: string): Promise<tfl.LayersModel> {
  await tf.ready();
  return tfl.loadLayersModel(folderHandler(dir));
}

/** The weights saved in `dir`, for {@link predict} or further training. */
export async function loadLstmWeights(dir: string): Promise<LstmWeights> {
  const model = await loadLstmModel(dir);
  try {
    return fromLayersModel(model);
  } finally {
    model.dispose();
  }
}
