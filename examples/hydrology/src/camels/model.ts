/**
 * `camels/lstm_model`: one LSTM per variant, trained on the WASM SIMD kernel of `src/lstm`,
 * saved in tfjs format (`model.json` + `weights.bin`, loadable with `tf.loadLayersModel`).
 * Each training is an experiment: its metadata holds the hyperparameters, the seed, the
 * per-epoch curves, the final scores, the duration and the backend (`weir experiments
 * camels/lstm_model --partition polished`). The epoch budget is an observed input
 * (`camels/training_budget`, from `HYDRO_EPOCHS`), so a full run is recorded as such and a
 * later quick run is a change `weir why` names.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asset, sourceAsset } from 'weir';
import { saveLstmModel, trainLstm } from '../lstm/index.js';
import { HYPERPARAMETERS, QUICK_EPOCHS } from './hyperparameters.js';
import { variants } from './variants.js';
import { trainingWindows } from './windows.js';
import { decodeWindows } from './windows-codec.js';

export const trainingBudget = sourceAsset({
  key: 'camels/training_budget',
  group: 'camels',
  description: `The most epochs a training may run: HYDRO_EPOCHS, or ${QUICK_EPOCHS}`,
  // A running daemon (or `weir dev`) records its own budget, so the UI agrees with `weir status`.
  observeEvery: '30s',
  observe: () => epochsFromEnvironment().toString(),
});

function epochsFromEnvironment(): number {
  const given = process.env.HYDRO_EPOCHS;
  if (given === undefined || given === '') return QUICK_EPOCHS;
  const epochs = Number(given);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000) {
    throw new Error(
      `HYDRO_EPOCHS must be a whole number from 1 to 1000, not ${JSON.stringify(given)}`,
    );
  }
  return epochs;
}

export const lstmModel = asset({
  key: 'camels/lstm_model',
  group: 'camels',
  kinds: ['model', 'tfjs'],
  tags: { resources: 'gpu' },
  pool: 'gpu',
  description:
    'A one-layer LSTM per variant (HYPERPARAMETERS), NSE* loss, early stopping on validation',
  partitions: variants,
  io: 'files',
  ins: { windows: trainingWindows, budget: trainingBudget },
  materialize: async (ctx, { windows, budget }) => {
    const set = decodeWindows(windows);
    const epochs = Number(budget.dataVersion);
    const started = performance.now();
    const result = await trainLstm(set, {
      ...HYPERPARAMETERS,
      epochs,
      onEpoch: (e) =>
        ctx.log.info(
          `epoch ${e.epoch}: train NSE* ${e.trainLoss.toFixed(4)}, validation median NSE ${e.validationMedianNse.toFixed(3)} (${e.seconds.toFixed(1)} s)`,
        ),
    });
    const seconds = (performance.now() - started) / 1000;
    const best = result.history.find((e) => e.epoch === result.bestEpoch);
    const hyperparameters = {
      ...HYPERPARAMETERS,
      maxEpochs: epochs,
      loss: 'NSE*',
      features: set.featureNames.length,
    };
    const curves = {
      trainLoss: result.history.map((e) => round(e.trainLoss)),
      validationLoss: result.history.map((e) => round(e.validationLoss)),
      validationMedianNse: result.history.map((e) => round(e.validationMedianNse)),
      epochSeconds: result.history.map((e) => round(e.seconds)),
    };
    await saveLstmModel(ctx.outputPath, result.weights, {
      variant: ctx.partition.key,
      hyperparameters,
    });
    await writeFile(
      join(ctx.outputPath, 'training.json'),
      // Deterministic content only (no timings): the same inputs and seed give the same artefact.
      `${JSON.stringify(
        {
          hyperparameters,
          featureNames: set.featureNames,
          target: set.target,
          trainLoss: curves.trainLoss,
          validationLoss: curves.validationLoss,
          validationMedianNse: curves.validationMedianNse,
          bestEpoch: result.bestEpoch,
        },
        null,
        2,
      )}\n`,
    );
    ctx.addMetadata({
      hyperparameters,
      ...curves,
      epochs: result.history.length,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      'best.validationMedianNse': round(best?.validationMedianNse ?? Number.NaN),
      seconds: round(seconds),
      backend: `WASM SIMD kernel (src/lstm), ${HYPERPARAMETERS.workers} gradient workers`,
    });
  },
});

/** 6 significant digits; NaN as null (JSON has no NaN). */
function round(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : null;
}
