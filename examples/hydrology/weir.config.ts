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
  sensors: [stationInbox],
  // Training uses both cores (two gradient workers): one model at a time.
  pools: { gpu: 1 },
});
