import { defineProject } from 'weir';
import {
  attributeFiles,
  basinFiles,
  faultedBasin,
  faultedPolishedBasin,
  polishedBasin,
  rawBasin,
} from './src/camels/basins.js';
import { evaluation, forecasts } from './src/camels/forecasts.js';
import { lstmModel, trainingBudget } from './src/camels/model.js';
import { trainingWindows } from './src/camels/windows.js';
import { inbox, stationInbox } from './src/station/inbox.js';
import { levelForecastSkill } from './src/station/level-forecast.js';
import { maintenanceLog, polishedTimeseries } from './src/station/polished.js';
import { rawReadings } from './src/station/raw.js';

export default defineProject({
  assets: [
    inbox,
    maintenanceLog,
    rawReadings,
    polishedTimeseries,
    levelForecastSkill,
    basinFiles,
    attributeFiles,
    rawBasin,
    polishedBasin,
    faultedBasin,
    faultedPolishedBasin,
    trainingWindows,
    trainingBudget,
    lstmModel,
    forecasts,
    evaluation,
  ],
  // The ML side, the LSTM in PyTorch (ml/torch_lstm_model), in a process of its own with its
  // own dependencies. Always in the graph, so status, lineage and the UI are the same on every
  // machine; without torch its step fails at once saying what to install. `npm start` leaves
  // it out (its 20 epochs take minutes in Debian's PyTorch build).
  locations: { ml: './ml' },
  sensors: [stationInbox],
  // Training uses both cores (two gradient workers): one model at a time.
  pools: { gpu: 1 },
});
