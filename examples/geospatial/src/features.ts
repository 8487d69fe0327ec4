/**
 * `geo/canton_features` and `geo/catchment_features`: per-zone elevation and slope statistics
 * (Parquet) over the cantons of Luxembourg and over each DEM's catchments. Each reads only the
 * DEM it lies on, so a changed DEM reruns only its own features.
 */
import { readShapefile } from '@weir/geo';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { asset, check, identityMapping, one } from 'weir';
import { catchments } from './catchments.js';
import { demCog } from './dem-cog.js';
import { zoneFeatures } from './features-table.js';
import { CANTON_FILES, cantonDems, hydroDems } from './paths.js';
import { cantonFiles } from './sources.js';
import { slopeCog } from './terrain.js';

/** Every zone covers DEM cells with data: a zone without is in the wrong place or CRS. */
const everyZoneCovered = check<Uint8Array>({
  name: 'every_zone_has_cells',
  description: 'Every zone covers at least one DEM cell with data',
  evaluate: (_ctx, parquet) => {
    const table = tableFromIPC(readParquet(parquet).intoIPCStream());
    const ids = table.getChild('zone_id')!.toArray() as string[];
    const cells = table.getChild('cells')!.toArray() as Int32Array;
    const empty = ids.filter((_, i) => cells[i] === 0);
    return empty.length === 0
      ? { passed: true, message: `${ids.length} zones` }
      : { passed: false, message: `zones without data: ${empty.join(', ')}` };
  },
});

export const cantonFeatures = asset({
  key: 'geo/canton_features',
  group: 'features',
  kinds: ['table', 'parquet'],
  description: 'Elevation and slope statistics of each canton of Luxembourg (Parquet)',
  partitions: cantonDems,
  io: 'bytes',
  checks: [everyZoneCovered],
  ins: {
    dem: one(demCog, identityMapping()),
    slope: one(slopeCog, identityMapping()),
    cantons: cantonFiles,
  },
  materialize: async (ctx, { dem, slope }) => {
    const { features } = await readShapefile(CANTON_FILES[0]!);
    const zones = features.map((f, i) => ({
      id: String(f.properties.ID_2 ?? i + 1),
      name: String(f.properties.NAME_2 ?? ''),
      geometry: f.geometry,
    }));
    const { parquet, rows } = await zoneFeatures(zones, dem.path, slope.path);
    ctx.addMetadata({ rows });
    return parquet;
  },
});

export const catchmentFeatures = asset({
  key: 'geo/catchment_features',
  group: 'features',
  kinds: ['table', 'parquet'],
  description: 'Elevation and slope statistics of each catchment of a DEM (Parquet)',
  partitions: hydroDems,
  io: 'bytes',
  checks: [everyZoneCovered],
  ins: {
    dem: one(demCog, identityMapping()),
    slope: one(slopeCog, identityMapping()),
    catchments,
  },
  materialize: async (ctx, { dem, slope, catchments }) => {
    const zones = catchments.features.map((f) => ({
      id: f.properties.id,
      name: `${f.properties.areaKm2} km² to ${f.properties.outletLat}, ${f.properties.outletLon}`,
      geometry: f.geometry,
    }));
    const { parquet, rows } = await zoneFeatures(zones, dem.path, slope.path);
    ctx.addMetadata({ rows });
    return parquet;
  },
});
