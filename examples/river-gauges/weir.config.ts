import { defineProject } from 'weir';
import {
  dailyPeaks,
  daySummary,
  floodAlerts,
  readings,
  readingsCsv,
  rising3d,
  riverReport,
  stations,
  stationsCsv,
  thresholds,
} from './src/assets.js';

export default defineProject({
  assets: [
    stationsCsv,
    readingsCsv,
    stations,
    readings,
    dailyPeaks,
    floodAlerts,
    riverReport,
    daySummary,
    rising3d,
  ],
  resources: [thresholds],
});
