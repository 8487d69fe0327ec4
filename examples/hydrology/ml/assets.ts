/**
 * The ML side of the hydrology example: the LSTM of `camels/lstm_model` trained in PyTorch by
 * `train_lstm.py`, run as a Weir asset through @weir/pipes, on the same training windows, with
 * the same hyperparameters, epochs and seed, so the two trainings can be compared.
 *
 * This folder is the example's "ml" code location (its own package and process: see
 * ml/weir.config.ts). {@link mlAssets} takes the prep side's assets as arguments: the
 * location passes `externalAsset()`/`externalSource()`s of their keys, a test stand-ins.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type PythonStepContext, pythonStep } from '@weir/pipes';
import { type AssetDefinition, asset, DefinitionError, type SourceAssetDefinition } from 'weir';
// A constant of the prep side (no imports): the same hyperparameters, and editing one restales
// this model too (they are in the step's params, which its code version hashes).
import { HYPERPARAMETERS } from '../src/camels/hyperparameters.js';
import { requireTorch } from './torch-check.js';

/** What the ml side reads from the prep side. */
export interface MlUpstream {
  /** `camels/training_windows`: the windows artefact (bytes), one partition per variant. */
  readonly windows: AssetDefinition<string, Uint8Array>;
  /** `camels/training_budget`: the most epochs a training may run (its data version). */
  readonly budget: SourceAssetDefinition;
}

export interface MlOptions {
  /** The interpreter that has torch and numpy: HYDRO_TORCH_PYTHON, else Debian's /usr/bin/python3. */
  readonly python?: string;
  /**
   * PyTorch's threads: HYDRO_TORCH_THREADS, else 1. On this example's 2-core machine, 2 threads
   * were slower than 1 (PyTorch's OpenMP threads and a busy second core), see the README.
   */
  readonly threads?: number;
  /** Train on the first N training samples only (tests). */
  readonly maxSamples?: number;
}

export const TORCH_MODEL_KEY = 'ml/torch_lstm_model';
/** The windows artefact's reader, which train_lstm.py imports (numpy only: tested without torch). */
export const CODEC = new URL('./windows_codec.py', import.meta.url);

/** A step's code version with the bytes of Python modules its script imports. */
function withModules(codeVersion: string, modules: readonly URL[]): string {
  const hash = createHash('sha256').update(codeVersion);
  for (const module of modules) {
    try {
      hash.update(readFileSync(module));
    } catch {
      hash.update(`missing ${module.pathname}`);
    }
  }
  return `py-${hash.digest('hex').slice(0, 16)}`;
}

/** The PyTorch model asset, partitioned as the windows are. */
export function mlAssets(upstream: MlUpstream, options: MlOptions = {}) {
  const python = options.python ?? process.env.HYDRO_TORCH_PYTHON ?? '/usr/bin/python3';
  const threads = options.threads ?? Number(process.env.HYDRO_TORCH_THREADS ?? 1);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new DefinitionError(
      'E_DEFINITION',
      `HYDRO_TORCH_THREADS must be a whole number ≥ 1, not ${JSON.stringify(process.env.HYDRO_TORCH_THREADS)}`,
    );
  }
  const partitions = upstream.windows.partitions;
  if (partitions === undefined) {
    throw new DefinitionError(
      'E_DEFINITION',
      `mlAssets() needs the partitioned ${upstream.windows.key} (one partition per variant)`,
    );
  }
  const { workers: _workers, ...hyperparameters } = HYPERPARAMETERS;
  const train = pythonStep({
    script: new URL('./train_lstm.py', import.meta.url),
    python,
    params: {
      hyperparameters: { ...hyperparameters, threads },
      ...(options.maxSamples === undefined ? {} : { maxSamples: options.maxSamples }),
    },
  });
  const torchLstmModel = asset({
    key: TORCH_MODEL_KEY,
    group: 'ml',
    kinds: ['model', 'pytorch'],
    tags: { resources: 'gpu' },
    // One training at a time, with camels/lstm_model's: each would slow the other.
    pool: 'gpu',
    description: `camels/lstm_model's LSTM trained in PyTorch (ml/train_lstm.py): the same windows, hyperparameters, epochs and seed; NSE and seconds per epoch as metadata. Needs torch and numpy for ${python} (Debian: apt-get install python3-torch)`,
    partitions,
    io: 'files',
    ins: { windows: upstream.windows, budget: upstream.budget },
    // The script's bytes and params, and the module it imports from its folder (pythonStep
    // hashes the script only): editing either, or a hyperparameter, restales the model.
    codeVersion: withModules(train.codeVersion, [CODEC]),
    materialize: async (ctx, inputs) => {
      await requireTorch(python);
      await train(ctx as PythonStepContext, inputs);
    },
  });
  return [torchLstmModel] as const;
}
