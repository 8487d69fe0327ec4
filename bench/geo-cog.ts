// Cloud Optimized GeoTIFF creation: `npm run bench -- geo-cog [--size N] [--repeats N] [--tall K]`.
// `writeCogFromTiles` (packages/geo, src/cog) against GDAL's COG driver in the same run, on the
// same raw input file, both in a child process: `gdal_translate -of COG -co COMPRESS=DEFLATE
// -co PREDICTOR=YES -co NUM_THREADS=1` (GDAL 3.6; its overviews CUBIC by default, and a second
// run with OVERVIEW_RESAMPLING=AVERAGE, the same work as ours) and ours with the same settings
// (DEFLATE level 6, predictor 2, 512-pixel tiles, average overviews; no fsync, as GDAL does not
// sync either), streaming the file a row of tiles at a time, compressing on Node's thread pool
// (the default) and on one thread.
//
// Inputs (int16, nodata -32768, EPSG:4326), written raw (ENVI .bil) into a temporary folder:
// - the SRTM tile N10W110.hgt (1201 × 1201) of the shared data, converted by gdal_translate;
// - a mosaic of N × N (default 10,000 × 10,000 = 200 MB): pysheds' dem.tif (367 × 359 cells of
//   real Texas terrain, 147-298 m) tiled and mirrored at every seam. Not the SRTM tile: it is
//   99.99% sea (zeros, 9 m at most), which compresses to nothing and measures nothing.
//
// Figures: wall and CPU seconds (user + system, our thread pool included) and peak resident memory
// (maxRSS, from /usr/bin/time) of each process, the file size, and the ratios to GDAL (median of
// the per-run ratios; < 1 is better). Our peak memory stays near a row of tiles whatever the
// raster: it is compared with the raster's own size, and once more (ours only) on a mosaic K times
// taller (default 4: 10,000 × 40,000, 800 MB) whose row of tiles is the same. Every file we write
// is checked with GDAL's COG validator.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCogFromTiles } from '../packages/geo/src/cog/index.js';
import { median, option, table } from './_report.js';

const SHARED = fileURLToPath(
  new URL(
    `${(process.env.WEIR_SHARED_DATA ?? '../../shared/data').replace(/\/$/, '')}/geospatial/`,
    process.env.WEIR_SHARED_DATA ? 'file:///' : import.meta.url,
  ),
);
const VALIDATOR = '/usr/share/doc/python3-gdal/examples/validate_cloud_optimized_geotiff.py';
const QUIET = { ...process.env, GDAL_PAM_ENABLED: 'NO' };

/** A raw int16 raster on disk and where it lies. */
export interface CogInput {
  readonly name: string;
  readonly path: string;
  readonly width: number;
  readonly height: number;
  /** GDAL's six numbers. */
  readonly geoTransform: readonly number[];
  readonly nodata: number;
  readonly epsg: number;
}

/** The SRTM tile as raw int16, converted by GDAL. */
export function srtmInput(dir: string): CogInput {
  const path = join(dir, 'srtm.bil');
  execFileSync('gdal_translate', ['-q', '-of', 'ENVI', `${SHARED}N10W110.hgt`, path], {
    env: QUIET,
  });
  const info = JSON.parse(
    execFileSync('gdalinfo', ['-json', path], { encoding: 'utf8', env: QUIET }),
  ) as {
    size: [number, number];
    geoTransform: number[];
  };
  return {
    name: 'SRTM N10W110',
    path,
    width: info.size[0],
    height: info.size[1],
    geoTransform: info.geoTransform,
    nodata: -32768,
    epsg: 4326,
  };
}

/** pysheds' dem.tif tiled and mirrored into `size` × `height` raw int16 cells. */
export function mosaicInput(dir: string, size: number, height = size): CogInput {
  const tile = join(dir, 'dem.bil');
  execFileSync('gdal_translate', ['-q', '-of', 'ENVI', `${SHARED}pysheds/dem.tif`, tile], {
    env: QUIET,
  });
  const bytes = readFileSync(tile);
  const dem = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const [dw, dh] = [367, 359];
  const mirror = (i: number, n: number) => (Math.floor(i / n) % 2 === 0 ? i % n : n - 1 - (i % n));
  const cols = Int32Array.from({ length: size }, (_, c) => mirror(c, dw));
  const path = join(dir, `mosaic-${size}x${height}.bil`);
  const fd = openSync(path, 'w');
  const row = new Int16Array(size);
  for (let r = 0; r < height; r++) {
    const base = mirror(r, dh) * dw;
    for (let c = 0; c < size; c++) row[c] = dem[base + cols[c]!]!;
    writeFileSync(fd, new Uint8Array(row.buffer));
  }
  closeSync(fd);
  writeFileSync(
    path.replace(/\.bil$/, '.hdr'),
    `ENVI\nsamples = ${size}\nlines = ${height}\nbands = 1\nheader offset = 0\nfile type = ENVI Standard\ndata type = 2\ninterleave = bsq\nbyte order = 0\n`,
  );
  const cell = 1 / 1200;
  const name =
    height === size
      ? `mosaic ${size.toLocaleString('en-US')}²`
      : `mosaic ${size.toLocaleString('en-US')} × ${height.toLocaleString('en-US')}`;
  return {
    name,
    path,
    width: size,
    height,
    geoTransform: [-97.485, cell, 0, 32.8217, 0, -cell],
    nodata: -32768,
    epsg: 4326,
  };
}

/** One run of one tool on one input. */
export interface Measure {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly maxRssMB: number;
  readonly bytes: number;
}

const haveTime = existsSync('/usr/bin/time');

/** Runs a command, timed by /usr/bin/time when it is there (wall only otherwise). */
function timed(command: string, args: readonly string[], out: string): Measure {
  const report = `${out}.time`;
  const t0 = performance.now();
  const run = haveTime
    ? spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', report, command, ...args], {
        env: QUIET,
        encoding: 'utf8',
      })
    : spawnSync(command, args, { env: QUIET, encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  const [, user, sys, rss] = haveTime
    ? readFileSync(report, 'utf8').trim().split(/\s+/).map(Number)
    : [];
  return {
    seconds: wall,
    cpuSeconds: user === undefined ? Number.NaN : user + sys!,
    maxRssMB: rss === undefined ? Number.NaN : rss / 1024,
    bytes: statSync(out).size,
  };
}

function gdalCog(input: CogInput, out: string, resampling?: 'AVERAGE'): Measure {
  const [x0, dx, , y0, , dy] = input.geoTransform as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return timed(
    'gdal_translate',
    [
      '-q',
      '-of',
      'COG',
      '-co',
      'COMPRESS=DEFLATE',
      '-co',
      'PREDICTOR=YES',
      '-co',
      'NUM_THREADS=1',
      ...(resampling ? ['-co', `OVERVIEW_RESAMPLING=${resampling}`] : []),
      '-a_srs',
      `EPSG:${input.epsg}`,
      '-a_nodata',
      String(input.nodata),
      '-a_ullr',
      String(x0),
      String(y0),
      String(x0 + input.width * dx),
      String(y0 + input.height * dy),
      input.path,
      out,
    ],
    out,
  );
}

/** Our writer on a raw input, streaming it a row of tiles at a time. */
export async function writeRawCog(
  input: CogInput,
  out: string,
  concurrency?: number,
): Promise<void> {
  const fd = openSync(input.path, 'r');
  // One strip buffer, reused: the writer is done with a window when it asks for the next.
  const buffer = new Int16Array(input.width * 512);
  try {
    await writeCogFromTiles(
      {
        width: input.width,
        height: input.height,
        type: 'int16',
        nodata: input.nodata,
        transform: input.geoTransform,
        crs: { epsg: input.epsg },
        readWindow(_col, row, w, h) {
          const strip = buffer.subarray(0, w * h);
          readSync(
            fd,
            new Uint8Array(strip.buffer, 0, strip.byteLength),
            0,
            strip.byteLength,
            row * input.width * 2,
          );
          return strip;
        },
      },
      out,
      { concurrency, fsync: false },
    );
  } finally {
    closeSync(fd);
  }
}

const bundled = import.meta.url.endsWith('.mjs');

/** Ours in a child process (the bundled bench), or in this one (the smoke test from sources). */
async function oursCog(input: CogInput, out: string, concurrency?: number): Promise<Measure> {
  if (bundled) {
    const spec = JSON.stringify({ input, out, concurrency });
    return timed(process.execPath, [fileURLToPath(import.meta.url), '--child', spec], out);
  }
  const t0 = performance.now();
  await writeRawCog(input, out, concurrency);
  return {
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: Number.NaN,
    maxRssMB: Number.NaN,
    bytes: statSync(out).size,
  };
}

function validate(path: string): string {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const run = spawnSync(python, [VALIDATOR, '--full-check=yes', path], {
      encoding: 'utf8',
      env: QUIET,
    });
    if (run.status === 0 || run.stdout)
      return run.stdout.trim().split('\n')[0]!.replace(`${path} `, '');
  }
  return 'validator not available';
}

export const TOOLS = ['gdal', 'gdal-average', 'ours', 'ours-1-thread'] as const;
export type Tool = (typeof TOOLS)[number];

export interface BenchResult {
  readonly input: CogInput;
  readonly runs: Record<Tool, Measure[]>;
  /** What GDAL's validator says of our file. */
  readonly validation: string;
}

/** Runs every tool on `input` `repeats` times, alternating run for run. */
export async function benchInput(
  input: CogInput,
  dir: string,
  repeats: number,
): Promise<BenchResult> {
  const runs: Record<Tool, Measure[]> = {
    gdal: [],
    'gdal-average': [],
    ours: [],
    'ours-1-thread': [],
  };
  let validation = '';
  for (let r = 0; r < repeats; r++) {
    for (const tool of TOOLS) {
      const out = join(dir, `${tool}.tif`);
      runs[tool].push(
        tool === 'gdal'
          ? gdalCog(input, out)
          : tool === 'gdal-average'
            ? gdalCog(input, out, 'AVERAGE')
            : await oursCog(input, out, tool === 'ours' ? undefined : 1),
      );
      if (tool === 'ours' && r === 0) validation = validate(out);
      rmSync(out, { force: true });
    }
  }
  return { input, runs, validation };
}

function rows(result: BenchResult): string[][] {
  const { runs, input } = result;
  const ratio = (tool: Tool, f: (m: Measure) => number) =>
    median(runs[tool].map((m, i) => f(m) / f(runs.gdal[i]!))).toFixed(2);
  const fmt = (x: number, digits: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
  return TOOLS.map((tool) => {
    const med = (f: (m: Measure) => number) => median(runs[tool].map(f));
    return [
      `${input.name} ${tool}`,
      fmt(
        med((m) => m.seconds),
        2,
      ),
      fmt(
        med((m) => m.cpuSeconds),
        2,
      ),
      fmt(
        med((m) => m.maxRssMB),
        0,
      ),
      (med((m) => m.bytes) / 1e6).toFixed(2),
      ratio(tool, (m) => m.seconds),
      ratio(tool, (m) => m.cpuSeconds),
      ratio(tool, (m) => m.bytes),
      ratio(tool, (m) => m.maxRssMB),
    ];
  });
}

/** Our peak memory on a raster `factor` times taller than the mosaic (same row of tiles). */
export interface MemoryResult {
  readonly input: CogInput;
  readonly run: Measure;
  readonly validation: string;
}

/** The report of a set of results. */
export function report(
  results: readonly BenchResult[],
  repeats: number,
  memory?: MemoryResult,
): string {
  const header = [
    'input, tool',
    'wall s',
    'cpu s',
    'maxRSS MB',
    'MB',
    '× time',
    '× cpu',
    '× size',
    '× RSS',
  ];
  const notes = results.map(
    (r) =>
      `${r.input.name}: raster ${((r.input.width * r.input.height * 2) / 1e6).toFixed(0)} MB in memory; our COG: ${r.validation}`,
  );
  const mb = (input: CogInput) => ((input.width * input.height * 2) / 1e6).toFixed(0);
  const tall = memory
    ? `\nstreaming memory: ours on ${memory.input.name} (${mb(memory.input)} MB raster, the same row of tiles as the mosaic): ` +
      `${memory.run.seconds.toFixed(2)} s wall, maxRSS ${Number.isNaN(memory.run.maxRssMB) ? 'n/a' : memory.run.maxRssMB.toFixed(0)} MB; our COG: ${memory.validation}\n`
    : '';
  return (
    `geo-cog: COG creation, ours (writeCogFromTiles, streaming) vs gdal_translate -of COG, DEFLATE + predictor, NUM_THREADS=1 (median of ${repeats})\n` +
    `ratios are to 'gdal' (its default CUBIC overviews) run for run; 'gdal-average' uses OVERVIEW_RESAMPLING=AVERAGE as we do;\n` +
    `'ours' compresses on Node's thread pool (${availableParallelism()} CPUs here), 'ours-1-thread' on one thread\n\n` +
    `${table(header, results.flatMap(rows))}\n\n${notes.join('\n')}\n${tall}`
  );
}

/** The whole benchmark (the smoke test runs it on a small mosaic, once). */
export async function benchCog(options: {
  size: number;
  repeats: number;
  /** How many times taller the raster of the memory run is (0: no memory run). */
  tall: number;
}): Promise<{ results: BenchResult[]; memory?: MemoryResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-cog-'));
  try {
    const results: BenchResult[] = [];
    for (const input of [srtmInput(dir), mosaicInput(dir, options.size)]) {
      results.push(await benchInput(input, dir, options.repeats));
      rmSync(input.path);
    }
    if (options.tall <= 0) return { results };
    const input = mosaicInput(dir, options.size, options.size * options.tall);
    const out = join(dir, 'tall.tif');
    const run = await oursCog(input, out);
    return { results, memory: { input, run, validation: validate(out) } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const { input, out, concurrency } = JSON.parse(process.argv[3]!) as {
    input: CogInput;
    out: string;
    concurrency?: number;
  };
  await writeRawCog(input, out, concurrency);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const repeats = Number(option('repeats') ?? 3);
  const size = Number(option('size') ?? 10_000);
  const tall = Number(option('tall') ?? 4);
  const { results, memory } = await benchCog({ size, repeats, tall });
  process.stdout.write(report(results, repeats, memory));
}
