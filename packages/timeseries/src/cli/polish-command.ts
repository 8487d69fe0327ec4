/**
 * @module cli/polish-command
 * `weir-ts polish data.csv --config polish.json --out polished.parquet`: reads a wide CSV,
 * polishes it, writes Parquet (`.parquet`) or Arrow IPC (`.arrow`) with the report in the
 * schema metadata, and returns the report. Pure of process state: `main` owns argv, output and the exit code.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { POLISH_REPORT_KEY, seriesToArrowIPC } from '../arrow.js';
import { parsePolishConfig, timestampOptions } from '../config.js';
import { TimeseriesError } from '../errors.js';
import { readMaintenanceLog } from '../io/maintenance.js';
import { timestampParser } from '../io/timestamp.js';
import { readWideCsv } from '../io/wide-csv.js';
import { polish } from '../polish.js';
import type { ManualInterval } from '../qc/manual.js';
import type { PolishReport } from '../report.js';

/** Arguments of the polish command. */
export interface PolishArgs {
  input: string;
  config: string;
  out?: string;
}

/** Runs the polish command; returns the report and where the output went. */
export async function runPolish(
  args: PolishArgs,
): Promise<{ report: PolishReport; wrote?: string }> {
  const config = parsePolishConfig(await readText(args.config), args.config);
  const time = timestampOptions(config);
  const frame = readWideCsv(await readText(args.input), {
    file: args.input,
    ...time,
    ...(config.timestamp?.column === undefined ? {} : { timeColumn: config.timestamp.column }),
    columns: [...new Set(Object.entries(config.variables).map(([k, v]) => v.column ?? k))],
  });
  const maintenance: ManualInterval[] = [];
  if (config.maintenance?.file !== undefined) {
    const file = resolve(dirname(args.config), config.maintenance.file);
    maintenance.push(...readMaintenanceLog(await readText(file), { file, ...time }));
  }
  const timestamps = timestampParser(time);
  for (const [k, { start, end }] of (config.maintenance?.intervals ?? []).entries()) {
    const s = timestamps.parse(start);
    const e = timestamps.parse(end);
    if (Number.isNaN(s) || Number.isNaN(e) || e < s) {
      const why = Number.isNaN(s)
        ? `: ${timestamps.explain(start)}`
        : Number.isNaN(e)
          ? `: ${timestamps.explain(end)}`
          : '';
      throw new TimeseriesError(
        'E_CONFIG',
        `${args.config}: maintenance.intervals.${k}: invalid interval ${start} .. ${end}${why}`,
      );
    }
    maintenance.push({ start: s, end: e });
  }
  const { series, report } = polish(
    frame,
    config,
    config.maintenance === undefined ? {} : { maintenance },
  );
  if (args.out === undefined) return { report };
  // The report travels with the data: what was flagged, filled and masked, and why.
  const metadata = { [POLISH_REPORT_KEY]: JSON.stringify(report) };
  let bytes: Uint8Array;
  if (args.out.endsWith('.parquet')) {
    const { seriesToParquet } = await import('../parquet.js');
    bytes = seriesToParquet(series, metadata);
  } else if (args.out.endsWith('.arrow') || args.out.endsWith('.feather')) {
    bytes = seriesToArrowIPC(series, metadata);
  } else {
    throw new TimeseriesError('E_USAGE', `--out ${args.out}: expected a .parquet or .arrow file`);
  }
  // Written to a temporary name and renamed, so a crash never leaves half a file.
  const tmp = `${args.out}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, args.out);
  return { report, wrote: args.out };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new TimeseriesError('E_USAGE', `cannot read ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
