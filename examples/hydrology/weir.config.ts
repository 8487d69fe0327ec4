import { defineProject } from 'weir';
import { inbox, stationInbox } from './src/station/inbox.js';
import { levelForecastSkill } from './src/station/level-forecast.js';
import { maintenanceLog, polishedTimeseries } from './src/station/polished.js';
import { rawReadings } from './src/station/raw.js';

export default defineProject({
  assets: [inbox, maintenanceLog, rawReadings, polishedTimeseries, levelForecastSkill],
  sensors: [stationInbox],
});
