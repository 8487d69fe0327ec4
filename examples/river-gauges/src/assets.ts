import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  asset,
  boundsCheck,
  dailyPartitions,
  dynamicPartitions,
  eager,
  fileVersion,
  folderSensor,
  lastNMapping,
  many,
  resource,
  rowCountCheck,
  schemaCheck,
  sourceAsset,
  uniqueCheck,
} from 'weir';
import { parseCsv } from './csv.js';

const dataDir = new URL('../data/', import.meta.url);
const dataFile = (name: string) => new URL(name, dataDir).pathname;

export interface Station {
  id: string;
  name: string;
  river: string;
  floodStageM: number;
}

export interface Reading {
  stationId: string;
  observedAt: string;
  stageM: number;
}

export interface DailyPeak {
  stationId: string;
  day: string;
  peakStageM: number;
  readings: number;
}

export interface FloodAlert {
  stationId: string;
  station: string;
  river: string;
  day: string;
  peakStageM: number;
  floodStageM: number;
  level: 'warning' | 'flood';
}

/** Alert thresholds, declared once in the project and hashed into provenance. */
export const thresholds = resource({
  key: 'thresholds',
  description: 'A warning is raised at this fraction of a station’s flood stage',
  config: { warningFraction: 0.9 },
  create: (config) => config,
});

export const stationsCsv = sourceAsset({
  key: 'raw/stations_csv',
  group: 'raw',
  description: 'The gauge network’s station list, as exported by the agency',
  observe: () => fileVersion(dataFile('stations.csv')),
});

export const readingsCsv = sourceAsset({
  key: 'raw/readings_csv',
  group: 'raw',
  description: 'Stage readings every two hours, as delivered by the telemetry feed',
  observe: () => fileVersion(dataFile('readings.csv')),
});

export const stations = asset({
  key: 'gauges/stations',
  group: 'gauges',
  kinds: ['table'],
  owners: ['team:hydrology'],
  description: 'Gauging stations with their flood stage',
  deps: [stationsCsv],
  checks: [
    // The agency's export is the contract: a renamed or retyped column stops the pipeline.
    schemaCheck(
      { id: 'string', name: 'string', river: 'string', floodStageM: 'number' },
      { drift: 'fail' },
    ),
    uniqueCheck('id'),
    boundsCheck('floodStageM', { min: 0.5, max: 20 }),
  ],
  materialize: async (ctx): Promise<Station[]> => {
    const rows = parseCsv(await readFile(dataFile('stations.csv'), 'utf8'));
    ctx.addMetadata({ stations: rows.length });
    return rows.map((row) => ({
      id: row.station_id!,
      name: row.name!,
      river: row.river!,
      floodStageM: Number(row.flood_stage_m),
    }));
  },
});

/**
 * Late telemetry: each CSV file dropped in `inbox/` (same columns as data/readings.csv) is a
 * partition of `raw/inbox_file`, added and observed by the `telemetry_inbox` folder sensor
 * when `weir daemon` runs; everything downstream is `eager()` and updates by itself.
 */
export const inboxFiles = dynamicPartitions('inbox_files');

export const inboxFile = sourceAsset({
  key: 'raw/inbox_file',
  group: 'raw',
  description: 'A readings file dropped in inbox/ (one partition per file)',
  partitions: inboxFiles,
  observe: (ctx) => fileVersion(`inbox/${ctx.partition!.key}.csv`),
});

export const telemetryInbox = folderSensor({
  name: 'telemetry_inbox',
  path: 'inbox',
  pattern: '*.csv',
  source: inboxFile,
  partitions: inboxFiles,
  interval: '2s',
});

export const inboxBatches = asset({
  key: 'gauges/inbox_batches',
  group: 'gauges',
  kinds: ['table'],
  description: 'The valid readings of each file dropped in inbox/',
  partitions: inboxFiles,
  deps: [inboxFile],
  automation: eager(),
  materialize: async (ctx): Promise<Reading[]> => [
    ...validReadings(await readFile(`inbox/${ctx.partition.key}.csv`, 'utf8'), ctx.log),
  ],
});

export const readings = asset({
  key: 'gauges/readings',
  group: 'gauges',
  kinds: ['table'],
  owners: ['team:hydrology'],
  tags: { layer: 'clean' },
  description: 'Readings with a valid time and a physically possible stage (≥ 0 m)',
  deps: [readingsCsv],
  ins: { batches: many(inboxBatches) },
  automation: eager(),
  checks: [
    schemaCheck({ stationId: 'string', observedAt: 'datetime', stageM: 'number' }),
    boundsCheck('stageM', { min: 0, max: 15 }), // a river stage cannot be negative
    uniqueCheck(['stationId', 'observedAt']),
    // A feed that suddenly delivers half as many readings is worth a look, not a stop.
    rowCountCheck({ min: 1, maxDropFraction: 0.5, severity: 'warn' }),
  ],
  materialize: async (ctx, { batches }): Promise<Reading[]> => {
    const feed = validReadings(await readFile(dataFile('readings.csv'), 'utf8'), ctx.log);
    // A late reading replaces the feed's reading of the same station and time.
    const byKey = new Map(feed.map((r) => [`${r.stationId}@${r.observedAt}`, r]));
    for (const batch of batches.values()) {
      for (const r of batch) byKey.set(`${r.stationId}@${r.observedAt}`, r);
    }
    const valid = [...byKey.values()].sort(
      (a, b) => a.observedAt.localeCompare(b.observedAt) || a.stationId.localeCompare(b.stationId),
    );
    ctx.addMetadata({ rows: valid.length, rejected: feed.rejected ?? 0, lateFiles: batches.size });
    return valid;
  },
});

/** Rows with a valid time and a possible stage; each rejected row is logged. */
function validReadings(
  csv: string,
  log: { warn(message: string): void },
): Reading[] & { rejected?: number } {
  const valid: Reading[] & { rejected?: number } = [];
  let rejected = 0;
  for (const row of parseCsv(csv)) {
    const stageM = Number(row.stage_m);
    const time = Date.parse(row.observed_at ?? '');
    if (Number.isNaN(time) || !Number.isFinite(stageM) || stageM < 0) {
      rejected++;
      log.warn(`rejected reading ${JSON.stringify(row)}`);
      continue;
    }
    valid.push({ stationId: row.station_id!, observedAt: new Date(time).toISOString(), stageM });
  }
  return Object.assign(valid, { rejected });
}

export const dailyPeaks = asset({
  key: 'gauges/daily_peaks',
  automation: eager(),
  group: 'gauges',
  kinds: ['table'],
  owners: ['team:hydrology'],
  description: 'The highest stage of each station on each day (UTC)',
  ins: { readings },
  materialize: (_ctx, { readings }): DailyPeak[] => {
    const peaks = new Map<string, DailyPeak>();
    for (const reading of readings) {
      const day = reading.observedAt.slice(0, 10);
      const id = `${reading.stationId}/${day}`;
      const peak = peaks.get(id) ?? {
        stationId: reading.stationId,
        day,
        peakStageM: -Infinity,
        readings: 0,
      };
      peak.peakStageM = Math.max(peak.peakStageM, reading.stageM);
      peak.readings++;
      peaks.set(id, peak);
    }
    return [...peaks.values()].sort(
      (a, b) => a.stationId.localeCompare(b.stationId) || a.day.localeCompare(b.day),
    );
  },
});

export const floodAlerts = asset({
  key: 'gauges/flood_alerts',
  automation: eager(),
  group: 'alerts',
  kinds: ['table'],
  owners: ['team:hydrology', 'duty-officer@example.org'],
  description: 'Days on which a station reached its warning level or flood stage',
  // The duty officer reads the alerts each morning: they must be refreshed by 07:00.
  freshness: { cron: '0 7 * * *', timezone: 'Europe/Luxembourg' },
  ins: { dailyPeaks, stations },
  resources: { thresholds },
  materialize: (ctx, { dailyPeaks, stations }): FloodAlert[] => {
    const byId = new Map(stations.map((s) => [s.id, s]));
    const alerts: FloodAlert[] = [];
    for (const peak of dailyPeaks) {
      const station = byId.get(peak.stationId);
      if (station === undefined) {
        ctx.log.warn(`readings from unknown station ${peak.stationId}`);
        continue;
      }
      const warningAt = station.floodStageM * ctx.resources.thresholds.warningFraction;
      if (peak.peakStageM < warningAt) continue;
      alerts.push({
        stationId: station.id,
        station: station.name,
        river: station.river,
        day: peak.day,
        peakStageM: peak.peakStageM,
        floodStageM: station.floodStageM,
        level: peak.peakStageM >= station.floodStageM ? 'flood' : 'warning',
      });
    }
    ctx.addMetadata({
      alerts: alerts.length,
      floods: alerts.filter((a) => a.level === 'flood').length,
    });
    return alerts;
  },
});

export const riverReport = asset({
  key: 'reports/river_summary',
  automation: eager(),
  group: 'reports',
  kinds: ['markdown'],
  owners: ['team:hydrology'],
  description: 'A readable summary for the duty officer, written as files',
  io: 'files',
  ins: { floodAlerts, stations },
  materialize: async (ctx, { floodAlerts, stations }) => {
    await mkdir(ctx.outputPath);
    const lines = [
      '# River summary',
      '',
      `${stations.length} stations, ${floodAlerts.length} alert days.`,
      '',
    ];
    for (const alert of floodAlerts) {
      lines.push(
        `- **${alert.level.toUpperCase()}** ${alert.station} (${alert.river}) on ${alert.day}: ${alert.peakStageM.toFixed(2)} m (flood stage ${alert.floodStageM.toFixed(2)} m)`,
      );
    }
    await writeFile(join(ctx.outputPath, 'summary.md'), `${lines.join('\n')}\n`);
    await writeFile(join(ctx.outputPath, 'alerts.json'), JSON.stringify(floodAlerts, null, 2));
  },
});

/** The seven days of the delivered readings; a partition exists once its day has ended. */
export const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-08' });

export interface StationDay {
  stationId: string;
  minStageM: number;
  maxStageM: number;
  meanStageM: number;
  readings: number;
}

export const daySummary = asset({
  key: 'gauges/day_summary',
  automation: eager(),
  group: 'gauges',
  kinds: ['table'],
  owners: ['team:hydrology'],
  description: 'Per station and day: minimum, maximum and mean stage (one partition per day)',
  partitions: days,
  ins: { readings },
  materialize: (ctx, { readings }): StationDay[] => {
    const day = ctx.partition.key;
    const byStation = new Map<string, number[]>();
    for (const reading of readings) {
      if (reading.observedAt.slice(0, 10) !== day) continue;
      const stages = byStation.get(reading.stationId) ?? [];
      stages.push(reading.stageM);
      byStation.set(reading.stationId, stages);
    }
    ctx.addMetadata({ day, stations: byStation.size });
    return [...byStation]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([stationId, stages]) => ({
        stationId,
        minStageM: Math.min(...stages),
        maxStageM: Math.max(...stages),
        meanStageM: Number((stages.reduce((a, b) => a + b, 0) / stages.length).toFixed(3)),
        readings: stages.length,
      }));
  },
});

export interface StationTrend {
  stationId: string;
  /** Change of the daily maximum over the window, in metres: a rising river is positive. */
  riseM: number;
  days: number;
}

export const rising3d = asset({
  key: 'gauges/rising_3d',
  automation: eager(),
  group: 'gauges',
  kinds: ['table'],
  owners: ['team:hydrology'],
  description:
    'How much each river rose over the last three days (a rolling window of day summaries)',
  partitions: days,
  ins: { window: many(daySummary, lastNMapping(3)) },
  materialize: (_ctx, { window }): StationTrend[] => {
    const series = [...window.values()];
    const first = new Map(series[0]?.map((s) => [s.stationId, s.maxStageM]));
    const last = series[series.length - 1] ?? [];
    return last.map((s) => ({
      stationId: s.stationId,
      riseM: Number((s.maxStageM - (first.get(s.stationId) ?? s.maxStageM)).toFixed(3)),
      days: series.length,
    }));
  },
});
