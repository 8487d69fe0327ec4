/**
 * The LSTM's hyperparameters, neuralhydrology's CAMELS conventions. Each is a named constant,
 * so changing one makes the models stale and `weir why camels/lstm_model` names it
 * (`code changed: HIDDEN_SIZE in src/camels/hyperparameters.ts`).
 */
export const HIDDEN_SIZE = 64;
export const OUTPUT_DROPOUT = 0.4;
export const LEARNING_RATE = 1e-3;
export const BATCH_SIZE = 32;
export const CLIP_NORM = 1;
/** Epochs without a better validation median NSE before training stops. */
export const PATIENCE = 5;
export const SEED = 42;
/** Gradient workers (threads); the result depends on it, so it is a hyperparameter too. */
export const WORKERS = 2;
/** Most epochs when `HYDRO_EPOCHS` is not set (the quick run of `npm start`). */
export const QUICK_EPOCHS = 20;
