/**
 * @module lstm/train
 * Training as neuralhydrology trains its CudaLSTM: NSE* loss, Adam, the gradient's global norm
 * clipped, dropout on the last hidden state before the linear head, and (ours) early stopping
 * on the validation set's median NSE across basins, keeping the best epoch's weights.
 */
import type { SampleSet } from '../samples.js';
import { Adam, clipByGlobalNorm } from './adam.js';
import { initialWeights } from './init.js';
import { lossCoefficients, validationScores } from './loss.js';
import { createPool } from './pool.js';
import { dropoutMask, seededRandom, shuffle } from './random.js';
import type { LstmWeights } from './weights.js';

export interface TrainOptions {
  /** Seeds initialisation, shuffling and dropout: same seed, data and workers → same bytes. */
  readonly seed: number;
  /** Most epochs to run. */
  readonly epochs: number;
  /** Hidden units, a multiple of 8; 64. */
  readonly hidden?: number;
  /** Dropout rate on the last hidden state; 0.4 (neuralhydrology's CAMELS configurations). */
  readonly dropout?: number;
  /** 1e-3. */
  readonly learningRate?: number;
  /** 32. */
  readonly batchSize?: number;
  /** Largest global norm of a batch's gradient; 1. */
  readonly clipNorm?: number;
  /** Epochs without a better validation median NSE before stopping; 5. */
  readonly patience?: number;
  /** Threads computing gradients: 1 is the calling thread, n > 1 that many workers; 2. */
  readonly workers?: number;
  readonly onEpoch?: (record: EpochRecord) => void;
}

export interface EpochRecord {
  /** From 1. */
  readonly epoch: number;
  /** Mean NSE* over the epoch's training samples (with dropout, before each update). */
  readonly trainLoss: number;
  /** NSE* over the validation set; NaN without validation targets. */
  readonly validationLoss: number;
  readonly validationMedianNse: number;
  /** Wall time of the epoch, training and validation. */
  readonly seconds: number;
}

export interface TrainResult {
  /** The weights after the best epoch (the last one if no epoch had a validation NSE). */
  readonly weights: LstmWeights;
  readonly history: readonly EpochRecord[];
  readonly bestEpoch: number;
  /** Whether training stopped before `epochs` for lack of improvement. */
  readonly stoppedEarly: boolean;
}

function trainableIndices(y: Float32Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!)) out.push(i);
  return Int32Array.from(out);
}

function checkOption(name: string, value: number, ok: boolean): void {
  if (!ok) throw new RangeError(`${name} ${value} is out of range`);
}

export async function trainLstm(set: SampleSet, options: TrainOptions): Promise<TrainResult> {
  const hidden = options.hidden ?? 64;
  const dropout = options.dropout ?? 0.4;
  const batchSize = options.batchSize ?? 32;
  const clipNorm = options.clipNorm ?? 1;
  const patience = options.patience ?? 5;
  const { epochs } = options;
  checkOption('epochs', epochs, Number.isInteger(epochs) && epochs >= 1);
  checkOption('dropout', dropout, dropout >= 0 && dropout < 1);
  checkOption('batchSize', batchSize, Number.isInteger(batchSize) && batchSize >= 1);
  checkOption('patience', patience, patience >= 1);
  const learningRate = options.learningRate ?? 1e-3;
  checkOption('learningRate', learningRate, Number.isFinite(learningRate) && learningRate >= 0);
  checkOption('clipNorm', clipNorm, Number.isFinite(clipNorm) && clipNorm > 0);
  const { train, validation } = set;
  if (validation.features !== train.features) {
    throw new RangeError(
      `${train.features} training features but ${validation.features} validation`,
    );
  }

  const random = seededRandom(options.seed);
  const weights = initialWeights(train.features, hidden, random);
  const params = weights.values;
  const adam = new Adam(params.length, { learningRate });
  const order = trainableIndices(train.y);
  if (order.length === 0) throw new RangeError('no training sample has a target');
  const pool = await createPool({
    hidden,
    datasets: { train, validation },
    workers: options.workers ?? 2,
  });

  const history: EpochRecord[] = [];
  let best: { nse: number; epoch: number; values: Float32Array } | undefined;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      shuffle(order, random);
      let lossSum = 0;
      for (let start = 0; start < order.length; start += batchSize) {
        const indices = order.slice(start, start + batchSize);
        const coefficients = lossCoefficients(train, set.basinStd, indices);
        const mask = dropout > 0 ? dropoutMask(indices.length * hidden, dropout, random) : null;
        const { loss, grads } = await pool.gradient(params, 'train', {
          indices,
          coefficients,
          mask,
        });
        lossSum += loss * indices.length;
        const norm = clipByGlobalNorm(grads, clipNorm);
        // A NaN or infinite input or target poisons every weight at the next step: stop here.
        if (!Number.isFinite(loss) || !Number.isFinite(norm)) {
          throw new RangeError(
            `epoch ${epoch}: the loss or gradient is not finite (loss ${loss}, gradient norm ${norm}); check the samples for NaN or infinite inputs`,
          );
        }
        adam.step(params, grads);
      }
      const scores =
        validation.count > 0
          ? validationScores(
              validation,
              set.basins,
              set.basinStd,
              await pool.predict(params, 'validation'),
            )
          : { loss: Number.NaN, medianNse: Number.NaN };
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / order.length,
        validationLoss: scores.loss,
        validationMedianNse: scores.medianNse,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      options.onEpoch?.(record);
      if (!Number.isNaN(scores.medianNse) && (best === undefined || scores.medianNse > best.nse)) {
        best = { nse: scores.medianNse, epoch, values: params.slice() };
      } else if (best !== undefined && epoch - best.epoch >= patience) {
        stoppedEarly = epoch < epochs;
        break;
      }
    }
  } finally {
    await pool.close();
  }
  const chosen = best ?? { epoch: history.length, values: params };
  return {
    weights: { features: train.features, hidden, values: chosen.values },
    history,
    bestEpoch: chosen.epoch,
    stoppedEarly,
  };
}
