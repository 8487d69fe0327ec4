/**
 * The example's "ml" side as a project of its own: the PyTorch model (./assets.ts) over the
 * prep side's training windows.
 *
 * Until code locations land (`defineProject({ locations: { ml: './ml' } })`), the prep side's
 * definitions are imported here so the project is whole (an asset's upstream must be in its
 * project), and the example's own weir.config.ts adds the same ml assets to its graph, which
 * is where to run them from (`npx weir materialize ml/torch_lstm_model --partition polished`
 * in examples/hydrology). Once they land, the imports from ../src become
 * `externalAsset<Uint8Array>('camels/training_windows', { partitions: variants, io: 'bytes' })`
 * and the same for the budget, and this file is the ml location.
 */
import { defineProject } from 'weir';
import {
  attributeFiles,
  basinFiles,
  faultedBasin,
  faultedPolishedBasin,
  polishedBasin,
  rawBasin,
} from '../src/camels/basins.js';
import { trainingBudget } from '../src/camels/model.js';
import { trainingWindows } from '../src/camels/windows.js';
import { mlAssets } from './assets.js';

export default defineProject({
  assets: [
    basinFiles,
    attributeFiles,
    rawBasin,
    polishedBasin,
    faultedBasin,
    faultedPolishedBasin,
    trainingWindows,
    trainingBudget,
    ...mlAssets({ windows: trainingWindows, budget: trainingBudget }),
  ],
  pools: { gpu: 1 },
});
