/**
 * The LSTM's hyperparameters, neuralhydrology's CAMELS conventions, in one named constant:
 * changing one makes the models stale and `weir why camels/lstm_model` names it
 * (`code changed: HYPERPARAMETERS in src/camels/hyperparameters.ts`); `weir experiments
 * camels/lstm_model --changed` shows which value differs between trainings.
 */
export const HYPERPARAMETERS = {
  hidden: 64,
  /** Dropout on the LSTM's last hidden state. */
  dropout: 0.4,
  learningRate: 1e-3,
  batchSize: 32,
  /** Largest global norm of a batch's gradient. */
  clipNorm: 1,
  /** Epochs without a better validation median NSE before training stops. */
  patience: 5,
  seed: 42,
  /** Gradient workers (threads); summed in a fixed order, so the result does not depend on load. */
  workers: 2,
} as const;

/** Most epochs when `HYDRO_EPOCHS` is not set (the quick run of `npm start`). */
export const QUICK_EPOCHS = 20;
