/**
 * The example's "ml" code location (listed by the example's weir.config.ts as
 * `locations: { ml: './ml' }`): the PyTorch model, loaded in a process of its own, which
 * never loads the prep side's code or its dependencies (tfjs, the kernel, the polishing).
 * It reads the prep side's assets by key; the project checks that their partitions and io are
 * the ones declared here and says which differs.
 */
import { defineProject, externalAsset, externalSource, staticPartitions } from 'weir';
import { mlAssets } from './assets.js';

/** camels/training_windows' partitions: the model variants (src/camels/variants.ts). */
const variants = staticPartitions([
  'polished',
  'autoregressive',
  'faulted_raw',
  'faulted_polished',
]);

const windows = externalAsset<Uint8Array>('camels/training_windows', {
  partitions: variants,
  io: 'bytes',
});
const budget = externalSource('camels/training_budget');

export default defineProject({
  assets: [windows, budget, ...mlAssets({ windows, budget })],
  // The project's pool, of the same size (one training at a time, the kernel's or this one).
  pools: { gpu: 1 },
});
