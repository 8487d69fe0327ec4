import { defineProject } from 'weir';
import {
  dailyPeaks,
  floodAlerts,
  readings,
  readingsCsv,
  riverReport,
  stations,
  stationsCsv,
  thresholds,
} from './src/assets.js';

export default defineProject({
  assets: [stationsCsv, readingsCsv, stations, readings, dailyPeaks, floodAlerts, riverReport],
  resources: [thresholds],
});
