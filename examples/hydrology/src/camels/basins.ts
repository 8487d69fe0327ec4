/**
 * The four CAMELS-US basins: each basin's record as read (discharge in mm/day with USGS
 * qualifiers as flags, Daymet forcings, static attributes), polished, and, for the raw vs
 * polished experiment, a copy with synthetic sensor faults (labelled `synthetic` everywhere).
 */
import { asset, fileVersion, sourceAsset, staticPartitions } from 'weir';
import { decodeBinary, encodeBinary } from '../binary.js';
import { type CamelsBasin, camelsLayout, loadCamelsBasins } from '../data/camels.js';
import { CAMELS } from '../paths.js';
import { type FaultReport, faultBasin } from './faults.js';
import { polishBasin } from './polish-basin.js';

export const BASINS = ['01022500', '01547700', '02064000', '03015500'] as const;
export const basins = staticPartitions([...BASINS]);
const layout = camelsLayout(CAMELS);

export const basinFiles = sourceAsset({
  key: 'camels/basin_files',
  group: 'camels',
  description: 'A basin’s USGS streamflow and Daymet forcing files',
  partitions: basins,
  // Under `weir daemon` / `weir dev`, a changed file is seen without anyone running status.
  observeEvery: '1m',
  observe: async (ctx) => {
    const id = ctx.partition.key;
    const [q, f] = await Promise.all([
      fileVersion(`${layout.streamflowDir}/${id}_streamflow_qc.txt`),
      fileVersion(`${layout.forcingDir}/${id}_lump_cida_forcing_leap.txt`),
    ]);
    return `${q.dataVersion}:${f.dataVersion}`;
  },
});

export const attributeFiles = sourceAsset({
  key: 'camels/attribute_files',
  group: 'camels',
  description: 'CAMELS static catchment attributes (671 basins)',
  observeEvery: '1m',
  observe: async () =>
    (await Promise.all(layout.attributeFiles.map(fileVersion))).map((v) => v.dataVersion).join(':'),
});

/** A basin artefact: the basin and what was done to it. */
export interface BasinRecord {
  readonly basin: CamelsBasin;
  readonly faults?: FaultReport;
}

export const decodeBasin = (bytes: Uint8Array): BasinRecord => decodeBinary<BasinRecord>(bytes);

export const rawBasin = asset({
  key: 'camels/raw_basin',
  group: 'camels',
  kinds: ['timeseries'],
  description: 'A basin as recorded: discharge (mm/day, USGS A:e as suspect), forcings, attributes',
  partitions: basins,
  io: 'bytes',
  deps: [basinFiles, attributeFiles],
  materialize: async (ctx) => {
    const [basin] = await loadCamelsBasins([ctx.partition.key], layout);
    ctx.addMetadata({ days: basin!.discharge.time.length, ...basin!.qualifiers });
    return encodeBinary({ basin: basin! } satisfies BasinRecord);
  },
});

export const polishedBasin = asset({
  key: 'camels/polished_basin',
  group: 'camels',
  kinds: ['timeseries'],
  description: 'A basin polished: physical bounds, spikes, flat lines; discharge gaps masked',
  partitions: basins,
  io: 'bytes',
  ins: { raw: rawBasin },
  materialize: (ctx, { raw }) => {
    const { basin, counts } = polishBasin(decodeBasin(raw).basin);
    ctx.addMetadata(counts);
    return encodeBinary({ basin } satisfies BasinRecord);
  },
});

export const faultedBasin = asset({
  key: 'camels/faulted_basin',
  group: 'camels',
  kinds: ['timeseries', 'synthetic'],
  description:
    'SYNTHETIC: a copy of the basin with sensor faults injected in its training and validation years',
  partitions: basins,
  io: 'bytes',
  ins: { raw: rawBasin },
  materialize: (ctx, { raw }) => {
    const record = faultBasin(decodeBasin(raw).basin, BASINS.indexOf(ctx.partition.key as never));
    ctx.addMetadata({ synthetic: true, ...record.faults.summary });
    return encodeBinary(record satisfies BasinRecord);
  },
});

export const faultedPolishedBasin = asset({
  key: 'camels/faulted_polished_basin',
  group: 'camels',
  kinds: ['timeseries', 'synthetic'],
  description: 'SYNTHETIC: the faulted copy, polished as the real record is',
  partitions: basins,
  io: 'bytes',
  ins: { faulted: faultedBasin },
  materialize: (ctx, { faulted }) => {
    const record = decodeBasin(faulted);
    const { basin, counts } = polishBasin(record.basin);
    ctx.addMetadata({ synthetic: true, ...counts });
    return encodeBinary({ basin, ...(record.faults ? { faults: record.faults } : {}) });
  },
});
