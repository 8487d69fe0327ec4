/**
 * @module data/camels
 * One CAMELS-US basin as series: discharge in mm/day (from the USGS file's ft³/s and the
 * Daymet header's area), the five Daymet forcings the LSTM reads, and a handful of static
 * attributes. Parsing is done by `@weir/timeseries`' readers, so flags, causes and validity
 * come from there: `-999` is missing (flag 9, invalid), `A:e` (estimated) is suspect with
 * cause `QUALIFIER` but still observed until a polishing step decides (`refreshValidity`
 * without `acceptSuspect` makes it invalid).
 *
 * The pure functions take file texts; {@link loadCamelsBasins} is the only one that reads
 * files, and it takes the paths from a {@link CamelsLayout}.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Series } from '@weir/timeseries';
import { InputError, readCamelsStreamflow, readDaymetForcing, seriesOf } from '@weir/timeseries';

/** Cubic metres in a cubic foot (0.3048³, exact), as neuralhydrology converts CAMELS discharge. */
export const CUBIC_METRES_PER_CUBIC_FOOT = 0.028316846592;
const SECONDS_PER_DAY = 86_400;

/** The Daymet forcings used as dynamic inputs, short name → column in the Daymet file. */
export const DAYMET_COLUMNS = {
  prcp: 'prcp(mm/day)',
  srad: 'srad(W/m2)',
  tmax: 'tmax(C)',
  tmin: 'tmin(C)',
  vp: 'vp(Pa)',
} as const;

/** Short names of the dynamic inputs, in feature order. */
export type ForcingName = keyof typeof DAYMET_COLUMNS;
export const FORCING_NAMES: readonly ForcingName[] = ['prcp', 'srad', 'tmax', 'tmin', 'vp'];

const FORCING_UNITS: Readonly<Record<ForcingName, string>> = {
  prcp: 'mm/day',
  srad: 'W/m2',
  tmax: 'C',
  tmin: 'C',
  vp: 'Pa',
};

/**
 * Default static attributes (Addor et al. 2017), all available in the excerpt's
 * `camels_topo.txt` and `camels_clim.txt`: gauge area (km², GAGES-II), mean elevation (m),
 * mean slope (m/km), mean daily precipitation and PET (mm/day), aridity (PET/P), fraction
 * of precipitation falling as snow, and precipitation seasonality. The hydrological
 * signatures of `camels_hydro.txt` (q_mean, runoff_ratio, …) are computed from the
 * discharge being predicted and are left out on purpose. Note that the climate indices
 * are 1989–2009 averages, so they overlap the test period, as in every CAMELS study.
 */
export const DEFAULT_ATTRIBUTES: readonly string[] = [
  'area_gages2',
  'elev_mean',
  'slope_mean',
  'p_mean',
  'pet_mean',
  'aridity',
  'frac_snow',
  'p_seasonality',
];

/** Where the files of a CAMELS-US copy are. */
export interface CamelsLayout {
  /** Folder of `<basin>_streamflow_qc.txt`. */
  readonly streamflowDir: string;
  /** Folder of `<basin>_lump_cida_forcing_leap.txt`. */
  readonly forcingDir: string;
  /** Semicolon-separated attribute tables (`camels_topo.txt`, `camels_clim.txt`, …). */
  readonly attributeFiles: readonly string[];
}

/** The layout of `camels_us/` as shipped in neuralhydrology's test data. */
export function camelsLayout(root: string): CamelsLayout {
  return {
    streamflowDir: join(root, 'usgs_streamflow'),
    forcingDir: join(root, 'daymet'),
    attributeFiles: ['camels_topo.txt', 'camels_clim.txt'].map((f) => join(root, 'attributes', f)),
  };
}

/** A text file's name (for error messages) and content. */
export interface TextFile {
  readonly file: string;
  readonly text: string;
}

/** One basin, ready for windowing. */
export interface CamelsBasin {
  /** USGS gauge id, e.g. `01022500`. */
  readonly id: string;
  /** Daymet header: latitude (°), elevation (m), area (m²). */
  readonly latitude: number;
  readonly elevation: number;
  readonly area: number;
  /** Daily discharge in mm/day, with the reader's flags, causes and validity. */
  readonly discharge: Series;
  /** Daily forcings by short name, each with its unit. */
  readonly forcings: Readonly<Record<ForcingName, Series>>;
  /** The requested static attributes. */
  readonly attributes: Readonly<Record<string, number>>;
  /** USGS qualifier counts (`A`, `A:e`). */
  readonly qualifiers: Readonly<Record<string, number>>;
}

/** ft³/s → mm/day over a basin of `area` m²: `q × 0.0283168… × 86400 × 1000 / area`. */
export function cfsToMmPerDay(q: number, area: number): number {
  return (q * CUBIC_METRES_PER_CUBIC_FOOT * SECONDS_PER_DAY * 1000) / area;
}

/** A copy of a discharge series in ft³/s converted to mm/day; flags, causes, validity kept. */
export function dischargeInMmPerDay(discharge: Series, area: number): Series {
  if (!(area > 0)) throw new RangeError(`basin area must be positive, got ${area}`);
  const values = new Float64Array(discharge.values.length);
  for (let i = 0; i < values.length; i++) values[i] = cfsToMmPerDay(discharge.values[i]!, area);
  return {
    name: discharge.name,
    time: discharge.time.slice(),
    values,
    flags: discharge.flags.slice(),
    causes: discharge.causes.slice(),
    validity: discharge.validity.slice(),
    unit: 'mm/day',
  };
}

/**
 * Static attributes of the given basins from semicolon-separated tables with a `gauge_id`
 * column. Only `names` are read, each must be numeric and found in exactly one table; a
 * basin's record lists them in the order of `names`.
 */
export function readCamelsAttributes(
  tables: readonly TextFile[],
  basins: readonly string[],
  names: readonly string[],
): Map<string, Record<string, number>> {
  const wanted = new Set(basins);
  const out = new Map<string, Record<string, number>>(basins.map((b) => [b, {}]));
  const found = new Map<string, string>();
  for (const { file, text } of tables) {
    const lines = text.split(/\r?\n/);
    const header = (lines[0] ?? '').split(';');
    if (header[0] !== 'gauge_id') {
      throw new InputError({ file, line: 1, column: 1 }, 'expected a header starting "gauge_id"');
    }
    const columns: [string, number][] = [];
    header.forEach((h, c) => {
      if (!names.includes(h)) return;
      const before = found.get(h);
      if (before !== undefined) {
        throw new InputError({ file, line: 1 }, `attribute ${h} is also in ${before}`);
      }
      found.set(h, file);
      columns.push([h, c]);
    });
    if (columns.length === 0) continue;
    for (let l = 1; l < lines.length; l++) {
      const cells = lines[l]!.split(';');
      const basin = cells[0]!;
      if (!wanted.has(basin)) continue;
      const record = out.get(basin)!;
      for (const [name, c] of columns) {
        const v = Number(cells[c]);
        if (cells[c] === undefined || cells[c]!.trim() === '' || !Number.isFinite(v)) {
          throw new InputError(
            { file, line: l + 1, column: c + 1 },
            `attribute ${name} of basin ${basin} is not a number: ${JSON.stringify(cells[c] ?? '')}`,
          );
        }
        record[name] = v;
      }
    }
  }
  for (const name of names) {
    if (!found.has(name)) throw new RangeError(`no attribute table has a column ${name}`);
  }
  const ordered = new Map<string, Record<string, number>>();
  for (const [basin, record] of out) {
    const missing = names.filter((n) => !(n in record));
    if (missing.length > 0) {
      throw new RangeError(`basin ${basin} has no row for attributes ${missing.join(', ')}`);
    }
    ordered.set(basin, Object.fromEntries(names.map((n) => [n, record[n]!])));
  }
  return ordered;
}

/** One basin from its streamflow and forcing texts and its (already read) attributes. */
export function parseCamelsBasin(
  streamflow: TextFile,
  forcing: TextFile,
  attributes: Readonly<Record<string, number>>,
): CamelsBasin {
  const q = readCamelsStreamflow(streamflow.text, { file: streamflow.file });
  const daymet = readDaymetForcing(forcing.text, { file: forcing.file });
  const forcings = {} as Record<ForcingName, Series>;
  for (const name of FORCING_NAMES) {
    const s = seriesOf(daymet.frame, DAYMET_COLUMNS[name]);
    forcings[name] = { ...s, name, unit: FORCING_UNITS[name] };
  }
  return {
    id: q.basin,
    latitude: daymet.latitude,
    elevation: daymet.elevation,
    area: daymet.area,
    discharge: dischargeInMmPerDay(q.discharge, daymet.area),
    forcings,
    attributes,
    qualifiers: q.qualifiers,
  };
}

/** Reads basins from a CAMELS-US copy (file I/O only here; parsing is {@link parseCamelsBasin}). */
export async function loadCamelsBasins(
  basins: readonly string[],
  layout: CamelsLayout,
  options: { attributes?: readonly string[] } = {},
): Promise<CamelsBasin[]> {
  const names = options.attributes ?? DEFAULT_ATTRIBUTES;
  const read = async (file: string): Promise<TextFile> => ({
    file,
    text: await readFile(file, 'utf8'),
  });
  const tables = names.length === 0 ? [] : await Promise.all(layout.attributeFiles.map(read));
  const attributes = readCamelsAttributes(tables, basins, names);
  return Promise.all(
    basins.map(async (basin) => {
      const [streamflow, forcing] = await Promise.all([
        read(join(layout.streamflowDir, `${basin}_streamflow_qc.txt`)),
        read(join(layout.forcingDir, `${basin}_lump_cida_forcing_leap.txt`)),
      ]);
      const parsed = parseCamelsBasin(streamflow, forcing, attributes.get(basin)!);
      if (parsed.id !== basin) {
        throw new InputError({ file: streamflow.file, line: 1 }, `file holds basin ${parsed.id}`);
      }
      return parsed;
    }),
  );
}
