/**
 * @module lstm
 * A one-layer LSTM for sequence-to-one discharge, trained in TypeScript on a WASM SIMD kernel
 * (assembly/), after neuralhydrology's CudaLSTM, and saved as a tfjs-layers model.
 */
export { predict } from './predict.js';
export {
  fromLayersModel,
  loadLstmModel,
  loadLstmWeights,
  saveLstmModel,
  toLayersModel,
} from './tfjs-model.js';
export type { EpochRecord, TrainOptions, TrainResult } from './train.js';
export { trainLstm } from './train.js';
export type { LstmWeights, WeightViews } from './weights.js';
export { parameterCount, weightViews } from './weights.js';
