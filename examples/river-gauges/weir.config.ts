import { defineProject } from 'weir';
import {
  dailyPeaks,
  daySummary,
  floodAlerts,
  inboxBatches,
  inboxFile,
  readings,
  readingsCsv,
  rising3d,
  riverReport,
  stations,
  stationsCsv,
  telemetryInbox,
  thresholds,
} from './src/assets.js';

export default defineProject({
  assets: [
    stationsCsv,
    readingsCsv,
    inboxFile,
    inboxBatches,
    stations,
    readings,
    dailyPeaks,
    floodAlerts,
    riverReport,
    daySummary,
    rising3d,
  ],
  resources: [thresholds],
  sensors: [telemetryInbox],
});
